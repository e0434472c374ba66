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
        return toBuilder()
                .status(newStatus)
                .version(version + 1)
                .revision(revision + 1)
                .amount(amount != null ? amount : o.amount())
                .refunded(newRefunded)
                .provider(provider != null && registered() ? provider : o.provider())
                .providerPayoutId(firstNonNull(o.providerPayoutId(), providerPayoutId))
                .orderKey(firstNonNull(o.orderKey(), orderKey))
                .bankReference(firstNonNull(o.bankReference(), bankReference))
                .failureReason(newStatus.kind() == PayoutStatus.Kind.FAILURE
                        ? firstNonNull(o.failureReason(), failureReason) : failureReason)
                .stage(o.stage() != null ? o.stage() : stage)
                .lastOutcomeAt(o.receivedAt())
                .pollAttempts(0)
                .build();
    }

    /** An operator's resolution: applied whatever the table says, and the payout leaves the review queue. */
    PayoutState resolved(PayoutOutcome o) {
        PayoutState applied = applied(o, o.status(), refunded);
        return applied.toBuilder()
                .failureReason(o.status().kind() == PayoutStatus.Kind.FAILURE ? o.failureReason() : applied.failureReason)
                .reviewReason(null)
                .flaggedAt(null)
                .build();
    }

    /** In the review queue for {@code reason}; the first reason and the first time flagged are kept. */
    public PayoutState flagged(String reason, Instant at) {
        return toBuilder()
                .revision(revision + 1)
                .reviewReason(reviewReason != null ? reviewReason : reason)
                .anomalies(anomalies + 1)
                .flaggedAt(flaggedAt != null ? flaggedAt : at)
                .build();
    }

    /**
     * Registered by the payout service at {@code at}: what callbacks already told us is kept (the amount, the
     * references), except the provider when {@code registeredProviderWins} (the provider known so far is only the
     * internal route's name).
     */
    public PayoutState registered(Registration r, Instant at, Instant submitted, boolean registeredProviderWins) {
        return toBuilder()
                .revision(revision + 1)
                .amount(amount != null ? amount : r.amount())
                .provider(provider != null && !registeredProviderWins ? provider : r.provider())
                .providerPayoutId(firstNonNull(providerPayoutId, r.providerPayoutId()))
                .orderKey(firstNonNull(orderKey, r.orderKey()))
                .registeredAt(at)
                .submittedAt(submitted)
                .build();
    }

    /**
     * The same status with the references it lacked taken from a late outcome (provider payout id, order
     * key, UTR / end-to-end id / tx hash): facts merge, the status never regresses, known values are kept.
     */
    PayoutState withFacts(PayoutOutcome o) {
        return toBuilder()
                .providerPayoutId(firstNonNull(providerPayoutId, o.providerPayoutId()))
                .orderKey(firstNonNull(orderKey, o.orderKey()))
                .bankReference(firstNonNull(bankReference, o.bankReference()))
                .build();
    }

    /** The same state, written again (a STALE outcome recorded on it): only the lock moves. */
    public PayoutState touched() {
        return toBuilder().revision(revision + 1).build();
    }

    /** A copy to change a few fields of: every other field stays as it is. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static <T> T firstNonNull(T a, T b) {
        return a != null ? a : b;
    }

    /** A copy of a state under change; {@link #build()} makes the new state. */
    public static final class Builder {
        private String reference;
        private PayoutStatus status;
        private long version;
        private long revision;
        private Money amount;
        private BigDecimal refunded;
        private String provider;
        private String providerPayoutId;
        private String orderKey;
        private String bankReference;
        private String failureReason;
        private String stage;
        private String reviewReason;
        private long anomalies;
        private Instant lastOutcomeAt;
        private Instant registeredAt;
        private Instant submittedAt;
        private int pollAttempts;
        private Instant flaggedAt;

        private Builder(PayoutState s) {
            reference = s.reference;
            status = s.status;
            version = s.version;
            revision = s.revision;
            amount = s.amount;
            refunded = s.refunded;
            provider = s.provider;
            providerPayoutId = s.providerPayoutId;
            orderKey = s.orderKey;
            bankReference = s.bankReference;
            failureReason = s.failureReason;
            stage = s.stage;
            reviewReason = s.reviewReason;
            anomalies = s.anomalies;
            lastOutcomeAt = s.lastOutcomeAt;
            registeredAt = s.registeredAt;
            submittedAt = s.submittedAt;
            pollAttempts = s.pollAttempts;
            flaggedAt = s.flaggedAt;
        }

        public Builder status(PayoutStatus v) { status = v; return this; }
        public Builder version(long v) { version = v; return this; }
        public Builder revision(long v) { revision = v; return this; }
        public Builder amount(Money v) { amount = v; return this; }
        public Builder refunded(BigDecimal v) { refunded = v; return this; }
        public Builder provider(String v) { provider = v; return this; }
        public Builder providerPayoutId(String v) { providerPayoutId = v; return this; }
        public Builder orderKey(String v) { orderKey = v; return this; }
        public Builder bankReference(String v) { bankReference = v; return this; }
        public Builder failureReason(String v) { failureReason = v; return this; }
        public Builder stage(String v) { stage = v; return this; }
        public Builder reviewReason(String v) { reviewReason = v; return this; }
        public Builder anomalies(long v) { anomalies = v; return this; }
        public Builder lastOutcomeAt(Instant v) { lastOutcomeAt = v; return this; }
        public Builder registeredAt(Instant v) { registeredAt = v; return this; }
        public Builder submittedAt(Instant v) { submittedAt = v; return this; }
        public Builder pollAttempts(int v) { pollAttempts = v; return this; }
        public Builder flaggedAt(Instant v) { flaggedAt = v; return this; }

        public PayoutState build() {
            return new PayoutState(reference, status, version, revision, amount, refunded, provider, providerPayoutId,
                    orderKey, bankReference, failureReason, stage, reviewReason, anomalies, lastOutcomeAt, registeredAt,
                    submittedAt, pollAttempts, flaggedAt);
        }
    }
}
