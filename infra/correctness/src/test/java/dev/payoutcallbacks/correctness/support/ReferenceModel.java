package dev.payoutcallbacks.correctness.support;

import dev.payoutcallbacks.core.payout.PayoutStatus;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A pure reference model of one payout, written from the specification (providers.md, the issue and
 * the rules stated in TransitionTable's comments), NOT from the core's table or decision code. It uses
 * only the core's status vocabulary. Rules, in words:
 *
 * <ol>
 *   <li>Dedup: an outcome whose identity was seen before changes nothing and records nothing. Identity is
 *       (reference, status); an open PENDING outcome adds its stage; a refund is identified by its refund id
 *       (else its amount); a reversal by its id when it has one. submit_not_received therefore has its own
 *       identity and never collides with a later paid/failed.</li>
 *   <li>Nothing final yet (new, pending): every outcome applies.</li>
 *   <li>submit_not_received is not final: the provider may still pay or fail, so everything but another
 *       submit_not_received applies.</li>
 *   <li>A final state is never overwritten by an open outcome (STALE).</li>
 *   <li>Success then another success: the same one is STALE, a different one (paid vs partially paid)
 *       contradicts (CONFLICT). Success then failure: CONFLICT. Success then adjustment: applies.</li>
 *   <li>Failure then failure (failed/cancelled: the money stayed with the sender either way): STALE.
 *       Failure then success or adjustment: CONFLICT (only a success can be reversed or refunded).</li>
 *   <li>After an adjustment, the success it follows is implied: a late success is STALE. After a reversal
 *       the money is back, so a failure says nothing new (STALE), another reversal is STALE, and a refund
 *       would credit twice (CONFLICT). After a partial refund, more refunds apply, a failure or a reversal
 *       contradicts. After a full refund every further failure or adjustment contradicts.</li>
 *   <li>An adjustment of a still-open payout implies its success and applies.</li>
 *   <li>Money, first, whatever the rules above would say: a reported amount that differs from the known one
 *       is a CONFLICT (amount_mismatch; currency_mismatch when the currency differs), never stale nor a
 *       duplicate: the same status with other money is a disagreement. Refunds accumulate exactly; the status follows the arithmetic against
 *       the paid amount (all of it: refunded, less: partially refunded); beyond what was paid is a CONFLICT
 *       (refund_exceeds_paid); a refund in another currency is a CONFLICT (refund_currency_mismatch). With
 *       no known paid amount, the provider's own full/partial word stands.</li>
 *   <li>CONFLICT keeps the state, flags the payout for review (first reason kept) and counts an anomaly.
 *       APPLIED increments the version; STALE and CONFLICT do not.</li>
 * </ol>
 */
public final class ReferenceModel {

    public enum Result { APPLIED, DUPLICATE, STALE, CONFLICT }

    public record Amount(BigDecimal value, String currency) {
        public Amount {
            Objects.requireNonNull(value);
            Objects.requireNonNull(currency);
        }

        public static Amount of(String value, String currency) {
            return new Amount(new BigDecimal(value), currency);
        }

        boolean same(Amount other) {
            return currency.equals(other.currency) && value.compareTo(other.value) == 0;
        }

        @Override
        public String toString() {
            return value.toPlainString() + " " + currency;
        }
    }

    /**
     * What one outcome says, route-independent. {@code adjustmentText} is the refund amount exactly as sent
     * (it names a refund that has no id).
     */
    public record Event(String reference, PayoutStatus status, String stage, Amount amount, Amount adjustment,
                        String adjustmentId, String adjustmentText) {

        public String dedupKey() {
            String base = reference + "|";
            return switch (status) {
                case PENDING -> base + "PENDING|" + (stage == null ? "" : stage);
                case PARTIALLY_REFUNDED, REFUNDED -> base + "REFUND|" + (adjustmentId != null ? adjustmentId : adjustmentText);
                case REVERSED -> base + "REVERSED" + (adjustmentId != null ? "|" + adjustmentId : "");
                default -> base + status.name();
            };
        }

        public boolean isRefund() {
            return status == PayoutStatus.PARTIALLY_REFUNDED || status == PayoutStatus.REFUNDED;
        }

        @Override
        public String toString() {
            return dedupKey() + (amount != null ? " amount " + amount : "") + (adjustment != null ? " adj " + adjustment : "");
        }
    }

    /** What deciding one outcome did: the result, the state after it and the anomaly category on CONFLICT. */
    public record Step(Result result, PayoutStatus statusAfter, long versionAfter, String anomalyCategory) {
    }

    private PayoutStatus status;
    private long version;
    private Amount amount;
    private BigDecimal refunded = BigDecimal.ZERO;
    private long anomalies;
    private String firstAnomaly;
    private final Set<String> seen = new HashSet<>();

    public PayoutStatus status() { return status; }
    public long version() { return version; }
    public Amount amount() { return amount; }
    public BigDecimal refunded() { return refunded; }
    public long anomalies() { return anomalies; }
    public String firstAnomaly() { return firstAnomaly; }

    /** The comparable final state (the version aside, which counts applied outcomes and so depends on order). */
    public String orderFreeState() {
        String a = amount == null ? "null" : amount.value().stripTrailingZeros().toPlainString() + " " + amount.currency();
        return "status=" + status + " amount=" + a + " refunded=" + refunded.stripTrailingZeros().toPlainString()
                + " anomalies=" + anomalies;
    }

    @Override
    public String toString() {
        return orderFreeState() + " version=" + version;
    }

    /** Delivers an outcome: dedup, then the rules. */
    public Step deliver(Event e) {
        if (!seen.add(e.dedupKey())) {
            return new Step(Result.DUPLICATE, status, version, null);
        }
        return decide(e);
    }

    /** The rules without dedup: used to replay outcomes known to be distinct. */
    public Step decide(Event e) {
        seen.add(e.dedupKey());
        // A disagreement about money comes before the transition rules (rule 9).
        if (amount != null && e.amount() != null && !amount.same(e.amount())) {
            return conflict(amount.currency().equals(e.amount().currency()) ? "amount_mismatch" : "currency_mismatch");
        }
        Result verdict = verdict(status, e.status());
        if (verdict == Result.STALE) {
            return new Step(Result.STALE, status, version, null);
        }
        if (verdict == Result.CONFLICT) {
            // Another refund of a fully refunded payout is a refund beyond the paid amount.
            return conflict(status == PayoutStatus.REFUNDED && e.isRefund() ? "refund_exceeds_paid" : "conflict");
        }
        PayoutStatus target = e.status();
        BigDecimal refundedAfter = refunded;
        if (e.isRefund()) {
            Amount paid = amount != null ? amount : e.amount();
            if (paid != null && !paid.currency().equals(e.adjustment().currency())) {
                return conflict("refund_currency_mismatch");
            }
            refundedAfter = refunded.add(e.adjustment().value());
            if (paid != null) {
                int cmp = refundedAfter.compareTo(paid.value());
                if (cmp > 0) {
                    return conflict("refund_exceeds_paid");
                }
                target = cmp == 0 ? PayoutStatus.REFUNDED : PayoutStatus.PARTIALLY_REFUNDED;
            }
        }
        status = target;
        version++;
        if (e.amount() != null) {
            amount = e.amount();
        }
        refunded = refundedAfter;
        return new Step(Result.APPLIED, status, version, null);
    }

    private Step conflict(String category) {
        anomalies++;
        if (firstAnomaly == null) {
            firstAnomaly = category;
        }
        return new Step(Result.CONFLICT, status, version, category);
    }

    private static boolean open(PayoutStatus s) {
        return s == PayoutStatus.PENDING || s == PayoutStatus.SUBMIT_NOT_RECEIVED;
    }

    private static boolean success(PayoutStatus s) {
        return s == PayoutStatus.PAID || s == PayoutStatus.PARTIALLY_PAID;
    }

    private static boolean failure(PayoutStatus s) {
        return s == PayoutStatus.FAILED || s == PayoutStatus.CANCELLED;
    }

    private static boolean refund(PayoutStatus s) {
        return s == PayoutStatus.PARTIALLY_REFUNDED || s == PayoutStatus.REFUNDED;
    }

    /** The transition rules (APPLIED stands for "would apply"), from the numbered rules above. */
    static Result verdict(PayoutStatus from, PayoutStatus to) {
        if (from == null || from == PayoutStatus.PENDING) {
            return Result.APPLIED;                                                        // rule 2, 8
        }
        if (from == PayoutStatus.SUBMIT_NOT_RECEIVED) {
            return to == PayoutStatus.SUBMIT_NOT_RECEIVED ? Result.STALE : Result.APPLIED; // rule 3
        }
        if (open(to)) {
            return Result.STALE;                                                          // rule 4
        }
        if (success(from)) {                                                              // rule 5
            if (success(to)) {
                return to == from ? Result.STALE : Result.CONFLICT;
            }
            return failure(to) ? Result.CONFLICT : Result.APPLIED;
        }
        if (failure(from)) {                                                              // rule 6
            return failure(to) ? Result.STALE : Result.CONFLICT;
        }
        // from is an adjustment                                                          // rule 7
        if (success(to)) {
            return Result.STALE;
        }
        if (from == PayoutStatus.REVERSED) {
            return refund(to) ? Result.CONFLICT : Result.STALE;
        }
        if (from == PayoutStatus.PARTIALLY_REFUNDED) {
            return refund(to) ? Result.APPLIED : Result.CONFLICT;
        }
        return Result.CONFLICT; // fully refunded: any failure or adjustment
    }
}
