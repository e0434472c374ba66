package dev.payoutcallbacks.core;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The current state of one payout as stored. {@code status} is null while only anomalies were recorded.
 * {@code version} counts applied outcomes and is the optimistic lock.
 */
public record PayoutState(
        String reference,
        PayoutStatus status,
        long version,
        Money amount,
        BigDecimal refunded,
        String provider,
        String providerPayoutId,
        String orderKey,
        String bankReference,
        String failureReason,
        String stage,
        String reviewReason,
        long anomalies,
        Instant lastOutcomeAt) {

    public static PayoutState none(String reference) {
        return new PayoutState(reference, null, 0, null, BigDecimal.ZERO, null, null, null, null, null, null, null, 0, null);
    }

    public boolean exists() {
        return version > 0 || anomalies > 0 || status != null;
    }

    public boolean flaggedForReview() {
        return reviewReason != null;
    }

    /** The state after applying an outcome: fields the outcome does not carry are kept. */
    PayoutState applied(PayoutOutcome o, PayoutStatus newStatus, BigDecimal newRefunded) {
        return new PayoutState(
                reference,
                newStatus,
                version + 1,
                o.amount() != null ? o.amount() : amount,
                newRefunded,
                o.provider(),
                firstNonNull(o.providerPayoutId(), providerPayoutId),
                firstNonNull(o.orderKey(), orderKey),
                firstNonNull(o.bankReference(), bankReference),
                newStatus.kind() == PayoutStatus.Kind.FAILURE ? firstNonNull(o.failureReason(), failureReason) : failureReason,
                o.stage() != null ? o.stage() : stage,
                reviewReason,
                anomalies,
                o.receivedAt());
    }

    PayoutState flagged(String reason) {
        return new PayoutState(reference, status, version, amount, refunded, provider, providerPayoutId, orderKey,
                bankReference, failureReason, stage, reason, anomalies + 1, lastOutcomeAt);
    }

    private static <T> T firstNonNull(T a, T b) {
        return a != null ? a : b;
    }
}
