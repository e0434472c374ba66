package dev.payoutcallbacks.core;

import static dev.payoutcallbacks.core.PayoutLedger.PK;
import static dev.payoutcallbacks.core.PayoutLedger.SK;
import static dev.payoutcallbacks.core.PayoutLedger.STATE_SK;
import static dev.payoutcallbacks.core.PayoutLedger.n;
import static dev.payoutcallbacks.core.PayoutLedger.s;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
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
        item.put("refunded", s(st.refunded().toPlainString()));
        item.put("anomalies", n(st.anomalies()));
        item.put("updatedAt", s(Timestamps.sortable(now)));
        putIfPresent(item, "status", st.status() == null ? null : st.status().wireName());
        if (st.amount() != null) {
            item.put("amount", s(st.amount().amountText()));
            item.put("currency", s(st.amount().currency()));
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

    static PayoutState state(Map<String, AttributeValue> item) {
        return new PayoutState(
                str(item, "reference"),
                PayoutStatus.fromWireName(str(item, "status")),
                num(item, "version"),
                num(item, "revision"),
                money(item, "amount", "currency"),
                PayoutLedger.decimal(str(item, "refunded")),
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

    static Map<String, AttributeValue> historyItem(String pk, String sk, PayoutOutcome o, PayoutDecision d) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(pk));
        item.put(SK, s(sk));
        item.put("result", s(d.result().name()));
        item.put("reported", s(o.status().wireName()));
        putIfPresent(item, "statusAfter", d.next().status() == null ? null : d.next().status().wireName());
        item.put("versionAfter", n(d.next().version()));
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
        putIfPresent(item, "anomaly", d.anomaly());
        putIfPresent(item, "rawPayload", o.rawPayload());
        return item;
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
                str(item, "rawPayload"));
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

    private static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }
}
