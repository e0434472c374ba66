package dev.payoutcallbacks.core.ledger;

import static dev.payoutcallbacks.core.ledger.PayoutLedger.PK;
import static dev.payoutcallbacks.core.ledger.PayoutLedger.SK;
import static dev.payoutcallbacks.core.ledger.PayoutLedger.STATE_SK;
import static dev.payoutcallbacks.core.ledger.PayoutLedger.n;
import static dev.payoutcallbacks.core.ledger.PayoutLedger.s;

import dev.payoutcallbacks.core.payout.ApplyResult;
import dev.payoutcallbacks.core.payout.HistoryEntry;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.OutcomeSource;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutState;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.payout.Timestamps;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Maps payout state and history to DynamoDB items and back. Amounts are stored as decimal strings. */
final class PayoutItems {
    /** Sparse index key: present only while a payout (or a batch notice) waits for the reconciler. */
    static final String OPEN_PROVIDER = "openProvider";
    static final String CHECK_AFTER = "checkAfter";
    /** Sparse index key: present only while a payout waits for an operator. */
    static final String REVIEW_QUEUE = "reviewQueue";
    static final String FLAGGED_AT = "flaggedAt";
    static final String REVIEW = "REVIEW";
    /** Binary set: a 16-byte digest of every outcome recorded on this payout (the dedup keys). */
    static final String SEEN = "seen";
    /** Map: the outcome the last recording write recorded; the stream turns it into a HISTORY# item. */
    static final String LAST_OUTCOME = "lastOutcome";
    /** Number of outcomes recorded (APPLIED, STALE, CONFLICT): a stream record whose count grew carries one. */
    static final String RECORDED = "recorded";
    /** Number: amount − refunded while the amount is known, so a refund's condition can compare without a read. */
    static final String REFUNDABLE = "refundable";
    /** The id of the apply attempt that wrote last: tells our own write (answer lost, SDK retried) from another. */
    static final String LAST_WRITE = "lastWrite";
    /** List, on a history entry: the dedup keys it added to {@code seen}, when not just its news key. */
    static final String RECORDED_AS = "recordedAs";
    /** String set: the alias items (order key, provider payout id) already written for this payout. */
    static final String ALIASES = "aliases";

    private PayoutItems() {
    }

