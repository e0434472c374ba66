package dev.payoutcallbacks.core.ledger;

import static dev.payoutcallbacks.core.ledger.PayoutItems.AMOUNT;
import static dev.payoutcallbacks.core.ledger.PayoutItems.ANOMALIES;
import static dev.payoutcallbacks.core.ledger.PayoutItems.BANK_REFERENCE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.CHECK_AFTER;
import static dev.payoutcallbacks.core.ledger.PayoutItems.CURRENCY;
import static dev.payoutcallbacks.core.ledger.PayoutItems.FAILURE_REASON;
import static dev.payoutcallbacks.core.ledger.PayoutItems.LAST_OUTCOME;
import static dev.payoutcallbacks.core.ledger.PayoutItems.LAST_OUTCOME_AT;
import static dev.payoutcallbacks.core.ledger.PayoutItems.LAST_WRITE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.OPEN_PROVIDER;
import static dev.payoutcallbacks.core.ledger.PayoutItems.ORDER_KEY;
import static dev.payoutcallbacks.core.ledger.PayoutItems.PK;
import static dev.payoutcallbacks.core.ledger.PayoutItems.POLL_ATTEMPTS;
import static dev.payoutcallbacks.core.ledger.PayoutItems.PROVIDER;
import static dev.payoutcallbacks.core.ledger.PayoutItems.PROVIDER_PAYOUT_ID;
import static dev.payoutcallbacks.core.ledger.PayoutItems.RECORDED;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REFERENCE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REFUNDABLE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REFUNDED;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REGISTERED_AT;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REVISION;
import static dev.payoutcallbacks.core.ledger.PayoutItems.SEEN;
import static dev.payoutcallbacks.core.ledger.PayoutItems.STAGE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.STATE_SK;
import static dev.payoutcallbacks.core.ledger.PayoutItems.STATUS;
import static dev.payoutcallbacks.core.ledger.PayoutItems.UPDATED_AT;
import static dev.payoutcallbacks.core.ledger.PayoutItems.VERSION;
import static dev.payoutcallbacks.core.ledger.PayoutItems.key;
import static dev.payoutcallbacks.core.ledger.PayoutItems.n;

import dev.payoutcallbacks.core.payout.ApplyResult;
import dev.payoutcallbacks.core.payout.PayoutDecision;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutState;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.payout.StuckThresholds;
import dev.payoutcallbacks.core.payout.Timestamps;
import dev.payoutcallbacks.core.payout.TransitionTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The one conditional UpdateItem that applies an outcome without reading the payout first.
 *
 * <p>The transition table and the money checks become the write's condition. It holds only on a stored
 * state for which {@link PayoutDecision} answers APPLIED and produces exactly the state this update
 * writes; on any other state it fails, DynamoDB hands the stored item back (ALL_OLD) and the ledger
 * decides in Java. The condition may therefore be stricter than the decision (the ledger then applies
 * on its slower path), never looser: {@code OutcomeUpdateTest} compares the two on generated states.
 */
final class OutcomeUpdate {
    private OutcomeUpdate() {
    }

    /**
     * @param seenKeys   the keys the outcome adds to {@code seen}; the first is its news (dedup) key
     * @param recordedAs the key texts, for the history entry, when more than the news key is recorded
     * @return the update, or empty when no stored state can make this outcome apply without a decision in
     * Java (an operator's resolution, a refund of a payout not known to be paid, ...)
     */
    static Optional<UpdateItemRequest> request(String table, String pk, PayoutOutcome o, String historySk,
                                               List<SdkBytes> seenKeys, List<String> recordedAs, String attemptId,
                                               Instant now, StuckThresholds stuckAfter) {
        return applying(o, historySk, seenKeys, recordedAs, attemptId, now, stuckAfter).map(u -> request(u, table, pk));
    }

    /**
     * The same update of a sample outcome, on condition that the payout exists: sent for a key that never does, it
     * loads and warms the write path (SnapStart priming) and writes nothing.
     */
    static Optional<UpdateItemRequest> priming(String table, String pk, PayoutOutcome sample, String historySk,
                                               SdkBytes seenKey, Instant now, StuckThresholds stuckAfter) {
        return applying(sample, historySk, List.of(seenKey), null, "priming", now, stuckAfter)
                .map(u -> request(u.condition(u.exists(PK)), table, pk));
    }

