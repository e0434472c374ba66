package dev.payoutcallbacks.core;

import static dev.payoutcallbacks.core.PayoutItems.LAST_OUTCOME;
import static dev.payoutcallbacks.core.PayoutItems.LAST_WRITE;
import static dev.payoutcallbacks.core.PayoutItems.RECORDED;
import static dev.payoutcallbacks.core.PayoutItems.REFUNDABLE;
import static dev.payoutcallbacks.core.PayoutItems.SEEN;

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
                PayoutItems.outcomeEntry(historySk, o, ApplyResult.APPLIED, after, null)));
        u.set(LAST_WRITE, AttributeValue.fromS(attemptId));
        String one = u.value(AttributeValue.fromN("1"));
        u.adds.add(u.name("version") + " " + one);
        u.adds.add(u.name("revision") + " " + one);
        u.adds.add(u.name(RECORDED) + " " + one);
        u.adds.add(u.name(SEEN) + " " + u.value(AttributeValue.fromBs(List.of(seenKey))));

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
