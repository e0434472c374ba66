package dev.payoutcallbacks.core;

import java.math.BigDecimal;

/**
 * Decides what an outcome does to a payout: the transition table plus the money checks the table
 * cannot express (refund arithmetic, amount agreement). Pure: no I/O.
 */
public record PayoutDecision(ApplyResult result, PayoutState next, String anomaly) {

    public static PayoutDecision decide(PayoutState current, PayoutOutcome outcome) {
        if (outcome.operator() != null) {
            // An operator resolves a payout that is flagged or still open (Slate's force-resolve); a settled,
            // unflagged payout is left alone.
            return current.flaggedForReview() || current.open()
                    ? new PayoutDecision(ApplyResult.APPLIED, current.resolved(outcome), null)
                    : new PayoutDecision(ApplyResult.STALE, current, null);
        }
        PayoutStatus from = current.status();
        PayoutStatus to = outcome.status();
        return switch (TransitionTable.verdict(from, to)) {
            case STALE -> new PayoutDecision(ApplyResult.STALE, current, null);
            case CONFLICT -> conflict(current, outcome, "conflict: " + name(from) + " -> " + to.wireName());
            case APPLY -> apply(current, outcome);
        };
    }

    private static PayoutDecision apply(PayoutState current, PayoutOutcome outcome) {
        Money known = current.amount();
        Money reported = outcome.amount();
        if (known != null && reported != null && !known.sameAs(reported)) {
            return conflict(current, outcome, "amount_mismatch: payout is " + known + ", outcome says " + reported);
        }
        PayoutStatus target = outcome.status();
        BigDecimal refunded = current.refunded();
        if (target.isRefund()) {
            Money paid = known != null ? known : reported;
            Money refund = outcome.adjustmentAmount();
            if (paid != null && !paid.currency().equals(refund.currency())) {
                return conflict(current, outcome, "refund_currency_mismatch: paid in " + paid.currency() + ", refund in " + refund.currency());
            }
            refunded = refunded.add(refund.amount());
            if (paid != null) {
                int cmp = refunded.compareTo(paid.amount());
                if (cmp > 0) {
                    return conflict(current, outcome, "refund_exceeds_paid: refunds total " + refunded.toPlainString()
                            + " of " + paid);
                }
                target = cmp == 0 ? PayoutStatus.REFUNDED : PayoutStatus.PARTIALLY_REFUNDED;
            }
            // Without a known paid amount, trust the provider's own full/partial word.
        }
        return new PayoutDecision(ApplyResult.APPLIED, current.applied(outcome, target, refunded), null);
    }

    private static PayoutDecision conflict(PayoutState current, PayoutOutcome outcome, String reason) {
        return new PayoutDecision(ApplyResult.CONFLICT, current.flagged(reason, outcome.receivedAt()), reason);
    }

    private static String name(PayoutStatus status) {
        return status == null ? "new" : status.wireName();
    }
}
