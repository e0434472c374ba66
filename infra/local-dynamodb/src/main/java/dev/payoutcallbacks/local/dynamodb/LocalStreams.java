package dev.payoutcallbacks.local.dynamodb;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Reads a DynamoDB Local table's stream up to its current end, remembering where each shard was left so
 * the next call hands over only newer records. For tests and benchmarks that do what a stream consumer
 * does in AWS, synchronously.
 */
public final class LocalStreams {
    private static final Map<String, DynamoDbStreamsClient> CLIENTS = new ConcurrentHashMap<>();
    /** The last record handed over, by stream ARN + shard id. */
    private static final Map<String, String> HANDED_OVER = new ConcurrentHashMap<>();

    private LocalStreams() {
    }

    /** Hands every record written since the last call (for this table's stream), in order per shard. */
    public static synchronized void drain(DynamoDbClient db, String endpoint, String table, Consumer<Record> consumer) {
        DynamoDbStreamsClient streams = CLIENTS.computeIfAbsent(endpoint, e -> DynamoDbStreamsClient.builder()
                .endpointOverride(URI.create(e))
                .region(Region.of(EmbeddedDynamoDb.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build());
        String arn = db.describeTable(b -> b.tableName(table)).table().latestStreamArn();
        if (arn == null) {
            throw new IllegalStateException("table " + table + " has no stream");
        }
        for (var shard : streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
            String position = arn + "|" + shard.shardId();
            String after = HANDED_OVER.get(position);
            String iterator = streams.getShardIterator(b -> {
                b.streamArn(arn).shardId(shard.shardId());
                if (after == null) {
                    b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                } else {
                    b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after);
                }
            }).shardIterator();
            while (iterator != null) {
                String from = iterator;
                var page = streams.getRecords(b -> b.shardIterator(from));
                for (Record r : page.records()) {
                    consumer.accept(r);
                    HANDED_OVER.put(position, r.dynamodb().sequenceNumber());
                }
                iterator = page.records().isEmpty() ? null : page.nextShardIterator();
            }
        }
    }
}
