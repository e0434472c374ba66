package dev.payoutcallbacks.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import dev.payoutcallbacks.publisher.LambdaStreamEvents;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Lambda's DynamoDB event source mapping, locally: for every function of template.yaml with a
 * {@code Type: DynamoDB} event on a table's StreamArn, reads that table's stream in DynamoDB Local
 * (shard by shard, parents first, from TRIM_HORIZON as the template says) and invokes the function
 * with Lambda's event JSON, BatchSize records at a time. A reported batch item failure (or an
 * exception) is retried from the failed record, at most MaximumRetryAttempts times; then the batch is
 * logged as what would go to the on-failure destination and skipped. FilterCriteria are not evaluated:
 * the function sees every item's records (the publisher ignores what is not a payout's STATE).
 */
final class LocalStreamPoller implements AutoCloseable {
    private static final long IDLE_MILLIS = 200;

    record Mapping(String functionId, String tableName, int batchSize, int maxRetries, String startingPosition) {
    }

    private final FunctionInvoker functions;
    private final DynamoDbClient dynamo;
    private final DynamoDbStreamsClient streams;
    private final List<Mapping> mappings;
    private final Thread thread;
    private volatile boolean running = true;

    /** Where each shard is: the next iterator, or the sequence number to retry from. */
    private static final class Position {
        String iterator;
        String retryFrom;
        int attempts;
        boolean closed;
    }

    LocalStreamPoller(SamTemplate template, FunctionInvoker functions, EmbeddedDynamoDb db) {
        this(template, functions, db, Map.of());
    }

