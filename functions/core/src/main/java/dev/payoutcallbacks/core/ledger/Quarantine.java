package dev.payoutcallbacks.core.ledger;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.payout.Timestamps;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.CallbackRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Authenticated callbacks we could not apply, under {@code QUARANTINE#<provider>}, with the reason, the headers
 * needed to verify them again and their raw body, byte-exact but never in clear: sealed under its own data key
 * ({@link QuarantineKeys}: KMS in AWS), so a replay after a fix gets exactly the bytes that arrived. Entries
 * expire {@code QUARANTINE_RETENTION_DAYS} (default 30) after their last delivery through the table's TTL on
 * {@code expiresAt}; TTL deletes late, so an expired entry is also never listed nor replayed.
 */
public final class Quarantine {
    static final String EXPIRES_AT = "expiresAt";
    public static final int DEFAULT_RETENTION_DAYS = 30;

    private final PayoutTable table;
    private final Clock clock;
    private final QuarantineKeys keys;
    private final Duration retention;

    public Quarantine(PayoutTable table, Clock clock, QuarantineKeys keys, Duration retention) {
        this.table = table;
        this.clock = clock;
        this.keys = keys;
        this.retention = retention;
    }

    /** With this process's key (tests) and the default retention. */
    public Quarantine(PayoutTable table, Clock clock) {
        this(table, clock, QuarantineKeys.processDefault(), Duration.ofDays(DEFAULT_RETENTION_DAYS));
    }

    /** QUARANTINE_KMS_KEY_ID ({@link QuarantineKeys#fromEnvironment}) and QUARANTINE_RETENTION_DAYS. */
    public static Quarantine fromEnvironment(FunctionEnvironment env, PayoutTable table, Clock clock) {
        return new Quarantine(table, clock, QuarantineKeys.fromEnvironment(env),
                env.daysOrDefault("QUARANTINE_RETENTION_DAYS", DEFAULT_RETENTION_DAYS));
    }

    /**
     * @param bodyBytes the raw body's size (listing needs no key)
     * @param expiresAt when the entry expires (null for entries written before expiry existed)
     * @param opener    opens the sealed body: {@link #rawBody}
     */
    public record Entry(String id, String provider, String reason, String message, String receivedAt,
                        Map<String, String> headers, long deliveries, String replayedAt, String replayResult,
                        int bodyBytes, Instant expiresAt, java.util.function.Supplier<byte[]> opener) {
        public boolean replayed() {
            return replayedAt != null;
        }

        /** The raw body, byte-exact, as it arrived (opening it is a KMS Decrypt in AWS). */
        public byte[] rawBody() {
            return opener.get();
        }
    }

    /**
     * Stores the callback and returns its quarantine id. The id is the SHA-256 of the raw body, so a provider
     * retrying the same body many times leaves one entry (with a delivery count), not many.
     */
    public String store(String provider, CallbackRejected.Reason reason, String message, CallbackRequest request,
                        Map<String, String> keptHeaders) {
        String id = sha256(request.body());
        Instant now = clock.instant();
        QuarantineKeys.Sealed sealed = keys.seal(request.body(), context(provider, id));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":provider", PayoutLedger.s(provider));
        values.put(":reason", PayoutLedger.s(reason.name()));
        values.put(":message", PayoutLedger.s(message == null ? "" : message));
        values.put(":received", PayoutLedger.s(Timestamps.sortable(request.receivedAt())));
        values.put(":now", PayoutLedger.s(Timestamps.sortable(now)));
        values.put(":sealed", AttributeValue.fromB(SdkBytes.fromByteArray(sealed.ivAndCiphertext())));
        values.put(":dataKey", AttributeValue.fromB(SdkBytes.fromByteArray(sealed.wrappedKey())));
        values.put(":keyId", PayoutLedger.s(sealed.keyId()));
        values.put(":bytes", PayoutLedger.n(request.body().length));
        values.put(":expires", PayoutLedger.n(now.plus(retention).getEpochSecond()));
        values.put(":one", PayoutLedger.n(1));
        Map<String, AttributeValue> headers = new HashMap<>();
        keptHeaders.forEach((k, v) -> headers.put(k, PayoutLedger.s(v)));
        values.put(":headers", AttributeValue.fromM(headers));
        values.put(":request", PayoutLedger.s(request.requestId() == null ? "" : request.requestId()));
        table.client().updateItem(b -> b.tableName(table.name())
                .key(PayoutLedger.key("QUARANTINE#" + provider, id))
                .updateExpression("SET provider = :provider, reason = :reason, message = :message,"
                        + " receivedAt = if_not_exists(receivedAt, :received), lastSeenAt = :now,"
                        + " sealedBody = :sealed, bodyKey = :dataKey, bodyKeyId = :keyId, bodyBytes = :bytes,"
                        + " expiresAt = :expires, headers = :headers, requestId = :request"
                        + " ADD deliveries :one REMOVE rawBody") // an entry stored in clear by an earlier build is sealed now
                .expressionAttributeValues(values));
        return id;
    }

    /** A quarantine item's raw body, byte-exact, for tools and tests that read items themselves. */
    public byte[] open(Map<String, AttributeValue> item) {
        return open(item.get(PayoutLedger.PK).s().substring("QUARANTINE#".length()), item.get(PayoutLedger.SK).s(), item);
    }

    /** An item's raw body, byte-exact (opens the sealed body: KMS Decrypt in AWS). */
    private byte[] open(String provider, String id, Map<String, AttributeValue> item) {
        AttributeValue sealed = item.get("sealedBody");
        if (sealed == null) {
            AttributeValue clear = item.get("rawBody"); // an entry from before sealing (never written now)
            return clear == null ? new byte[0] : Base64.getDecoder().decode(clear.s());
        }
        return keys.open(new QuarantineKeys.Sealed(PayoutItems.str(item, "bodyKeyId"), item.get("bodyKey").b().asByteArray(),
                sealed.b().asByteArray()), context(provider, id));
    }

    /** What a sealed body is bound to (AES-GCM associated data, KMS encryption context). */
    private static Map<String, String> context(String provider, String id) {
        return Map.of("purpose", "payout-callbacks/quarantine", "provider", provider, "quarantineId", id);
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
        table.client().updateItem(b -> b.tableName(table.name())
                .key(PayoutLedger.key("QUARANTINE#" + provider, id))
                .updateExpression("SET replayedAt = :at, replayResult = :r ADD replays :one")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":at", PayoutLedger.s(Timestamps.sortable(clock.instant())),
                        ":r", PayoutLedger.s(result), ":one", PayoutLedger.n(1))));
    }

    /** The provider's entries that have not expired (TTL may not have deleted an expired one yet). */
    public List<Entry> list(String provider) {
        List<Entry> entries = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        long now = clock.instant().getEpochSecond();
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = table.client().query(q -> q.tableName(table.name()).consistentRead(true)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", PayoutLedger.s("QUARANTINE#" + provider)))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                Instant expires = item.containsKey(EXPIRES_AT)
                        ? Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRES_AT).n())) : null;
                if (expires != null && expires.getEpochSecond() <= now) {
                    continue;
                }
                Map<String, String> headers = new HashMap<>();
                if (item.containsKey("headers")) {
                    item.get("headers").m().forEach((k, v) -> headers.put(k, v.s()));
                }
                int bytes = item.containsKey("bodyBytes") ? Integer.parseInt(item.get("bodyBytes").n())
                        : item.containsKey("rawBody") ? Base64.getDecoder().decode(item.get("rawBody").s()).length : 0;
                String id = item.get(PayoutLedger.SK).s();
                entries.add(new Entry(id, provider, item.get("reason").s(),
                        item.get("message").s(), item.get("receivedAt").s(), headers,
                        Long.parseLong(item.get("deliveries").n()),
                        item.containsKey("replayedAt") ? item.get("replayedAt").s() : null,
                        item.containsKey("replayResult") ? item.get("replayResult").s() : null,
                        bytes, expires, () -> open(provider, id, item)));
            }
            start = PayoutItems.nextPage(page);
        } while (start != null);
        return entries;
    }
}
