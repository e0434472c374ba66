package dev.payoutcallbacks.core.ledger;

import static dev.payoutcallbacks.core.ledger.PayoutItems.BODY_BYTES;
import static dev.payoutcallbacks.core.ledger.PayoutItems.BODY_KEY;
import static dev.payoutcallbacks.core.ledger.PayoutItems.BODY_KEY_ID;
import static dev.payoutcallbacks.core.ledger.PayoutItems.DELIVERIES;
import static dev.payoutcallbacks.core.ledger.PayoutItems.EXPIRES_AT;
import static dev.payoutcallbacks.core.ledger.PayoutItems.HEADERS;
import static dev.payoutcallbacks.core.ledger.PayoutItems.LAST_SEEN_AT;
import static dev.payoutcallbacks.core.ledger.PayoutItems.MESSAGE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.PK;
import static dev.payoutcallbacks.core.ledger.PayoutItems.PROVIDER;
import static dev.payoutcallbacks.core.ledger.PayoutItems.RAW_BODY;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REASON;
import static dev.payoutcallbacks.core.ledger.PayoutItems.RECEIVED_AT;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REPLAYED_AT;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REPLAYS;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REPLAY_RESULT;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REQUEST_ID;
import static dev.payoutcallbacks.core.ledger.PayoutItems.SEALED_BODY;
import static dev.payoutcallbacks.core.ledger.PayoutItems.SK;
import static dev.payoutcallbacks.core.ledger.PayoutItems.key;
import static dev.payoutcallbacks.core.ledger.PayoutItems.n;
import static dev.payoutcallbacks.core.ledger.PayoutItems.quarantineKey;
import static dev.payoutcallbacks.core.ledger.PayoutItems.quarantinedProvider;
import static dev.payoutcallbacks.core.ledger.PayoutItems.s;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.payout.Timestamps;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.CallbackRequest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
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
                        int bodyBytes, Instant expiresAt, Supplier<byte[]> opener) {
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
        Map<String, AttributeValue> headers = new HashMap<>();
        keptHeaders.forEach((k, v) -> headers.put(k, s(v)));
        table.client().updateItem(new Expressions()
                .set(PROVIDER, s(provider))
                .set(REASON, s(reason.name()))
                .set(MESSAGE, s(message == null ? "" : message))
                .setIfAbsent(RECEIVED_AT, s(Timestamps.sortable(request.receivedAt())))
                .set(LAST_SEEN_AT, s(Timestamps.sortable(now)))
                .set(SEALED_BODY, AttributeValue.fromB(SdkBytes.fromByteArray(sealed.ivAndCiphertext())))
                .set(BODY_KEY, AttributeValue.fromB(SdkBytes.fromByteArray(sealed.wrappedKey())))
                .set(BODY_KEY_ID, s(sealed.keyId()))
                .set(BODY_BYTES, n(request.body().length))
                .set(EXPIRES_AT, n(now.plus(retention).getEpochSecond()))
                .set(HEADERS, AttributeValue.fromM(headers))
                .set(REQUEST_ID, s(request.requestId() == null ? "" : request.requestId()))
                .add(DELIVERIES, n(1))
                .remove(RAW_BODY) // an entry stored in clear by an earlier build is sealed now
                .updateItem(table.name(), key(quarantineKey(provider), id)).build());
        return id;
    }

    /** A quarantine item's raw body, byte-exact, for tools and tests that read items themselves. */
    public byte[] open(Map<String, AttributeValue> item) {
        return open(quarantinedProvider(item.get(PK).s()), item.get(SK).s(), item);
    }

    /** An item's raw body, byte-exact (opens the sealed body: KMS Decrypt in AWS). */
    private byte[] open(String provider, String id, Map<String, AttributeValue> item) {
        AttributeValue sealed = item.get(SEALED_BODY);
        if (sealed == null) {
            AttributeValue clear = item.get(RAW_BODY); // an entry from before sealing (never written now)
            return clear == null ? new byte[0] : Base64.getDecoder().decode(clear.s());
        }
        return keys.open(new QuarantineKeys.Sealed(PayoutItems.str(item, BODY_KEY_ID),
                item.get(BODY_KEY).b().asByteArray(), sealed.b().asByteArray()), context(provider, id));
    }

    /** What a sealed body is bound to (AES-GCM associated data, KMS encryption context). */
    private static Map<String, String> context(String provider, String id) {
        return Map.of("purpose", "payout-callbacks/quarantine", "provider", provider, "quarantineId", id);
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records what a replay did; a later replay of the same entry is then skipped unless forced. */
    public void markReplayed(String provider, String id, String result) {
        Expressions replayed = new Expressions()
                .set(REPLAYED_AT, s(Timestamps.sortable(clock.instant())))
                .set(REPLAY_RESULT, s(result))
                .add(REPLAYS, n(1));
        table.client().updateItem(replayed.condition(replayed.exists(PK))
                .updateItem(table.name(), key(quarantineKey(provider), id)).build());
    }

    /** The provider's entries that have not expired (TTL may not have deleted an expired one yet). */
    public List<Entry> list(String provider) {
        List<Entry> entries = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        long now = clock.instant().getEpochSecond();
        do {
            Expressions ofProvider = new Expressions();
            ofProvider.condition(ofProvider.equal(PK, s(quarantineKey(provider))));
            QueryResponse page = table.client().query(ofProvider.query(table.name()).consistentRead(true)
                    .exclusiveStartKey(start).build());
            for (Map<String, AttributeValue> item : page.items()) {
                Instant expires = item.containsKey(EXPIRES_AT)
                        ? Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRES_AT).n())) : null;
                if (expires != null && expires.getEpochSecond() <= now) {
                    continue;
                }
                Map<String, String> headers = new HashMap<>();
                if (item.containsKey(HEADERS)) {
                    item.get(HEADERS).m().forEach((k, v) -> headers.put(k, v.s()));
                }
                int bytes = item.containsKey(BODY_BYTES) ? Integer.parseInt(item.get(BODY_BYTES).n())
                        : item.containsKey(RAW_BODY) ? Base64.getDecoder().decode(item.get(RAW_BODY).s()).length : 0;
                String id = item.get(SK).s();
                entries.add(new Entry(id, provider, item.get(REASON).s(),
                        item.get(MESSAGE).s(), item.get(RECEIVED_AT).s(), headers,
                        Long.parseLong(item.get(DELIVERIES).n()),
                        PayoutItems.str(item, REPLAYED_AT), PayoutItems.str(item, REPLAY_RESULT),
                        bytes, expires, () -> open(provider, id, item)));
            }
            start = PayoutItems.nextPage(page);
        } while (start != null);
        return entries;
    }
}