    /** @param tableNames a table's name by logical id, where it is not the logical id (tests' fresh tables) */
    LocalStreamPoller(SamTemplate template, FunctionInvoker functions, EmbeddedDynamoDb db, Map<String, String> tableNames) {
        this.functions = functions;
        this.dynamo = db.client();
        this.streams = DynamoDbStreamsClient.builder()
                .endpointOverride(URI.create(db.endpoint()))
                .region(Region.of(EmbeddedDynamoDb.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        this.mappings = mappings(template).stream().map(m -> new Mapping(m.functionId(),
                tableNames.getOrDefault(m.tableName(), m.tableName()), m.batchSize(), m.maxRetries(),
                m.startingPosition())).toList();
        this.thread = new Thread(this::run, "local-stream-poller");
        thread.setDaemon(true);
    }

    /** The template's DynamoDB stream event sources; locally a table is named by its logical id. */
    static List<Mapping> mappings(SamTemplate template) {
        List<Mapping> found = new ArrayList<>();
        template.resources("AWS::Serverless::Function").forEach((id, fn) ->
                fn.path("Properties").path("Events").forEach(e -> {
                    if (!"DynamoDB".equals(e.path("Type").asText())) {
                        return;
                    }
                    JsonNode p = e.path("Properties");
                    String stream = p.path("Stream").asText(); // !GetAtt PayoutsTable.StreamArn → "PayoutsTable.StreamArn"
                    int dot = stream.indexOf('.');
                    found.add(new Mapping(id, dot < 0 ? stream : stream.substring(0, dot),
                            p.path("BatchSize").asInt(100), p.path("MaximumRetryAttempts").asInt(-1),
                            p.path("StartingPosition").asText("TRIM_HORIZON")));
                }));
        return found;
    }

    List<Mapping> mappings() {
        return mappings;
    }

    void start() {
        if (!mappings.isEmpty()) {
            thread.start();
        }
    }

    private void run() {
        Map<String, Position> positions = new HashMap<>();
        while (running) {
            boolean busy = false;
            for (Mapping m : mappings) {
                try {
                    busy |= poll(m, positions);
                } catch (RuntimeException e) {
                    if (running) {
                        System.err.println("stream " + m.tableName() + " -> " + m.functionId() + ": " + e);
                    }
                }
            }
            if (!busy) {
                try {
                    Thread.sleep(IDLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One round over the mapping's shards; true when records were handled. */
    private boolean poll(Mapping m, Map<String, Position> positions) {
        String arn = dynamo.describeTable(b -> b.tableName(m.tableName())).table().latestStreamArn();
        if (arn == null) {
            return false;
        }
        List<Shard> shards = streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards();
        Map<String, Shard> byId = new LinkedHashMap<>();
        shards.forEach(s -> byId.put(s.shardId(), s));
        boolean busy = false;
        for (Shard shard : shards) {
            String key = m.functionId() + "|" + arn + "|" + shard.shardId();
            Position pos = positions.computeIfAbsent(key, k -> new Position());
            if (pos.closed) {
                continue;
            }
            String parent = shard.parentShardId();
            if (parent != null && byId.containsKey(parent)) {
                Position parentPos = positions.get(m.functionId() + "|" + arn + "|" + parent);
                if (parentPos == null || !parentPos.closed) {
                    continue; // a parent's records first, as Lambda does
                }
            }
            busy |= pollShard(m, arn, shard.shardId(), pos);
        }
        return busy;
    }

    private boolean pollShard(Mapping m, String arn, String shardId, Position pos) {
        if (pos.iterator == null) {
            pos.iterator = pos.retryFrom != null
                    ? streams.getShardIterator(b -> b.streamArn(arn).shardId(shardId)
                            .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(pos.retryFrom))
                            .shardIterator()
                    : streams.getShardIterator(b -> b.streamArn(arn).shardId(shardId)
                            .shardIteratorType(ShardIteratorType.fromValue(m.startingPosition()))).shardIterator();
        }
        String iterator = pos.iterator;
        var page = iteratorPage(iterator, m.batchSize(), pos);
        if (page == null) {
            return false;
        }
        List<Record> records = page.records();
        if (records.isEmpty()) {
            pos.iterator = page.nextShardIterator();
            if (pos.iterator == null) {
                pos.closed = true;
            }
            return false;
        }
        String failedAt = invoke(m, arn, records);
        if (failedAt == null) {
            pos.iterator = page.nextShardIterator();
            pos.retryFrom = null;
            pos.attempts = 0;
            if (pos.iterator == null) {
                pos.closed = true;
            }
            return true;
        }
        pos.attempts++;
        if (m.maxRetries() >= 0 && pos.attempts > m.maxRetries()) {
            System.err.printf("%s: gave up on %s records from %s after %d retries"
                            + " (deployed: their shard/sequence range goes to the on-failure destination)%n",
                    m.functionId(), records.size(), failedAt, m.maxRetries());
            pos.iterator = page.nextShardIterator();
            pos.retryFrom = null;
            pos.attempts = 0;
            return true;
        }
        pos.retryFrom = failedAt;
        pos.iterator = null; // next round (after a pause): AT_SEQUENCE_NUMBER of the failed record
        return false;
    }

    private GetRecordsResponse iteratorPage(String iterator, int limit,
                                                                                           Position pos) {
        try {
            return streams.getRecords(b -> b.shardIterator(iterator).limit(Math.max(1, Math.min(1000, limit))));
        } catch (ExpiredIteratorException expired) {
            pos.iterator = null; // re-acquired next round (from retryFrom or the starting position)
            return null;
        }
    }

    /** Invokes the function; null on success, else the sequence number to retry from. */
    private String invoke(Mapping m, String arn, List<Record> records) {
        JsonNode event = LambdaStreamEvents.toLambdaJson(records, arn);
        String first = records.get(0).dynamodb().sequenceNumber();
        FunctionInvoker.Invocation answer;
        try {
            answer = functions.invoke(m.functionId(), LocalFunctions.EVENTS.writeValueAsBytes(event));
        } catch (RuntimeException | JsonProcessingException e) {
            System.err.println(m.functionId() + " could not be invoked on a stream batch: " + e);
            return first;
        }
        if (!answer.succeeded()) {
            // A function error: Lambda retries the whole batch (bisecting when configured).
            System.err.println(m.functionId() + " failed on stream batch: " + answer.describe());
            return first;
        }
        JsonNode failures;
        try {
            failures = LocalFunctions.EVENTS.readTree(answer.payload()).path("batchItemFailures");
        } catch (IOException unreadable) {
            return first;
        }
        String lowest = null;
        for (JsonNode f : failures) {
            String id = f.path("itemIdentifier").asText(null);
            if (id == null || id.isEmpty()) {
                return first; // an unusable report fails the whole batch, as Lambda does
            }
            // Lambda retries from the lowest sequence number reported.
            if (lowest == null || new BigInteger(id).compareTo(new BigInteger(lowest)) < 0) {
                lowest = id;
            }
        }
        return lowest;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        streams.close();
    }
}
