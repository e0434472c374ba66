package dev.payoutcallbacks.core;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Authenticated callbacks we could not apply, kept with their raw body (base64, byte-exact, so a
 * signature still verifies on replay) and the reason, under {@code QUARANTINE#<provider>}.
 */
public final class Quarantine {
    private final DynamoDbClient db;
    private final String table;
    private final Clock clock;

    public Quarantine(DynamoDbClient db, String table, Clock clock) {
        this.db = db;
        this.table = table;
        this.clock = clock;
    }

    public record Entry(String id, String provider, String reason, String message, String receivedAt,
                        byte[] rawBody, Map<String, String> headers) {
    }

    /** Stores the callback and returns its quarantine id. */
    public String store(String provider, CallbackRejected.Reason reason, String message, CallbackRequest request,
                        Map<String, String> keptHeaders) {
        String id = Timestamps.sortable(clock.instant()) + "#" + UUID.randomUUID();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PayoutLedger.PK, PayoutLedger.s("QUARANTINE#" + provider));
        item.put(PayoutLedger.SK, PayoutLedger.s(id));
        item.put("provider", PayoutLedger.s(provider));
        item.put("reason", PayoutLedger.s(reason.name()));
        item.put("message", PayoutLedger.s(message == null ? "" : message));
        item.put("receivedAt", PayoutLedger.s(Timestamps.sortable(request.receivedAt())));
        item.put("rawBody", PayoutLedger.s(Base64.getEncoder().encodeToString(request.body())));
        if (request.requestId() != null) {
            item.put("requestId", PayoutLedger.s(request.requestId()));
        }
        if (!keptHeaders.isEmpty()) {
            Map<String, AttributeValue> headers = new HashMap<>();
            keptHeaders.forEach((k, v) -> headers.put(k, PayoutLedger.s(v)));
            item.put("headers", AttributeValue.fromM(headers));
        }
        db.putItem(b -> b.tableName(table).item(item));
        return id;
    }

    public List<Entry> list(String provider) {
        List<Entry> entries = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = db.query(q -> q.tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", PayoutLedger.s("QUARANTINE#" + provider)))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                Map<String, String> headers = new HashMap<>();
                if (item.containsKey("headers")) {
                    item.get("headers").m().forEach((k, v) -> headers.put(k, v.s()));
                }
                entries.add(new Entry(item.get(PayoutLedger.SK).s(), provider, item.get("reason").s(),
                        item.get("message").s(), item.get("receivedAt").s(),
                        Base64.getDecoder().decode(item.get("rawBody").s()), headers));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return entries;
    }
}
