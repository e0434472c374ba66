package dev.payoutcallbacks.core.ledger;

import dev.payoutcallbacks.core.payout.ApplyResult;
import dev.payoutcallbacks.core.payout.BatchNotice;
import dev.payoutcallbacks.core.payout.HistoryEntry;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.OutcomeSource;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutState;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.payout.Timestamps;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The payouts table's items, declared once (infra/TABLE-DESIGN.md tells the same in prose): the key shapes, the
 * name of every attribute, how values are encoded (amounts as decimal strings, times as {@link Timestamps#sortable}),
 * and payout state and history to items and back. The stored format is public (the change publisher and downstream
 * consumers read it): a name here is never renamed.
 */
public final class PayoutItems {
    public static final String PK = "pk";
    public static final String SK = "sk";
    /** The sort key of a payout's state item; its partition key is {@link #payoutKey}. */
    public static final String STATE_SK = "STATE";
    static final String HISTORY_PREFIX = "HISTORY#";
    static final String ALIAS_SK = "ALIAS";
    private static final String PAYOUT_PREFIX = "PAYOUT#";
    private static final String QUARANTINE_PREFIX = "QUARANTINE#";

    /** The sparse index of payouts (and batch notices) waiting for the reconciler: openProvider, checkAfter. */
    static final String OPEN_PAYOUTS_INDEX = "OpenPayouts";
    /** The sparse index of payouts waiting for an operator: reviewQueue, flaggedAt. */
    static final String REVIEW_QUEUE_INDEX = "ReviewQueue";

    // A payout's state item.
    public static final String REFERENCE = "reference";
    public static final String STATUS = "status";
    /** Number of outcomes applied: what downstream dedupes changes on. */
    public static final String VERSION = "version";
    /** Number of writes of the item: the optimistic lock of whole-item writes. */
    public static final String REVISION = "revision";
    public static final String AMOUNT = "amount";
    public static final String CURRENCY = "currency";
    /** Number: the total refunded so far. */
    public static final String REFUNDED = "refunded";
    /** Number: amount − refunded while the amount is known, so a refund's condition can compare without a read. */
    public static final String REFUNDABLE = "refundable";
    public static final String PROVIDER = "provider";
    public static final String PROVIDER_PAYOUT_ID = "providerPayoutId";
    public static final String ORDER_KEY = "orderKey";
    public static final String BANK_REFERENCE = "bankReference";
    public static final String FAILURE_REASON = "failureReason";
    public static final String STAGE = "stage";
    /** Present while the payout waits for an operator: why. */
    public static final String REVIEW_REASON = "reviewReason";
    public static final String ANOMALIES = "anomalies";
    public static final String LAST_OUTCOME_AT = "lastOutcomeAt";
    public static final String REGISTERED_AT = "registeredAt";
    public static final String SUBMITTED_AT = "submittedAt";
    public static final String POLL_ATTEMPTS = "pollAttempts";
    public static final String UPDATED_AT = "updatedAt";
    /** Sparse index key: present only while a payout (or a batch notice) waits for the reconciler. */
    public static final String OPEN_PROVIDER = "openProvider";
    public static final String CHECK_AFTER = "checkAfter";
    /** Sparse index key: present only while a payout waits for an operator; always {@link #REVIEW}. */
    public static final String REVIEW_QUEUE = "reviewQueue";
    public static final String FLAGGED_AT = "flaggedAt";
    static final String REVIEW = "REVIEW";
    /** Binary set: a 16-byte digest of every outcome recorded on this payout (the dedup keys). */
    public static final String SEEN = "seen";
    /** Map: the outcome the last recording write recorded; the stream turns it into a HISTORY# item. */
    public static final String LAST_OUTCOME = "lastOutcome";
    /** Number of outcomes recorded (APPLIED, STALE, CONFLICT): a stream record whose count grew carries one. */
    public static final String RECORDED = "recorded";
    /** The id of the apply attempt that wrote last: tells our own write (answer lost, SDK retried) from another. */
    public static final String LAST_WRITE = "lastWrite";
    /** String set: the alias items (order key, provider payout id) already written for this payout. */
    public static final String ALIASES = "aliases";

    // A history entry (and the state item's lastOutcome), besides the fields it shares with the state.
    public static final String RESULT = "result";
    public static final String REPORTED = "reported";
    public static final String STATUS_AFTER = "statusAfter";
    public static final String VERSION_AFTER = "versionAfter";
    public static final String DEDUP_KEY = "dedupKey";
    public static final String SOURCE = "source";
    public static final String RECEIVED_AT = "receivedAt";
    public static final String ADJUSTMENT_AMOUNT = "adjustmentAmount";
    public static final String ADJUSTMENT_CURRENCY = "adjustmentCurrency";
    public static final String ADJUSTMENT_ID = "adjustmentId";
    public static final String EVENT_TIME = "eventTime";
    public static final String ANOMALY = "anomaly";
    /** List: the dedup keys the entry added to {@code seen}, when not just its news key. */
    public static final String RECORDED_AS = "recordedAs";
    public static final String RAW_PAYLOAD = "rawPayload";

    // A batch notice, besides provider, receivedAt, rawPayload, the index keys and the review flag.
    public static final String BATCH_ID = "batchId";
    public static final String EVENT = "event";
    public static final String TOTALS = "totals";
    public static final String AWAITING_ITEM_FETCH = "awaitingItemFetch";
    public static final String FETCH_ATTEMPTS = "fetchAttempts";
    public static final String ITEMS_FETCHED = "itemsFetched";
    public static final String RESOLVED_AT = "resolvedAt";

    // A quarantine entry, besides provider and receivedAt.
    public static final String REASON = "reason";
    public static final String MESSAGE = "message";
    public static final String LAST_SEEN_AT = "lastSeenAt";
    /** Binary: the raw body, AES-GCM under its own data key. */
    public static final String SEALED_BODY = "sealedBody";
    /** Binary: that data key, wrapped (KMS in AWS). */
    public static final String BODY_KEY = "bodyKey";
    public static final String BODY_KEY_ID = "bodyKeyId";
    public static final String BODY_BYTES = "bodyBytes";
    /** Base64 of the raw body in clear: entries stored before sealing only (never written now). */
    public static final String RAW_BODY = "rawBody";
    /** Map: the headers needed to verify the callback again. */
    public static final String HEADERS = "headers";
    public static final String REQUEST_ID = "requestId";
    public static final String DELIVERIES = "deliveries";
    public static final String REPLAYS = "replays";
    public static final String REPLAYED_AT = "replayedAt";
    public static final String REPLAY_RESULT = "replayResult";
    /** Number, epoch seconds: the table's TTL attribute (the only item that has one). */
    public static final String EXPIRES_AT = "expiresAt";

    private PayoutItems() {
    }

    /** The partition of a payout: its state item and its history. */
    static String payoutKey(String reference) {
        return PAYOUT_PREFIX + reference;
    }

    /** Whether a key is a payout's state item (rather than its history, an alias, a batch notice, ...). */
    public static boolean isPayoutState(String pk, String sk) {
        return STATE_SK.equals(sk) && pk.startsWith(PAYOUT_PREFIX);
    }

    /** The payout reference a {@link #payoutKey} names. */
    public static String referenceOf(String payoutKey) {
        return payoutKey.substring(PAYOUT_PREFIX.length());
    }

    /** The sort key of an outcome's history entry: its receive time (so history sorts in time) and its dedup key. */
    static String historySortKey(PayoutOutcome o) {
        String digest = UUID.nameUUIDFromBytes(o.dedupKey().getBytes(StandardCharsets.UTF_8)).toString()
                .substring(0, 8);
        return HISTORY_PREFIX + Timestamps.sortable(o.receivedAt()) + "#" + digest;
    }

    /**
     * The alias items naming a payout: its order key, and its provider's payout id for providers whose events may
     * lack the reference. Each holds the payout's reference under {@link #ALIAS_SK}.
     */
    static List<String> aliases(String orderKey, String provider, String providerPayoutId, boolean byProviderPayoutId) {
        List<String> aliases = new ArrayList<>(2);
        if (orderKey != null) {
            aliases.add("ALIAS#ORDER#" + orderKey);
        }
        if (byProviderPayoutId && providerPayoutId != null) {
            aliases.add("ALIAS#PAYOUT#" + provider + "#" + providerPayoutId);
        }
        return aliases;
    }

    /** The partition of a provider's quarantined callbacks (sort key: the SHA-256 of the raw body). */
    static String quarantineKey(String provider) {
        return QUARANTINE_PREFIX + provider;
    }

    /** The provider a {@link #quarantineKey} names. */
    static String quarantinedProvider(String quarantineKey) {
        return quarantineKey.substring(QUARANTINE_PREFIX.length());
    }

    /**
     * @param checkAfter when the reconciler should look at this payout if nothing happens; written (with
     *                   openProvider, the sparse OpenPayouts index key) only while the payout is open
     */
    static Map<String, AttributeValue> stateItem(String pk, PayoutState st, Instant now, Instant checkAfter) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(pk));
        item.put(SK, s(STATE_SK));
        item.put(REFERENCE, s(st.reference()));
        item.put(VERSION, n(st.version()));
        item.put(REVISION, n(st.revision()));
        item.put(POLL_ATTEMPTS, n(st.pollAttempts()));
        if (st.open() && st.provider() != null && checkAfter != null) {
            item.put(OPEN_PROVIDER, s(st.provider()));
            item.put(CHECK_AFTER, s(Timestamps.sortable(checkAfter)));
        }
        putIfPresent(item, REGISTERED_AT, st.registeredAt());
        putIfPresent(item, SUBMITTED_AT, st.submittedAt());
        item.put(REFUNDED, AttributeValue.fromN(st.refunded().toPlainString()));
        item.put(ANOMALIES, n(st.anomalies()));
        item.put(UPDATED_AT, s(Timestamps.sortable(now)));
        putIfPresent(item, STATUS, st.status() == null ? null : st.status().wireName());
        if (st.amount() != null) {
            item.put(AMOUNT, s(st.amount().amountText()));
            item.put(CURRENCY, s(st.amount().currency()));
            item.put(REFUNDABLE, AttributeValue.fromN(st.amount().amount().subtract(st.refunded()).toPlainString()));
        }
        putIfPresent(item, PROVIDER, st.provider());
        putIfPresent(item, PROVIDER_PAYOUT_ID, st.providerPayoutId());
        putIfPresent(item, ORDER_KEY, st.orderKey());
        putIfPresent(item, BANK_REFERENCE, st.bankReference());
        putIfPresent(item, FAILURE_REASON, st.failureReason());
        putIfPresent(item, STAGE, st.stage());
        putIfPresent(item, REVIEW_REASON, st.reviewReason());
        if (st.reviewReason() != null) {
            item.put(REVIEW_QUEUE, s(REVIEW));
            item.put(FLAGGED_AT, s(Timestamps.sortable(st.flaggedAt() != null ? st.flaggedAt() : now)));
        }
        putIfPresent(item, LAST_OUTCOME_AT, st.lastOutcomeAt());
        return item;
    }

    /**
     * Copies from a stored state item what {@link PayoutState} does not model (the outcomes seen, the
     * last recorded outcome) into a replacement item, so a whole-item write keeps them.
     */
    static void carryUnmodelled(Map<String, AttributeValue> stored, Map<String, AttributeValue> replacement) {
        for (String name : new String[] {SEEN, LAST_OUTCOME, RECORDED, LAST_WRITE, ALIASES}) {
            AttributeValue v = stored.get(name);
            if (v != null) {
                replacement.putIfAbsent(name, v);
            }
        }
    }

    static PayoutState state(Map<String, AttributeValue> item) {
        return new PayoutState(
                str(item, REFERENCE),
                PayoutStatus.fromWireName(str(item, STATUS)),
                num(item, VERSION),
                num(item, REVISION),
                money(item, AMOUNT, CURRENCY),
                decimal(item, REFUNDED),
                str(item, PROVIDER),
                str(item, PROVIDER_PAYOUT_ID),
                str(item, ORDER_KEY),
                str(item, BANK_REFERENCE),
                str(item, FAILURE_REASON),
                str(item, STAGE),
                str(item, REVIEW_REASON),
                num(item, ANOMALIES),
                instant(item, LAST_OUTCOME_AT),
                instant(item, REGISTERED_AT),
                instant(item, SUBMITTED_AT),
                (int) num(item, POLL_ATTEMPTS),
                instant(item, FLAGGED_AT));
    }

    /**
     * What one recorded outcome leaves in history, without the payout key and the version after it (the
     * state item's version at the write that recorded it): stored as the state item's lastOutcome, in
     * {@link OutcomeEntries#compact compact} form ({@link #historyItem} expands it).
     */
    static Map<String, AttributeValue> outcomeEntry(String historySk, PayoutOutcome o, ApplyResult result,
                                                    PayoutStatus statusAfter, String anomaly) {
        return outcomeEntry(historySk, o, result, statusAfter, anomaly, null);
    }

    /**
     * @param recordedAs the dedup keys this outcome added to {@code seen} when they are not just its news
     *                   key (a disagreement's key; a refund id with its amount); null otherwise
     */
    static Map<String, AttributeValue> outcomeEntry(String historySk, PayoutOutcome o, ApplyResult result,
                                                    PayoutStatus statusAfter, String anomaly, List<String> recordedAs) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(SK, s(historySk));
        item.put(RESULT, s(result.name()));
        item.put(REPORTED, s(o.status().wireName()));
        putIfPresent(item, STATUS_AFTER, statusAfter == null ? null : statusAfter.wireName());
        item.put(DEDUP_KEY, s(o.dedupKey()));
        item.put(PROVIDER, s(o.provider()));
        item.put(SOURCE, s(o.source().wireName()));
        item.put(RECEIVED_AT, s(Timestamps.sortable(o.receivedAt())));
        putIfPresent(item, STAGE, o.stage());
        if (o.amount() != null) {
            item.put(AMOUNT, s(o.amount().amountText()));
            item.put(CURRENCY, s(o.amount().currency()));
        }
        if (o.adjustmentAmount() != null) {
            item.put(ADJUSTMENT_AMOUNT, s(o.adjustmentAmount().amountText()));
            item.put(ADJUSTMENT_CURRENCY, s(o.adjustmentAmount().currency()));
        }
        putIfPresent(item, ADJUSTMENT_ID, o.adjustmentId());
        putIfPresent(item, FAILURE_REASON, o.failureReason());
        putIfPresent(item, BANK_REFERENCE, o.bankReference());
        putIfPresent(item, EVENT_TIME, o.eventTime());
        putIfPresent(item, ANOMALY, anomaly);
        if (recordedAs != null && !recordedAs.equals(List.of(o.dedupKey()))) {
            item.put(RECORDED_AS, AttributeValue.fromL(recordedAs.stream().map(PayoutItems::s).toList()));
        }
        putIfPresent(item, RAW_PAYLOAD, o.rawPayload());
        return OutcomeEntries.compact(item);
    }

    /** The HISTORY# item a state item's lastOutcome stands for; empty when it records none. */
    static Optional<Map<String, AttributeValue>> historyItem(Map<String, AttributeValue> stateItem) {
        AttributeValue last = stateItem.get(LAST_OUTCOME);
        if (last == null || !last.hasM() || last.m().get(SK) == null) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = OutcomeEntries.expand(last.m());
        item.put(PK, stateItem.get(PK));
        item.put(VERSION_AFTER, n(num(stateItem, VERSION)));
        return Optional.of(item);
    }

    static HistoryEntry historyEntry(Map<String, AttributeValue> item) {
        return new HistoryEntry(
                ApplyResult.valueOf(str(item, RESULT)),
                PayoutStatus.fromWireName(str(item, REPORTED)),
                PayoutStatus.fromWireName(str(item, STATUS_AFTER)),
                num(item, VERSION_AFTER),
                str(item, DEDUP_KEY),
                str(item, PROVIDER),
                OutcomeSource.fromWireName(str(item, SOURCE)),
                str(item, STAGE),
                money(item, AMOUNT, CURRENCY),
                money(item, ADJUSTMENT_AMOUNT, ADJUSTMENT_CURRENCY),
                str(item, ADJUSTMENT_ID),
                str(item, FAILURE_REASON),
                str(item, BANK_REFERENCE),
                str(item, EVENT_TIME),
                str(item, RECEIVED_AT),
                str(item, ANOMALY),
                str(item, RAW_PAYLOAD),
                item.get(RECORDED_AS) != null && item.get(RECORDED_AS).hasL()
                        ? item.get(RECORDED_AS).l().stream().map(AttributeValue::s).toList()
                        : List.of(str(item, DEDUP_KEY)));
    }

    /**
     * A provider's batch notice (totals only), due for the reconciler at once (only it can fetch the items):
     * {@code BATCH#<provider>#<batch id>} / {@code NOTICE#<event>}.
     */
    static Map<String, AttributeValue> batchNoticeItem(BatchNotice notice) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s("BATCH#" + notice.provider() + "#" + notice.batchId()));
        item.put(SK, s("NOTICE#" + notice.event()));
        item.put(PROVIDER, s(notice.provider()));
        item.put(BATCH_ID, s(notice.batchId()));
        item.put(EVENT, s(notice.event()));
        item.put(TOTALS, s(notice.totalsJson()));
        item.put(RECEIVED_AT, s(Timestamps.sortable(notice.receivedAt())));
        item.put(AWAITING_ITEM_FETCH, AttributeValue.fromBool(true));
        item.put(OPEN_PROVIDER, s(notice.provider()));
        item.put(CHECK_AFTER, s(Timestamps.sortable(notice.receivedAt())));
        putIfPresent(item, RAW_PAYLOAD, notice.rawPayload());
        return item;
    }

    /** Flags a payout for review, keeping the first reason and time if it is flagged already; one more anomaly. */
    static Expressions flagged(Expressions update, String reason, Instant at) {
        return update.setIfAbsent(REVIEW_REASON, s(reason))
                .set(REVIEW_QUEUE, s(REVIEW))
                .setIfAbsent(FLAGGED_AT, s(Timestamps.sortable(at)))
                .add(ANOMALIES, n(1));
    }

    private static Money money(Map<String, AttributeValue> item, String amount, String currency) {
        String a = str(item, amount);
        return a == null ? null : new Money(new BigDecimal(a), str(item, currency));
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String v = str(item, name);
        return v == null ? null : Instant.parse(v);
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, Instant value) {
        putIfPresent(item, name, value == null ? null : Timestamps.sortable(value));
    }

    /** The key to continue a query from, or null on its last page. */
    static Map<String, AttributeValue> nextPage(QueryResponse page) {
        return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    }

    public static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, s(pk), SK, s(sk));
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    /** A string or number attribute as its text; null when absent or of another type. */
    public static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null) {
            return null;
        }
        return v.s() != null ? v.s() : v.n();
    }

    static BigDecimal decimal(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? BigDecimal.ZERO : new BigDecimal(v.n());
    }

    static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }
}
