package dev.payoutcallbacks.publisher;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.provider.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * What Lambda's DynamoDB stream event source mapping does with one shard, as AWS documents it, on a simulated
 * clock: batches in order; a function error retries the batch, a partial batch response retries from the first
 * failed record; a batch whose oldest record is older than MaximumRecordAgeInSeconds is discarded to the
 * on-failure destination (S3: the invocation record with the whole event as payload); and the stream itself
 * trims records older than its 24 h retention, whether handled or not (those are lost).
 */
final class StreamMappingModel {
    static final Duration STREAM_RETENTION = Duration.ofHours(24);

    private record Pending(Record record, Instant arrival) {
    }

    private final List<Pending> pending = new ArrayList<>();
    private final Duration maxRecordAge;
    private final int batchSize;
    private final FailedBatchStore destination;
    private int discards;
    int lostToTrim;
    int invocations;

    /** @param maxRecordAge null for -1 (infinite: records retried until the stream trims them) */
    StreamMappingModel(Duration maxRecordAge, int batchSize, FailedBatchStore destination) {
        this.maxRecordAge = maxRecordAge;
        this.batchSize = batchSize;
        this.destination = destination;
    }

    /** The mapping's settings as template.yaml declares them for the publisher. */
    static StreamMappingModel fromTemplate(JsonNode streamEventProperties, FailedBatchStore destination) {
        long age = streamEventProperties.path("MaximumRecordAgeInSeconds").asLong(-1);
        return new StreamMappingModel(age < 0 ? null : Duration.ofSeconds(age),
                streamEventProperties.path("BatchSize").asInt(100), destination);
    }

    void arrived(List<Record> records, Instant at) {
        records.forEach(r -> pending.add(new Pending(r, at)));
    }

    /** Polls until the shard is drained or the function fails (then the next poll retries). */
    void poll(Function<DynamodbEvent, StreamsEventResponse> function, Instant now) {
        while (true) {
            while (!pending.isEmpty() && pending.get(0).arrival().isBefore(now.minus(STREAM_RETENTION))) {
                pending.remove(0);
                lostToTrim++;
            }
            if (pending.isEmpty()) {
                return;
            }
            List<Pending> batch = new ArrayList<>(pending.subList(0, Math.min(batchSize, pending.size())));
            if (maxRecordAge != null && batch.get(0).arrival().isBefore(now.minus(maxRecordAge))) {
                discard(batch, now);
                pending.subList(0, batch.size()).clear();
                continue;
            }
            invocations++;
            StreamsEventResponse response;
            try {
                response = function.apply(event(batch));
            } catch (RuntimeException functionError) {
                return; // retried on the next poll
            }
            if (response.getBatchItemFailures() == null || response.getBatchItemFailures().isEmpty()) {
                pending.subList(0, batch.size()).clear();
                continue;
            }
            String failed = response.getBatchItemFailures().get(0).getItemIdentifier();
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).record().dynamodb().sequenceNumber().equals(failed)) {
                    pending.subList(0, i).clear(); // the records before it are done
                    return;
                }
            }
            return; // an unknown identifier: the whole batch is retried
        }
    }

    int pendingRecords() {
        return pending.size();
    }

    private void discard(List<Pending> batch, Instant now) {
        ObjectNode root = Json.newObject();
        ObjectNode request = root.putObject("requestContext");
        request.put("requestId", "model-" + discards);
        request.put("functionArn", "arn:aws:lambda:us-east-1:123456789012:function:PayoutChangePublisherFunction");
        request.put("condition", "RecordAgeExceeded");
        request.put("approximateInvokeCount", invocations);
        ObjectNode response = root.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "1");
        response.put("functionError", "Unhandled");
        root.put("version", "1.0");
        root.put("timestamp", now.toString());
        ObjectNode info = root.putObject("DDBStreamBatchInfo");
        info.put("shardId", "shardId-00000001-model");
        info.put("startSequenceNumber", batch.get(0).record().dynamodb().sequenceNumber());
        info.put("endSequenceNumber", batch.get(batch.size() - 1).record().dynamodb().sequenceNumber());
        info.put("approximateArrivalOfFirstRecord", batch.get(0).arrival().toString());
        info.put("approximateArrivalOfLastRecord", batch.get(batch.size() - 1).arrival().toString());
        info.put("batchSize", batch.size());
        info.put("streamArn", "arn:aws:dynamodb:us-east-1:123456789012:table/PayoutsTable/stream/model");
        root.put("payload", Json.write(LambdaStreamEvents.toLambdaJson(batch.stream().map(Pending::record).toList(),
                "arn:aws:dynamodb:us-east-1:123456789012:table/PayoutsTable/stream/model")));
        String key = "aws/lambda/00000000-model-esm/shardId-00000001-model/" + now.toString().substring(0, 10).replace('-', '/')
                + "/" + now.toString().replace(':', '.') + "-" + String.format("%04d", discards++);
        destination.put(key, Json.write(root).getBytes(StandardCharsets.UTF_8));
    }

    private static DynamodbEvent event(List<Pending> batch) {
        return LambdaStreamEvents.fromSdkRecords(batch.stream().map(Pending::record).toList(),
                "arn:aws:dynamodb:us-east-1:123456789012:table/PayoutsTable/stream/model");
    }
}
