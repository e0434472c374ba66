package dev.payoutcallbacks.core.ledger;

import static dev.payoutcallbacks.core.ledger.PayoutItems.LAST_OUTCOME;
import static dev.payoutcallbacks.core.ledger.PayoutItems.LAST_WRITE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.RECORDED;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REFUNDABLE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.SEEN;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();
    private final List<String> conditions = new ArrayList<>();
    private final List<String> sets = new ArrayList<>();
    private final List<String> adds = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();

    private OutcomeUpdate() {
    }

    /**
     * @return the update, or empty when no stored state can make this outcome apply without a decision in
     * Java (an operator's resolution, a refund of a payout not known to be paid, ...)
     */
    static Optional<UpdateItemRequest> request(String table, String pk, PayoutOutcome o, String historySk,
                                               SdkBytes seenKey, String attemptId, Instant now,
                                               StuckThresholds stuckAfter) {
        return request(table, pk, o, historySk, List.of(seenKey), null, attemptId, now, stuckAfter);
    }

    /**
     * @param seenKeys   the keys the outcome adds to {@code seen}; the first is its news (dedup) key
     * @param recordedAs the key texts, for the history entry, when more than the news key is recorded
     */
    static Optional<UpdateItemRequest> request(String table, String pk, PayoutOutcome o, String historySk,
                                               List<SdkBytes> seenKeys, List<String> recordedAs, String attemptId,
                                               Instant now, StuckThresholds stuckAfter) {
        SdkBytes seenKey = seenKeys.get(0);
        if (o.operator() != null) {
            return Optional.empty(); // resolutions depend on the review flag: decided in Java
        }
        PayoutStatus to = o.status();
        OutcomeUpdate u = new OutcomeUpdate();
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

        u.conditions.add("NOT contains(" + u.name(SEEN) + ", " + u.value(AttributeValue.fromB(seenKey)) + ")");
        List<String> statusValues = new ArrayList<>();
        for (PayoutStatus s : from) {
            statusValues.add(u.value(AttributeValue.fromS(s.wireName())));
        }
        String status = u.name("status");
        String inFrom = statusValues.isEmpty() ? null : status + " IN (" + String.join(", ", statusValues) + ")";
        u.conditions.add(fromNew
                ? (inFrom == null ? "attribute_not_exists(" + status + ")" : "(attribute_not_exists(" + status + ") OR " + inFrom + ")")
                : inFrom);
        String zero = u.value(AttributeValue.fromN("0"));
        if (o.amount() != null) {
            // PayoutDecision: a known amount must agree (here: the same text, stricter than sameAs).
            u.conditions.add("((attribute_not_exists(" + u.name("amount") + ") AND (attribute_not_exists("
                    + u.name("refunded") + ") OR " + u.name("refunded") + " = " + zero + ")) OR ("
                    + u.name("amount") + " = " + u.value(AttributeValue.fromS(o.amount().amountText())) + " AND "
                    + u.name("currency") + " = " + u.value(AttributeValue.fromS(o.amount().currency())) + "))");
        }
        if (o.providerPayoutId() != null) {
            // PayoutDecision: another provider payout for this payout is a disagreement, never applied.
            u.conditions.add("(attribute_not_exists(" + u.name("providerPayoutId") + ") OR " + u.name("providerPayoutId")
                    + " = " + u.value(AttributeValue.fromS(o.providerPayoutId())) + ")");
        }
        // PayoutState.applied keeps a registered provider and takes the outcome's otherwise: pin them equal.
        String provider = u.value(AttributeValue.fromS(o.provider()));
        u.conditions.add("(attribute_not_exists(" + u.name("registeredAt") + ") OR " + u.name("provider") + " = "
                + provider + ")");

        PayoutStatus after = to;
        if (to.isRefund()) {
            String refund = u.value(AttributeValue.fromN(o.adjustmentAmount().amount().toPlainString()));
            u.conditions.add(u.name("currency") + " = " + u.value(AttributeValue.fromS(o.adjustmentAmount().currency())));
            // The provider's full/partial word picks which comparison to try; the other case takes the Java path.
            u.conditions.add(u.name(REFUNDABLE) + (to == PayoutStatus.REFUNDED ? " = " : " > ") + refund);
            u.sets.add(u.name("refunded") + " = " + u.name("refunded") + " + " + refund);
            u.sets.add(u.name(REFUNDABLE) + " = " + u.name(REFUNDABLE) + " - " + refund);
        } else {
            u.sets.add(u.name("refunded") + " = if_not_exists(" + u.name("refunded") + ", " + zero + ")");
            if (o.amount() != null) {
                u.set("amount", AttributeValue.fromS(o.amount().amountText()));
                u.set("currency", AttributeValue.fromS(o.amount().currency()));
                u.sets.add(u.name(REFUNDABLE) + " = if_not_exists(" + u.name(REFUNDABLE) + ", "
                        + u.value(AttributeValue.fromN(o.amount().amount().toPlainString())) + ")");
            }
        }

        u.set("status", AttributeValue.fromS(after.wireName()));
        u.set("reference", AttributeValue.fromS(o.payoutReference()));
        u.sets.add(u.name("provider") + " = " + provider);
        u.set("lastOutcomeAt", AttributeValue.fromS(Timestamps.sortable(o.receivedAt())));
        u.sets.add(u.name("pollAttempts") + " = " + zero);
        u.set("updatedAt", AttributeValue.fromS(Timestamps.sortable(now)));
        u.sets.add(u.name("anomalies") + " = if_not_exists(" + u.name("anomalies") + ", " + zero + ")");
        u.setIfPresent("providerPayoutId", o.providerPayoutId());
        u.setIfPresent("orderKey", o.orderKey());
        u.setIfPresent("bankReference", o.bankReference());
        if (after.kind() == PayoutStatus.Kind.FAILURE) {
            u.setIfPresent("failureReason", o.failureReason());
        }
        u.setIfPresent("stage", o.stage());
        if (after == PayoutStatus.PENDING) {
            // Still open: due for the reconciler if nothing else comes (the sparse OpenPayouts index).
            u.set(PayoutItems.OPEN_PROVIDER, AttributeValue.fromS(o.provider()));
            u.set(PayoutItems.CHECK_AFTER, AttributeValue.fromS(Timestamps.sortable(
                    o.receivedAt().plus(stuckAfter.forProvider(o.provider())))));
        } else {
            u.removes.add(u.name(PayoutItems.OPEN_PROVIDER));
            u.removes.add(u.name(PayoutItems.CHECK_AFTER));
        }
        u.set(LAST_OUTCOME, AttributeValue.fromM(
                PayoutItems.outcomeEntry(historySk, o, ApplyResult.APPLIED, after, null, recordedAs)));
        u.set(LAST_WRITE, AttributeValue.fromS(attemptId));
        String one = u.value(AttributeValue.fromN("1"));
        u.adds.add(u.name("version") + " " + one);
        u.adds.add(u.name("revision") + " " + one);
        u.adds.add(u.name(RECORDED) + " " + one);
        u.adds.add(u.name(SEEN) + " " + u.value(AttributeValue.fromBs(seenKeys)));

        String expression = "SET " + String.join(", ", u.sets) + " ADD " + String.join(", ", u.adds)
                + (u.removes.isEmpty() ? "" : " REMOVE " + String.join(", ", u.removes));
        return Optional.of(UpdateItemRequest.builder()
                .tableName(table)
                .key(PayoutLedger.key(pk, PayoutLedger.STATE_SK))
                .conditionExpression(String.join(" AND ", u.conditions))
                .updateExpression(expression)
                .expressionAttributeNames(u.names)
                .expressionAttributeValues(u.values)
                .returnValues(ReturnValue.ALL_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build());
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
        OutcomeUpdate u = new OutcomeUpdate();
        PayoutState next = d.next();
        u.conditions.add("attribute_exists(" + u.name(PayoutLedger.PK) + ")");
        for (SdkBytes key : seenKeys) {
            u.conditions.add("NOT contains(" + u.name(SEEN) + ", " + u.value(AttributeValue.fromB(key)) + ")");
        }
        u.unchanged("status", current.status() == null ? null : current.status().wireName());
        u.unchanged("amount", current.amount() == null ? null : current.amount().amountText());
        u.unchanged("currency", current.amount() == null ? null : current.amount().currency());
        String refunded = u.value(AttributeValue.fromN(current.refunded().toPlainString()));
        u.conditions.add(current.refunded().signum() == 0
                ? "(attribute_not_exists(" + u.name("refunded") + ") OR " + u.name("refunded") + " = " + refunded + ")"
                : u.name("refunded") + " = " + refunded);
        u.unchanged("providerPayoutId", current.providerPayoutId());
        u.unchanged("bankReference", current.bankReference());
        u.unchanged("orderKey", current.orderKey());
        u.unchanged("provider", current.provider());
        u.conditions.add((current.registered() ? "attribute_exists(" : "attribute_not_exists(") + u.name("registeredAt") + ")");

        for (String[] fact : new String[][] {{"providerPayoutId", current.providerPayoutId(), next.providerPayoutId()},
                {"bankReference", current.bankReference(), next.bankReference()},
                {"orderKey", current.orderKey(), next.orderKey()}}) {
            if (fact[1] == null && fact[2] != null) {
                u.set(fact[0], AttributeValue.fromS(fact[2]));
            }
        }
        String one = u.value(AttributeValue.fromN("1"));
        if (d.result() == ApplyResult.CONFLICT) {
            u.sets.add(u.name("reviewReason") + " = if_not_exists(" + u.name("reviewReason") + ", "
                    + u.value(AttributeValue.fromS(d.anomaly())) + ")");
            u.set(PayoutItems.REVIEW_QUEUE, AttributeValue.fromS(PayoutItems.REVIEW));
            u.sets.add(u.name(PayoutItems.FLAGGED_AT) + " = if_not_exists(" + u.name(PayoutItems.FLAGGED_AT) + ", "
                    + u.value(AttributeValue.fromS(Timestamps.sortable(next.flaggedAt() != null ? next.flaggedAt() : now)))
                    + ")");
            u.adds.add(u.name("anomalies") + " " + one);
        }
        u.set("updatedAt", AttributeValue.fromS(Timestamps.sortable(now)));
        u.set(LAST_OUTCOME, AttributeValue.fromM(PayoutItems.outcomeEntry(historySk, o, d.result(), next.status(),
                d.anomaly(), recordedAs)));
        u.set(LAST_WRITE, AttributeValue.fromS(attemptId));
        u.adds.add(u.name("revision") + " " + one);
        u.adds.add(u.name(RECORDED) + " " + one);
        u.adds.add(u.name(SEEN) + " " + u.value(AttributeValue.fromBs(seenKeys)));
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(PayoutLedger.key(pk, PayoutLedger.STATE_SK))
                .conditionExpression(String.join(" AND ", u.conditions))
                .updateExpression("SET " + String.join(", ", u.sets) + " ADD " + String.join(", ", u.adds))
                .expressionAttributeNames(u.names)
                .expressionAttributeValues(u.values)
                .returnValues(ReturnValue.ALL_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }

    /** Condition: the string attribute still has the value decided on (absent when null). */
    private void unchanged(String attribute, String decidedOn) {
        conditions.add(decidedOn == null ? "attribute_not_exists(" + name(attribute) + ")"
                : name(attribute) + " = " + value(AttributeValue.fromS(decidedOn)));
    }

    private String name(String attribute) {
        String placeholder = "#" + attribute;
        names.put(placeholder, attribute);
        return placeholder;
    }

    private String value(AttributeValue v) {
        String placeholder = ":v" + values.size();
        values.put(placeholder, v);
        return placeholder;
    }

    private void set(String attribute, AttributeValue v) {
        sets.add(name(attribute) + " = " + value(v));
    }

    private void setIfPresent(String attribute, String v) {
        if (v != null) {
            set(attribute, AttributeValue.fromS(v));
        }
    }
}
