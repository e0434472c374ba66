package dev.payoutcallbacks.core.payout;

import java.time.Instant;
import java.util.Objects;

/**
 * The canonical record of one thing a provider said about one payout: a superset of Slate's
 * payout-callback body. Every provider translation produces these; the ledger applies them.
 */
public final class PayoutOutcome {
    private final String payoutReference;
    private final String orderKey;
    private final String provider;
    private final String providerPayoutId;
    private final PayoutStatus status;
    private final String stage;
    private final Money amount;
    private final Money adjustmentAmount;
    private final String adjustmentId;
    private final String failureReason;
    private final String bankReference;
    private final Instant eventTime;
    private final Instant receivedAt;
    private final OutcomeSource source;
    private final String rawPayload;
    private final String operator;
    private final String resolutionId;
    private final boolean identifiedByProviderPayoutId;

    private PayoutOutcome(Builder b) {
        this.identifiedByProviderPayoutId = b.identifiedByProviderPayoutId;
        // Without a reference an outcome must name its payout another way the ledger can resolve (an
        // order key, or a provider payout id its provider identifies payouts by): never a new payout.
        boolean findable = b.orderKey != null && !b.orderKey.isBlank()
                || identifiedByProviderPayoutId && b.providerPayoutId != null && !b.providerPayoutId.isBlank();
        this.payoutReference = b.payoutReference == null && findable ? null : requireText(b.payoutReference, "payoutReference");
        this.status = Objects.requireNonNull(b.status, "status");
        this.provider = requireText(b.provider, "provider");
        this.receivedAt = Objects.requireNonNull(b.receivedAt, "receivedAt");
        this.source = b.source == null ? OutcomeSource.WEBHOOK : b.source;
        this.orderKey = b.orderKey;
        this.providerPayoutId = b.providerPayoutId;
        this.stage = b.stage;
        this.amount = b.amount;
        this.adjustmentAmount = b.adjustmentAmount;
        this.adjustmentId = b.adjustmentId;
        this.failureReason = b.failureReason;
        this.bankReference = b.bankReference;
        this.eventTime = b.eventTime;
        this.rawPayload = b.rawPayload;
        this.operator = b.operator;
        this.resolutionId = b.resolutionId;
        if (operator != null && (resolutionId == null || resolutionId.isBlank())) {
            throw new IllegalArgumentException("an operator resolution needs its resolution id");
        }
        if (status.isRefund() && adjustmentAmount == null) {
            throw new IllegalArgumentException("a refund needs its refunded amount");
        }
        if (payoutReference != null && payoutReference.length() > 256) {
            throw new IllegalArgumentException("payout reference longer than 256 characters");
        }
        for (String[] field : new String[][] {{"payout reference", payoutReference}, {"stage", stage}, {"adjustment id", adjustmentId},
                {"resolution id", resolutionId}, {"provider payout id", providerPayoutId}, {"order key", orderKey},
                {"bank reference", bankReference}, {"provider", provider}}) {
            if (field[1] != null && field[1].length() > 256) {
                throw new IllegalArgumentException(field[0] + " longer than 256 characters");
            }
            if (field[1] != null && hasControlCharacter(field[1])) {
                // A NUL or line break in an identifier is never a provider's intent; stored, it breaks keys and logs.
                throw new IllegalArgumentException(field[0] + " contains control characters");
            }
        }
    }

    private static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    public static Builder builder(String payoutReference, PayoutStatus status) {
        return new Builder().payoutReference(payoutReference).status(status);
    }

    /**
     * The identity of this outcome for dedup. Independent of source and provider route, so a webhook
     * and a poll (or a forwarded copy) of the same outcome collide. submit_not_received has its own key,
     * so a later paid/failed still applies; open stages and each refund are distinct outcomes.
     */
    public String dedupKey() {
        if (payoutReference == null) {
            throw new IllegalStateException("an outcome's payout is resolved (withReference) before it is deduplicated");
        }
        StringBuilder key = new StringBuilder(payoutReference).append('|');
        if (operator != null) {
            return key.append("RESOLVED|").append(resolutionId).toString();
        }
        switch (status) {
            case PENDING -> key.append("PENDING|").append(stage == null ? "" : stage);
            case PARTIALLY_REFUNDED, REFUNDED -> key.append("REFUND|").append(
                    adjustmentId == null ? adjustmentAmount.amountText() : adjustmentId);
            case REVERSED -> key.append("REVERSED").append(adjustmentId == null ? "" : "|" + adjustmentId);
            default -> key.append(status.name());
        }
        return key.toString();
    }

    /**
     * For a refund or reversal named by the provider's transaction id: that id with its amount. The id alone
     * is the news (counted once); a redelivery of the id with another amount is a disagreement. Null otherwise.
     */
    public String adjustmentContentKey() {
        return adjustmentId == null || adjustmentAmount == null ? null
                : dedupKey() + "|AMOUNT|" + moneyText(adjustmentAmount);
    }

    /**
     * The news with what it says that the money checks compare (amount, provider payout id, bank reference).
     * Recorded beside the news when the payout did not know one of these yet, so it was not compared: a copy of
     * the same message stays a DUPLICATE after the payout learns another value from elsewhere (a second record
     * of one message would be counted twice), while the same news saying something else is still decided.
     */
    public String statementKey() {
        return dedupKey() + "|SAYS|" + moneyText(amount) + "|" + (providerPayoutId == null ? "" : providerPayoutId)
                + "|" + (bankReference == null ? "" : bankReference);
    }

