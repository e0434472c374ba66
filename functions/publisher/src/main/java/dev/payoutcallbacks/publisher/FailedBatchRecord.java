package dev.payoutcallbacks.publisher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.provider.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A failure record in the failure bucket, in the shape Lambda gives the invocation records it sends to an S3
 * on-failure destination of a stream event source mapping: {@code requestContext} (condition,
 * approximateInvokeCount), {@code responseContext}, {@code version}, {@code timestamp}, {@code
 * DDBStreamBatchInfo} (shard, first and last sequence numbers, arrival times, batch size, stream ARN) and, only
 * for S3 destinations, {@code payload}: the whole event the function was invoked with ({"Records":[...]}).
 * The publisher writes the same shape when it parks a poison record, so one redrive reads both.
 *
 * <p>Assumption (AWS documents the fields, not every detail of their encoding): {@code payload} may be the
 * event as a JSON string or as an embedded object; both are read. A record without a payload (what an SQS or
 * SNS destination receives) holds only the stream position and cannot be redriven from the bucket.
 */
final class FailedBatchRecord {
    /** Where Lambda writes its own failure records: aws/lambda/&lt;mapping UUID&gt;/&lt;shard&gt;/YYYY/MM/DD/... */
    static final String LAMBDA_PREFIX = "aws/lambda/";
    /** Where the publisher parks a poison record before skipping it. */
    static final String PARKED_PREFIX = "parked/";
    /** A marker per failure record already redriven (its key under this prefix). */
    static final String REDRIVEN_PREFIX = "redriven/";
    static final String CONDITION_POISON = "PoisonRecord";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private FailedBatchRecord() {
    }

    /** The failure record of one poison record: the invocation record shape, payload = an event of that one record. */
    static byte[] poison(DynamodbEvent.DynamodbStreamRecord record, String error, Context context, Instant now) {
        ObjectNode root = Json.newObject();
        ObjectNode request = root.putObject("requestContext");
        request.put("requestId", context == null ? null : context.getAwsRequestId());
        request.put("functionArn", context == null ? null : context.getInvokedFunctionArn());
        request.put("condition", CONDITION_POISON);
        request.put("approximateInvokeCount", 1);
        ObjectNode response = root.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", context == null ? null : context.getFunctionVersion());
        response.put("functionError", "PoisonRecord");
        // Our own reader's message: names an attribute or a status, never an item's values.
        response.put("errorMessage", error);
        root.put("version", "1.0");
        root.put("timestamp", now.toString());
        ObjectNode info = root.putObject("DDBStreamBatchInfo");
        // Lambda's event does not name the shard; the sequence number places the record in the stream.
        info.put("shardId", "unknown");
        String sequence = record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
        info.put("startSequenceNumber", sequence);
        info.put("endSequenceNumber", sequence);
        String arrival = record.getDynamodb() == null || record.getDynamodb().getApproximateCreationDateTime() == null
                ? null : record.getDynamodb().getApproximateCreationDateTime().toInstant().toString();
        info.put("approximateArrivalOfFirstRecord", arrival);
        info.put("approximateArrivalOfLastRecord", arrival);
        info.put("batchSize", 1);
        info.put("streamArn", record.getEventSourceARN());
        ObjectNode event = Json.newObject();
        event.putArray("Records").add(LambdaStreamEvents.toLambdaJson(record));
        root.put("payload", Json.write(event));
        return Json.write(root).getBytes(StandardCharsets.UTF_8);
    }

    /** parked/YYYY/MM/DD/&lt;time&gt;-&lt;sequence number&gt;.json: sorts by time, one key per record. */
    static String poisonKey(DynamodbEvent.DynamodbStreamRecord record, Instant now) {
        String sequence = record.getDynamodb() == null || record.getDynamodb().getSequenceNumber() == null
                ? "no-sequence-" + now.toEpochMilli() : record.getDynamodb().getSequenceNumber();
        return PARKED_PREFIX + DAY.format(now) + "/" + now.toString().replace(':', '-') + "-" + sequence + ".json";
    }

    /** The event a failure record holds; throws IllegalArgumentException when it holds only the stream position. */
    static DynamodbEvent payload(byte[] json) {
        JsonNode root = read(json);
        JsonNode payload = root.get("payload");
        if (payload == null || payload.isNull()) {
            throw new IllegalArgumentException("no payload: only the stream position "
                    + root.path("DDBStreamBatchInfo") + " (an SQS/SNS-style record)");
        }
        JsonNode event = payload.isTextual() ? read(payload.asText().getBytes(StandardCharsets.UTF_8)) : payload;
        if (!event.path("Records").isArray()) {
            throw new IllegalArgumentException("payload is not a stream event (no Records)");
        }
        return LambdaStreamEvents.fromLambdaJson(event);
    }

    /** What a redrive summary says about a failure record: condition, shard, first sequence number, size. */
    static String describe(byte[] json) {
        JsonNode root = read(json);
        JsonNode info = root.path("DDBStreamBatchInfo");
        return root.path("requestContext").path("condition").asText("?") + " shard " + info.path("shardId").asText("?")
                + " from " + info.path("startSequenceNumber").asText("?") + " (" + info.path("batchSize").asText("?")
                + " records)";
    }

    /** The marker left once a failure record was redriven. */
    static byte[] redrivenMarker(String key, int records, Instant at) {
        ObjectNode marker = Json.newObject();
        marker.put("failureRecord", key);
        marker.put("records", records);
        marker.put("redrivenAt", at.toString());
        return Json.write(marker).getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode read(byte[] json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    static List<String> prefixes() {
        return List.of(LAMBDA_PREFIX, PARKED_PREFIX);
    }
}
