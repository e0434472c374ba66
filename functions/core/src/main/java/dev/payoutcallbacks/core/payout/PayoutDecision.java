package dev.payoutcallbacks.core.payout;

import java.math.BigDecimal;
import java.util.List;

/**
 * Decides what an outcome does to a payout: the transition table plus the money checks the table
 * cannot express (refund arithmetic, amount agreement). Pure: no I/O.
 *
 * <p>A disagreement about money or about which provider payout this is comes before the table: the same
 * status with another amount, currency or provider payout id is never a duplicate nor stale, it is a
 * CONFLICT with its own anomaly code (amount_mismatch, currency_mismatch, duplicate_provider_payout,
 * provider_mismatch), flagged for review, the known values kept.
 */
public record PayoutDecision(ApplyResult result, PayoutState next, String anomaly) {

    /** Anomaly codes of a disagreement: recorded under the outcome's disagreement key, not its news. */
    private static final List<String> DISAGREEMENTS = List.of("amount_mismatch", "currency_mismatch",
            "duplicate_provider_payout", "provider_mismatch");

    public static PayoutDecision decide(PayoutState current, PayoutOutcome outcome) {
        return decide(current, outcome, false);
    }

    /**
     * @param adjustmentRecordedWithOtherAmount the outcome's refund/reversal id was recorded before with
     *                                          another amount (the ledger knows this from its dedup keys)
     */
    public static PayoutDecision decide(PayoutState current, PayoutOutcome outcome,
                                        boolean adjustmentRecordedWithOtherAmount) {
        if (outcome.operator() != null) {
            // An operator resolves a payout that is flagged or still open (Slate's force-resolve); a settled,
            // unflagged payout is left alone.
            return current.flaggedForReview() || current.open()
                    ? new PayoutDecision(ApplyResult.APPLIED, current.resolved(outcome), null)
                    : new PayoutDecision(ApplyResult.STALE, current, null);
        }
        Disagreement disagreement = find(current, outcome, adjustmentRecordedWithOtherAmount);
        if (disagreement != null) {
            return conflict(current, outcome, disagreement.reason());
        }
        PayoutStatus from = current.status();
        PayoutStatus to = outcome.status();
        return switch (TransitionTable.verdict(from, to)) {
            // Stale never moves the status, but facts the payout lacks are filled in, so the final record
            // does not depend on delivery order (a tx hash announced after the completion).
            case STALE -> new PayoutDecision(ApplyResult.STALE, current.withFacts(outcome), null);
            case CONFLICT -> conflict(current, outcome, from == PayoutStatus.REFUNDED && to.isRefund()
                    ? "refund_exceeds_paid: the payout is fully refunded (" + current.refunded().toPlainString()
                            + " of " + current.amount() + "), another refund of " + outcome.adjustmentAmount()
                    : "conflict: " + name(from) + " -> " + to.wireName());
            case APPLY -> apply(current, outcome);
        };
    }

    /**
     * Why the outcome disagrees with what is known of the payout (its amount, currency, provider payout,
     * bank transfer, registered provider), or null when it agrees. Fields either side does not know agree.
     */
    public static String disagreement(PayoutState current, PayoutOutcome outcome) {
        Disagreement d = find(current, outcome, false);
        return d == null ? null : d.reason();
    }

    /**
     * The identity under which a disagreeing outcome is recorded: its news plus what it disagrees on and the
     * value it reports there (normalised: "10" and "10.00" are one amount). Two copies of one disagreement
     * (the provider's webhook and a reconciler's copy, say) are one; another value is another disagreement.
     * Null when the outcome agrees.
     */
    public static String disagreementKey(PayoutState current, PayoutOutcome outcome, boolean adjustmentRecordedWithOtherAmount) {
        Disagreement d = find(current, outcome, adjustmentRecordedWithOtherAmount);
        return d == null ? null : outcome.dedupKey() + "|DISAGREES|" + d.code() + "|" + d.reported();
    }

    private record Disagreement(String code, String reported, String reason) {
    }

    private static String normalised(Money m) {
        return m.amount().stripTrailingZeros().toPlainString() + " " + m.currency();
    }

    private static Disagreement find(PayoutState current, PayoutOutcome outcome, boolean adjustmentRecordedWithOtherAmount) {
        if (outcome.operator() != null) {
            return null;
        }
        if (adjustmentRecordedWithOtherAmount) {
            return new Disagreement("amount_mismatch", normalised(outcome.adjustmentAmount()), "amount_mismatch: "
                    + outcome.status().wireName() + " " + outcome.adjustmentId() + " was recorded with another amount, now "
                    + outcome.adjustmentAmount());
        }
        Money known = current.amount();
        Money reported = outcome.amount();
        if (known != null && reported != null && !known.sameAs(reported)) {
            String code = known.currency().equals(reported.currency()) ? "amount_mismatch" : "currency_mismatch";
            return new Disagreement(code, normalised(reported), code + ": payout is " + known + ", outcome says " + reported);
        }
        if (current.providerPayoutId() != null && outcome.providerPayoutId() != null
                && !current.providerPayoutId().equals(outcome.providerPayoutId())) {
            return new Disagreement("duplicate_provider_payout", outcome.providerPayoutId(),
                    "duplicate_provider_payout: payout is provider payout " + current.providerPayoutId()
                            + ", outcome names " + outcome.providerPayoutId());
        }
        if (success(current.status()) && success(outcome.status()) && current.bankReference() != null
                && outcome.bankReference() != null && !current.bankReference().equals(outcome.bankReference())) {
            // A second success with another bank transfer (UTR, end-to-end id, tx hash): the money may
            // have gone out twice.
            return new Disagreement("duplicate_provider_payout", "bank:" + outcome.bankReference(),
                    "duplicate_provider_payout: paid with bank reference " + current.bankReference()
                            + ", outcome reports another transfer " + outcome.bankReference());
        }
        if (current.registered() && current.provider() != null && outcome.source() != OutcomeSource.INTERNAL
                && !current.provider().equals(outcome.provider())) {
            // Internal services (the canonical route) speak for any provider; a provider speaks for itself.
            return new Disagreement("provider_mismatch", outcome.provider(), "provider_mismatch: registered with "
                    + current.provider() + ", outcome from " + outcome.provider());
        }
        return null;
    }

    private static boolean success(PayoutStatus s) {
        return s != null && s.kind() == PayoutStatus.Kind.SUCCESS;
    }

    /** True for a CONFLICT about what the outcome says (money, provider payout), not about its status. */
    public boolean disagrees() {
        return result == ApplyResult.CONFLICT && anomaly != null && DISAGREEMENTS.stream().anyMatch(anomaly::startsWith);
    }

    private static PayoutDecision apply(PayoutState current, PayoutOutcome outcome) {
        Money known = current.amount();
        Money reported = outcome.amount();
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