    private static Optional<Expressions> applying(PayoutOutcome o, String historySk, List<SdkBytes> seenKeys,
                                                  List<String> recordedAs, String attemptId, Instant now,
                                                  StuckThresholds stuckAfter) {
        SdkBytes seenKey = seenKeys.get(0);
        if (o.operator() != null) {
            return Optional.empty(); // resolutions depend on the review flag: decided in Java
        }
        PayoutStatus to = o.status();
        Expressions u = new Expressions();
        List<PayoutStatus> from = new ArrayList<>();
        boolean fromNew = !to.isRefund() && TransitionTable.verdict(null, to) == TransitionTable.Verdict.APPLY;
        for (PayoutStatus s : PayoutStatus.values()) {
            boolean paidBefore = s == PayoutStatus.PAID || s == PayoutStatus.PARTIALLY_REFUNDED;
            // A refund's arithmetic needs a known paid amount: only from a paid (or partly refunded) payout.
            if (TransitionTable.verdict(s, to) == TransitionTable.Verdict.APPLY && (!to.isRefund() || paidBefore)) {
                from.add(s);
            }
        }
        if (from.isEmpty() && !fromNew) {
            return Optional.empty();
        }

        u.condition("NOT contains(" + u.name(SEEN) + ", " + u.value(AttributeValue.fromB(seenKey)) + ")");
        List<String> statusValues = new ArrayList<>();
        for (PayoutStatus s : from) {
            statusValues.add(u.value(AttributeValue.fromS(s.wireName())));
        }
        String status = u.name(STATUS);
        String inFrom = statusValues.isEmpty() ? null : status + " IN (" + String.join(", ", statusValues) + ")";
        u.condition(fromNew
                ? (inFrom == null ? u.notExists(STATUS) : "(" + u.notExists(STATUS) + " OR " + inFrom + ")")
                : inFrom);
        String zero = u.value(AttributeValue.fromN("0"));
        if (o.amount() != null) {
            // PayoutDecision: a known amount must agree (here: the same text, stricter than sameAs).
            u.condition("((" + u.notExists(AMOUNT) + " AND (" + u.notExists(REFUNDED) + " OR " + u.name(REFUNDED)
                    + " = " + zero + ")) OR (" + u.equal(AMOUNT, AttributeValue.fromS(o.amount().amountText()))
                    + " AND " + u.equal(CURRENCY, AttributeValue.fromS(o.amount().currency())) + "))");
        }
        if (o.providerPayoutId() != null) {
            // PayoutDecision: another provider payout for this payout is a disagreement, never applied.
            u.condition("(" + u.notExists(PROVIDER_PAYOUT_ID) + " OR "
                    + u.equal(PROVIDER_PAYOUT_ID, AttributeValue.fromS(o.providerPayoutId())) + ")");
        }
        // PayoutState.applied keeps a registered provider and takes the outcome's otherwise: pin them equal.
        String provider = u.value(AttributeValue.fromS(o.provider()));
        u.condition("(" + u.notExists(REGISTERED_AT) + " OR " + u.name(PROVIDER) + " = " + provider + ")");

        PayoutStatus after = to;
        if (to.isRefund()) {
            String refund = u.value(AttributeValue.fromN(o.adjustmentAmount().amount().toPlainString()));
            u.condition(u.equal(CURRENCY, AttributeValue.fromS(o.adjustmentAmount().currency())));
            // The provider's full/partial word picks which comparison to try; the other case takes the Java path.
            u.condition(u.name(REFUNDABLE) + (to == PayoutStatus.REFUNDED ? " = " : " > ") + refund);
            u.setTo(REFUNDED, u.name(REFUNDED) + " + " + refund);
            u.setTo(REFUNDABLE, u.name(REFUNDABLE) + " - " + refund);
        } else {
            u.setTo(REFUNDED, "if_not_exists(" + u.name(REFUNDED) + ", " + zero + ")");
            if (o.amount() != null) {
                u.set(AMOUNT, AttributeValue.fromS(o.amount().amountText()));
                u.set(CURRENCY, AttributeValue.fromS(o.amount().currency()));
                u.setIfAbsent(REFUNDABLE, AttributeValue.fromN(o.amount().amount().toPlainString()));
            }
        }

        u.set(STATUS, AttributeValue.fromS(after.wireName()));
        u.set(REFERENCE, AttributeValue.fromS(o.payoutReference()));
        u.setTo(PROVIDER, provider);
        u.set(LAST_OUTCOME_AT, AttributeValue.fromS(Timestamps.sortable(o.receivedAt())));
        u.setTo(POLL_ATTEMPTS, zero);
        u.set(UPDATED_AT, AttributeValue.fromS(Timestamps.sortable(now)));
        u.setTo(ANOMALIES, "if_not_exists(" + u.name(ANOMALIES) + ", " + zero + ")");
        u.setIfPresent(PROVIDER_PAYOUT_ID, o.providerPayoutId());
        u.setIfPresent(ORDER_KEY, o.orderKey());
        u.setIfPresent(BANK_REFERENCE, o.bankReference());
        if (after.kind() == PayoutStatus.Kind.FAILURE) {
            u.setIfPresent(FAILURE_REASON, o.failureReason());
        }
        u.setIfPresent(STAGE, o.stage());
        if (after == PayoutStatus.PENDING) {
            // Still open: due for the reconciler if nothing else comes (the sparse OpenPayouts index).
            u.set(OPEN_PROVIDER, AttributeValue.fromS(o.provider()));
            u.set(CHECK_AFTER, AttributeValue.fromS(Timestamps.sortable(
                    o.receivedAt().plus(stuckAfter.forProvider(o.provider())))));
        } else {
            u.remove(OPEN_PROVIDER, CHECK_AFTER);
        }
        u.set(LAST_OUTCOME, AttributeValue.fromM(
                PayoutItems.outcomeEntry(historySk, o, ApplyResult.APPLIED, after, null, recordedAs)));
        u.set(LAST_WRITE, AttributeValue.fromS(attemptId));
        u.add(VERSION, n(1));
        u.add(REVISION, n(1));
        u.add(RECORDED, n(1));
        u.add(SEEN, AttributeValue.fromBs(seenKeys));
        return Optional.of(u);
    }

