package dev.payoutcallbacks.correctness.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * An empty, always-healthy payouts table in memory, for fuzzing the receive path at millions of inputs a
 * minute: reads find nothing, writes succeed and are recorded. It enforces what real DynamoDB would refuse
 * whatever the load (key sizes: partition key 2048 bytes, sort key 1024 bytes), so an input that real
 * DynamoDB would reject shows up as the receiver's answer to that rejection.
 */
public final class StubDynamoDb implements DynamoDbClient {
    public static final int MAX_PARTITION_KEY_BYTES = 2048;
    public static final int MAX_SORT_KEY_BYTES = 1024;

    /** What one receive wrote: payout writes (the ledger's UpdateItem/PutItem), quarantine raw bodies, batch notices. */
    public final List<String> payoutWrites = new ArrayList<>();
    public final List<byte[]> quarantinedBodies = new ArrayList<>();
    public final List<String> puts = new ArrayList<>();
    public int keyRejections;
    /** Opens a quarantine item's sealed body (the quarantine the receivers use: {@code quarantine::open}). */
    public Function<Map<String, AttributeValue>, byte[]> opener = item -> {
        throw new IllegalStateException("set StubDynamoDb.opener to the quarantine's open");
    };

    public void reset() {
        payoutWrites.clear();
        quarantinedBodies.clear();
        puts.clear();
    }

    public boolean wroteAnything() {
        return !payoutWrites.isEmpty() || !quarantinedBodies.isEmpty() || !puts.isEmpty();
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        checkKey(request.key());
        Map<String, AttributeValue> values = request.expressionAttributeValues();
        AttributeValue sealed = values == null ? null : values.get(":sealedBody");
        if (sealed != null) {
            // A quarantine write: the body is sealed; opened as a replay would, to check it is the exact bytes.
            Map<String, AttributeValue> item = new HashMap<>(request.key());
            item.put("sealedBody", sealed);
            item.put("bodyKey", values.get(":bodyKey"));
            item.put("bodyKeyId", values.get(":bodyKeyId"));
            quarantinedBodies.add(opener.apply(item));
            return UpdateItemResponse.builder().build();
        }
        // The ledger's one-write apply: accepted on the empty table, the item after it returned (ALL_NEW).
        payoutWrites.add(request.updateExpression());
        Map<String, AttributeValue> after = new HashMap<>(request.key());
        after.put("version", AttributeValue.fromN("1"));
        return UpdateItemResponse.builder().attributes(after).build();
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        checkKey(request.key());
        return GetItemResponse.builder().build();
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        checkKey(request.item());
        puts.add(request.item().toString());
        return PutItemResponse.builder().build();
    }

    private void checkKey(Map<String, AttributeValue> item) {
        check(item.get("pk"), MAX_PARTITION_KEY_BYTES, "partition");
        check(item.get("sk"), MAX_SORT_KEY_BYTES, "range");
    }

    private void check(AttributeValue key, int max, String kind) {
        if (key == null || key.s() == null) {
            return;
        }
        int bytes = key.s().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > max || bytes == 0) {
            keyRejections++;
            String message = "One or more parameter values were invalid: Aggregated size of all " + kind
                    + " keys has exceeded the size limit of " + max + " bytes";
            throw (DynamoDbException) DynamoDbException.builder().message(message).statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").errorMessage(message)
                            .serviceName("DynamoDb").build())
                    .build();
        }
    }

    @Override
    public String serviceName() {
        return "dynamodb";
    }

    @Override
    public void close() {
    }
}