    /** True when {@code state} lacks a value this outcome states, so the two were not compared on it. */
    public boolean statesWhatIsUnknownTo(PayoutState state) {
        return amount != null && state.amount() == null
                || providerPayoutId != null && state.providerPayoutId() == null
                || bankReference != null && state.bankReference() == null;
    }

    private static String moneyText(Money m) {
        return m == null ? "" : m.amount().stripTrailingZeros().toPlainString() + " " + m.currency();
    }

    /** This outcome for the payout its order key or provider payout id resolved to. */
    public PayoutOutcome withReference(String reference) {
        Builder b = new Builder().payoutReference(reference).orderKey(orderKey).provider(provider)
                .providerPayoutId(providerPayoutId).status(status).stage(stage).amount(amount)
                .adjustmentAmount(adjustmentAmount).adjustmentId(adjustmentId).failureReason(failureReason)
                .bankReference(bankReference).eventTime(eventTime).receivedAt(receivedAt).source(source)
                .rawPayload(rawPayload);
        b.identifiedByProviderPayoutId = identifiedByProviderPayoutId;
        if (operator != null) {
            b.resolvedBy(operator, resolutionId);
        }
        return b.build();
    }

    /**
     * Null when the outcome names its payout only by order key or by the provider's payout id: the ledger
     * resolves it ({@link #withReference}) or refuses it, never making a new payout of it.
     */
    public String payoutReference() { return payoutReference; }
    /**
     * True when the provider identifies its payouts by {@link #providerPayoutId} (its events may lack the
     * merchant's reference): the ledger keeps that id as an alias of the payout's reference.
     */
    public boolean identifiedByProviderPayoutId() { return identifiedByProviderPayoutId; }
    public String orderKey() { return orderKey; }
    public String provider() { return provider; }
    public String providerPayoutId() { return providerPayoutId; }
    public PayoutStatus status() { return status; }
    /** The provider's own name for this step (event or status), kept for audit and open-stage dedup. */
    public String stage() { return stage; }
    public Money amount() { return amount; }
    /** Amount of a refund or reversal, when this outcome is one. */
    public Money adjustmentAmount() { return adjustmentAmount; }
    /** The provider's id of a refund or reversal transaction. */
    public String adjustmentId() { return adjustmentId; }
    public String failureReason() { return failureReason; }
    /** UTR, PIX end-to-end id or chain transaction hash. */
    public String bankReference() { return bankReference; }
    public Instant eventTime() { return eventTime; }
    public Instant receivedAt() { return receivedAt; }
    public OutcomeSource source() { return source; }
    /** The provider's payload with personal data masked by the provider's translation. */
    public String rawPayload() { return rawPayload; }
    /** Who resolved a payout from the review queue; null for everything a provider or poll says. */
    public String operator() { return operator; }
    /** The operator resolution's idempotency key: the same resolution applies once. */
    public String resolutionId() { return resolutionId; }

    @Override
    public String toString() {
        // No raw payload: it may carry data that has no place in logs.
        return "PayoutOutcome[" + (payoutReference == null ? "(unresolved)|" + status.name() : dedupKey()) + " from " + provider + "/" + source.wireName() + "]";
    }

    public static final class Builder {
        private String payoutReference;
        private String orderKey;
        private String provider;
        private String providerPayoutId;
        private PayoutStatus status;
        private String stage;
        private Money amount;
        private Money adjustmentAmount;
        private String adjustmentId;
        private String failureReason;
        private String bankReference;
        private Instant eventTime;
        private Instant receivedAt;
        private OutcomeSource source;
        private String rawPayload;
        private String operator;
        private String resolutionId;
        private boolean identifiedByProviderPayoutId;

        public Builder payoutReference(String v) { this.payoutReference = v; return this; }
        public Builder orderKey(String v) { this.orderKey = v; return this; }
        public Builder provider(String v) { this.provider = v; return this; }
        public Builder providerPayoutId(String v) { this.providerPayoutId = v; return this; }
        public Builder status(PayoutStatus v) { this.status = v; return this; }
        public Builder stage(String v) { this.stage = v; return this; }
        public Builder amount(Money v) { this.amount = v; return this; }
        public Builder adjustmentAmount(Money v) { this.adjustmentAmount = v; return this; }
        public Builder adjustmentId(String v) { this.adjustmentId = v; return this; }
        public Builder failureReason(String v) { this.failureReason = v; return this; }
        public Builder bankReference(String v) { this.bankReference = v; return this; }
        public Builder eventTime(Instant v) { this.eventTime = v; return this; }
        public Builder receivedAt(Instant v) { this.receivedAt = v; return this; }
        public Builder source(OutcomeSource v) { this.source = v; return this; }
        public Builder rawPayload(String v) { this.rawPayload = v; return this; }
        /** The provider identifies payouts by their providerPayoutId (see {@link PayoutOutcome#identifiedByProviderPayoutId}). */
        public Builder identifiedByProviderPayoutId() { this.identifiedByProviderPayoutId = true; return this; }
        /** Marks an operator's resolution (see {@link PayoutDecision}): it overrides the transition table. */
        public Builder resolvedBy(String operator, String resolutionId) {
            this.operator = operator;
            this.resolutionId = resolutionId;
            return this;
        }

        public PayoutOutcome build() {
            return new PayoutOutcome(this);
        }
    }
}