    /**
     * @param checkAfter when the reconciler should look at this payout if nothing happens; written (with
     *                   openProvider, the sparse OpenPayouts index key) only while the payout is open
     */
    static Map<String, AttributeValue> stateItem(String pk, PayoutState st, Instant now, Instant checkAfter) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(pk));
        item.put(SK, s(STATE_SK));
        item.put("reference", s(st.reference()));
        item.put("version", n(st.version()));
        item.put("revision", n(st.revision()));
        item.put("pollAttempts", n(st.pollAttempts()));
        if (st.open() && st.provider() != null && checkAfter != null) {
            item.put(OPEN_PROVIDER, s(st.provider()));
            item.put(CHECK_AFTER, s(Timestamps.sortable(checkAfter)));
        }
        putIfPresent(item, "registeredAt", st.registeredAt() == null ? null : Timestamps.sortable(st.registeredAt()));
        putIfPresent(item, "submittedAt", st.submittedAt() == null ? null : Timestamps.sortable(st.submittedAt()));
        item.put("refunded", AttributeValue.fromN(st.refunded().toPlainString()));
        item.put("anomalies", n(st.anomalies()));
        item.put("updatedAt", s(Timestamps.sortable(now)));
        putIfPresent(item, "status", st.status() == null ? null : st.status().wireName());
        if (st.amount() != null) {
            item.put("amount", s(st.amount().amountText()));
            item.put("currency", s(st.amount().currency()));
            item.put(REFUNDABLE, AttributeValue.fromN(st.amount().amount().subtract(st.refunded()).toPlainString()));
        }
        putIfPresent(item, "provider", st.provider());
        putIfPresent(item, "providerPayoutId", st.providerPayoutId());
        putIfPresent(item, "orderKey", st.orderKey());
        putIfPresent(item, "bankReference", st.bankReference());
        putIfPresent(item, "failureReason", st.failureReason());
        putIfPresent(item, "stage", st.stage());
        putIfPresent(item, "reviewReason", st.reviewReason());
        if (st.reviewReason() != null) {
            item.put(REVIEW_QUEUE, s(REVIEW));
            item.put(FLAGGED_AT, s(Timestamps.sortable(st.flaggedAt() != null ? st.flaggedAt() : now)));
        }
        putIfPresent(item, "lastOutcomeAt", st.lastOutcomeAt() == null ? null : Timestamps.sortable(st.lastOutcomeAt()));
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
                str(item, "reference"),
                PayoutStatus.fromWireName(str(item, "status")),
                num(item, "version"),
                num(item, "revision"),
                money(item, "amount", "currency"),
                decimal(item, "refunded"),
                str(item, "provider"),
                str(item, "providerPayoutId"),
                str(item, "orderKey"),
                str(item, "bankReference"),
                str(item, "failureReason"),
                str(item, "stage"),
                str(item, "reviewReason"),
                num(item, "anomalies"),
                instant(item, "lastOutcomeAt"),
                instant(item, "registeredAt"),
                instant(item, "submittedAt"),
                (int) num(item, "pollAttempts"),
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
        item.put("result", s(result.name()));
        item.put("reported", s(o.status().wireName()));
        putIfPresent(item, "statusAfter", statusAfter == null ? null : statusAfter.wireName());
        item.put("dedupKey", s(o.dedupKey()));
        item.put("provider", s(o.provider()));
        item.put("source", s(o.source().wireName()));
        item.put("receivedAt", s(Timestamps.sortable(o.receivedAt())));
        putIfPresent(item, "stage", o.stage());
        if (o.amount() != null) {
            item.put("amount", s(o.amount().amountText()));
            item.put("currency", s(o.amount().currency()));
        }
        if (o.adjustmentAmount() != null) {
            item.put("adjustmentAmount", s(o.adjustmentAmount().amountText()));
            item.put("adjustmentCurrency", s(o.adjustmentAmount().currency()));
        }
        putIfPresent(item, "adjustmentId", o.adjustmentId());
        putIfPresent(item, "failureReason", o.failureReason());
        putIfPresent(item, "bankReference", o.bankReference());
        putIfPresent(item, "eventTime", o.eventTime() == null ? null : Timestamps.sortable(o.eventTime()));
        putIfPresent(item, "anomaly", anomaly);
        if (recordedAs != null && !recordedAs.equals(List.of(o.dedupKey()))) {
            item.put(RECORDED_AS, AttributeValue.fromL(recordedAs.stream().map(PayoutLedger::s).toList()));
        }
        putIfPresent(item, "rawPayload", o.rawPayload());
        return OutcomeEntries.compact(item);
    }

    /** The HISTORY# item a state item's lastOutcome stands for; empty when it records none. */
    static java.util.Optional<Map<String, AttributeValue>> historyItem(Map<String, AttributeValue> stateItem) {
        AttributeValue last = stateItem.get(LAST_OUTCOME);
        if (last == null || !last.hasM() || last.m().get(SK) == null) {
            return java.util.Optional.empty();
        }
        Map<String, AttributeValue> item = OutcomeEntries.expand(last.m());
        item.put(PK, stateItem.get(PK));
        item.put("versionAfter", n(num(stateItem, "version")));
        return java.util.Optional.of(item);
    }

    static HistoryEntry historyEntry(Map<String, AttributeValue> item) {
        return new HistoryEntry(
                ApplyResult.valueOf(str(item, "result")),
                PayoutStatus.fromWireName(str(item, "reported")),
                PayoutStatus.fromWireName(str(item, "statusAfter")),
                num(item, "versionAfter"),
                str(item, "dedupKey"),
                str(item, "provider"),
                OutcomeSource.fromWireName(str(item, "source")),
                str(item, "stage"),
                money(item, "amount", "currency"),
                money(item, "adjustmentAmount", "adjustmentCurrency"),
                str(item, "adjustmentId"),
                str(item, "failureReason"),
                str(item, "bankReference"),
                str(item, "eventTime"),
                str(item, "receivedAt"),
                str(item, "anomaly"),
                str(item, "rawPayload"),
                item.get(RECORDED_AS) != null && item.get(RECORDED_AS).hasL()
                        ? item.get(RECORDED_AS).l().stream().map(AttributeValue::s).toList()
                        : List.of(str(item, "dedupKey")));
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

    /** The key to continue a query from, or null on its last page. */
    static Map<String, AttributeValue> nextPage(software.amazon.awssdk.services.dynamodb.model.QueryResponse page) {
        return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
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