    /**
     * Records a STALE or CONFLICT outcome without racing on the revision: one UpdateItem that adds the
     * outcome's keys to {@code seen}, sets it as lastOutcome, fills in the facts the payout lacked and, for a
     * conflict, flags the payout, on condition that everything {@link PayoutDecision} read to decide it is
     * still as it was (status, amount, refunded total, provider payout, bank reference, order key, provider,
     * registration). Concurrent stale or conflicting deliveries to one payout thus all record at first try:
     * none of them changes what the others were decided on.
     */
    static UpdateItemRequest recording(String table, String pk, PayoutState current, PayoutDecision d,
                                       PayoutOutcome o, String historySk, List<SdkBytes> seenKeys,
                                       List<String> recordedAs, String attemptId, Instant now) {
        if (d.result() != ApplyResult.STALE && d.result() != ApplyResult.CONFLICT) {
            throw new IllegalArgumentException("only stale and conflicting outcomes are recorded this way");
        }
        Expressions u = new Expressions();
        PayoutState next = d.next();
        u.condition(u.exists(PK));
        for (SdkBytes key : seenKeys) {
            u.condition("NOT contains(" + u.name(SEEN) + ", " + u.value(AttributeValue.fromB(key)) + ")");
        }
        unchanged(u, STATUS, current.status() == null ? null : current.status().wireName());
        unchanged(u, AMOUNT, current.amount() == null ? null : current.amount().amountText());
        unchanged(u, CURRENCY, current.amount() == null ? null : current.amount().currency());
        String refunded = u.value(AttributeValue.fromN(current.refunded().toPlainString()));
        u.condition(current.refunded().signum() == 0
                ? "(" + u.notExists(REFUNDED) + " OR " + u.name(REFUNDED) + " = " + refunded + ")"
                : u.name(REFUNDED) + " = " + refunded);
        unchanged(u, PROVIDER_PAYOUT_ID, current.providerPayoutId());
        unchanged(u, BANK_REFERENCE, current.bankReference());
        unchanged(u, ORDER_KEY, current.orderKey());
        unchanged(u, PROVIDER, current.provider());
        u.condition(current.registered() ? u.exists(REGISTERED_AT) : u.notExists(REGISTERED_AT));

        for (String[] fact : new String[][] {{PROVIDER_PAYOUT_ID, current.providerPayoutId(), next.providerPayoutId()},
                {BANK_REFERENCE, current.bankReference(), next.bankReference()},
                {ORDER_KEY, current.orderKey(), next.orderKey()}}) {
            if (fact[1] == null && fact[2] != null) {
                u.set(fact[0], AttributeValue.fromS(fact[2]));
            }
        }
        if (d.result() == ApplyResult.CONFLICT) {
            PayoutItems.flagged(u, d.anomaly(), next.flaggedAt() != null ? next.flaggedAt() : now);
        }
        u.set(UPDATED_AT, AttributeValue.fromS(Timestamps.sortable(now)));
        u.set(LAST_OUTCOME, AttributeValue.fromM(PayoutItems.outcomeEntry(historySk, o, d.result(), next.status(),
                d.anomaly(), recordedAs)));
        u.set(LAST_WRITE, AttributeValue.fromS(attemptId));
        u.add(REVISION, n(1));
        u.add(RECORDED, n(1));
        u.add(SEEN, AttributeValue.fromBs(seenKeys));
        return request(u, table, pk);
    }

    /** The update of the payout's state item; on refusal DynamoDB hands back the stored item (ALL_OLD). */
    private static UpdateItemRequest request(Expressions u, String table, String pk) {
        return u.updateItem(table, key(pk, STATE_SK))
                .returnValues(ReturnValue.ALL_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }

    /** Condition: the string attribute still has the value decided on (absent when null). */
    private static void unchanged(Expressions u, String attribute, String decidedOn) {
        u.condition(decidedOn == null ? u.notExists(attribute) : u.equal(attribute, AttributeValue.fromS(decidedOn)));
    }
}
