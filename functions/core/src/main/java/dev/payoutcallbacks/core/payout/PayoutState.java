package dev.payoutcallbacks.core.payout;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The current state of one payout as stored.
 *
 * @param status        null while nothing has been applied (only registered, or only anomalies)
 * @param version       number of applied outcomes: what downstream consumers order by
 * @param revision      optimistic lock: bumped by every write to the state (apply, flag, registration, poll)
 * @param amount        the known amount: registered, or first reported
 * @param registeredAt  when the payout service registered it; null: a callback for a reference never registered
 * @param submittedAt   when the payout was submitted to the provider (registration)
 * @param pollAttempts  reconciler polls since the last applied outcome
 * @param flaggedAt     when it entered the review queue; null when not flagged
 */
public record PayoutState(
        String reference,
        PayoutStatus status,
        long version,
        long revision,
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
        Instant lastOutcomeAt,
        Instant registeredAt,
        Instant submittedAt,
        int pollAttempts,
        Instant flaggedAt) {

    public static PayoutState none(String reference) {
        return new PayoutState(reference, null, 0, 0, null, BigDecimal.ZERO, null, null, null, null, null, null, null, 0,
                null, null, null, 0, null);
    }

    public boolean flaggedForReview() {
        return reviewReason != null;
    }

    public boolean registered() {
        return registeredAt != null;
    }

    /** Still waiting for an outcome: what the reconciler looks after. */
    public boolean open() {
        return status == null || status == PayoutStatus.PENDING;
    }

    /** The state after applying an outcome: fields the outcome does not carry are kept. */
    public PayoutState applied(PayoutOutcome o, PayoutStatus newStatus, BigDecimal newRefunded) {
        return new PayoutState(
                reference,
                newStatus,
                version + 1,
                revision + 1,
                amount != null ? amount : o.amount(),
                newRefunded,
                provider != null && registered() ? provider : o.provider(),
                firstNonNull(o.providerPayoutId(), providerPayoutId),
                firstNonNull(o.orderKey(), orderKey),
                firstNonNull(o.bankReference(), bankReference),
                newStatus.kind() == PayoutStatus.Kind.FAILURE ? firstNonNull(o.failureReason(), failureReason) : failureReason,
                o.stage() != null ? o.stage() : stage,
                reviewReason,
                anomalies,
                o.receivedAt(),
                registeredAt,
                submittedAt,
                0,
                flaggedAt);
    }

    /** An operator's resolution: applied whatever the table says, and the payout leaves the review queue. */
    PayoutState resolved(PayoutOutcome o) {
        PayoutState applied = applied(o, o.status(), refunded);
        return new PayoutState(reference, applied.status, applied.version, applied.revision, applied.amount,
                applied.refunded, applied.provider, applied.providerPayoutId, applied.orderKey, applied.bankReference,
                o.status().kind() == PayoutStatus.Kind.FAILURE ? o.failureReason() : applied.failureReason,
                applied.stage, null, anomalies, applied.lastOutcomeAt, registeredAt, submittedAt, 0, null);
    }

    public PayoutState flagged(String reason, Instant at) {
        return new PayoutState(reference, status, version, revision + 1, amount, refunded, provider, providerPayoutId,
                orderKey, bankReference, failureReason, stage, reviewReason != null ? reviewReason : reason,
                anomalies + 1, lastOutcomeAt, registeredAt, submittedAt, pollAttempts,
                flaggedAt != null ? flaggedAt : at);
    }

    public PayoutState registered(String registeredProvider, Money registeredAmount, String registeredOrderKey,
                           String registeredProviderPayoutId, Instant at, Instant submitted) {
        return registered(registeredProvider, registeredAmount, registeredOrderKey, registeredProviderPayoutId, at,
                submitted, false);
    }

    /** @param registeredProviderWins the provider known so far is only the internal route's name: take the registered one */
    public PayoutState registered(String registeredProvider, Money registeredAmount, String registeredOrderKey,
                           String registeredProviderPayoutId, Instant at, Instant submitted, boolean registeredProviderWins) {
        return new PayoutState(reference, status, version, revision + 1, amount != null ? amount : registeredAmount,
                refunded, provider != null && !registeredProviderWins ? provider : registeredProvider,
                firstNonNull(providerPayoutId, registeredProviderPayoutId), firstNonNull(orderKey, registeredOrderKey),
                bankReference, failureReason, stage, reviewReason, anomalies, lastOutcomeAt, at, submitted, pollAttempts,
                flaggedAt);
    }

    /**
     * The same status with the references it lacked taken from a late outcome (provider payout id, order
     * key, UTR / end-to-end id / tx hash): facts merge, the status never regresses, known values are kept.
     */
    PayoutState withFacts(PayoutOutcome o) {
        return new PayoutState(reference, status, version, revision, amount, refunded, provider,
                firstNonNull(providerPayoutId, o.providerPayoutId()), firstNonNull(orderKey, o.orderKey()),
                firstNonNull(bankReference, o.bankReference()), failureReason, stage, reviewReason, anomalies,
                lastOutcomeAt, registeredAt, submittedAt, pollAttempts, flaggedAt);
    }

    /** The same state, written again (a STALE outcome recorded on it): only the lock moves. */
    public PayoutState touched() {
        return new PayoutState(reference, status, version, revision + 1, amount, refunded, provider, providerPayoutId,
                orderKey, bankReference, failureReason, stage, reviewReason, anomalies, lastOutcomeAt, registeredAt,
                submittedAt, pollAttempts, flaggedAt);
    }

    PayoutState polled() {
        return new PayoutState(reference, status, version, revision + 1, amount, refunded, provider, providerPayoutId,
                orderKey, bankReference, failureReason, stage, reviewReason, anomalies, lastOutcomeAt, registeredAt,
                submittedAt, pollAttempts + 1, flaggedAt);
    }

    private static <T> T firstNonNull(T a, T b) {
        return a != null ? a : b;
    }
}
