package dev.payoutcallbacks.core;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
                        byte[] rawBody, Map<String, String> headers, long deliveries, String replayedAt,
                        String replayResult) {
        public boolean replayed() {
            return replayedAt != null;
        }
    }

    /**
     * Stores the callback and returns its quarantine id. The id is the SHA-256 of the raw body, so a
     * provider retrying the same body many times leaves one entry (with a delivery count), not many.
     */
    public String store(String provider, CallbackRejected.Reason reason, String message, CallbackRequest request,
                        Map<String, String> keptHeaders) {
        String id = sha256(request.body());
        String now = Timestamps.sortable(clock.instant());
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":provider", PayoutLedger.s(provider));
        values.put(":reason", PayoutLedger.s(reason.name()));
        values.put(":message", PayoutLedger.s(message == null ? "" : message));
        values.put(":received", PayoutLedger.s(Timestamps.sortable(request.receivedAt())));
        values.put(":now", PayoutLedger.s(now));
        values.put(":raw", PayoutLedger.s(Base64.getEncoder().encodeToString(request.body())));
        values.put(":one", PayoutLedger.n(1));
        Map<String, AttributeValue> headers = new HashMap<>();
        keptHeaders.forEach((k, v) -> headers.put(k, PayoutLedger.s(v)));
        values.put(":headers", AttributeValue.fromM(headers));
        values.put(":request", PayoutLedger.s(request.requestId() == null ? "" : request.requestId()));
        db.updateItem(b -> b.tableName(table)
                .key(PayoutLedger.key("QUARANTINE#" + provider, id))
                .updateExpression("SET provider = :provider, reason = :reason, message = :message,"
                        + " receivedAt = if_not_exists(receivedAt, :received), lastSeenAt = :now, rawBody = :raw,"
                        + " headers = :headers, requestId = :request ADD deliveries :one")
                .expressionAttributeValues(values));
        return id;
    }

    private static String sha256(byte[] body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records what a replay did; a later replay of the same entry is then skipped unless forced. */
    public void markReplayed(String provider, String id, String result) {
        db.updateItem(b -> b.tableName(table)
                .key(PayoutLedger.key("QUARANTINE#" + provider, id))
                .updateExpression("SET replayedAt = :at, replayResult = :r ADD replays :one")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":at", PayoutLedger.s(Timestamps.sortable(clock.instant())),
                        ":r", PayoutLedger.s(result), ":one", PayoutLedger.n(1))));
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
                        Base64.getDecoder().decode(item.get("rawBody").s()), headers,
                        Long.parseLong(item.get("deliveries").n()),
                        item.containsKey("replayedAt") ? item.get("replayedAt").s() : null,
                        item.containsKey("replayResult") ? item.get("replayResult").s() : null));
            }
            start = PayoutItems.nextPage(page);
        } while (start != null);
        return entries;
    }
}
