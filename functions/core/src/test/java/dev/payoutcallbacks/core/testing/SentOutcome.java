package dev.payoutcallbacks.core.testing;

import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutStatus;

/**
 * What one callback says, before a provider's wire format: a fixture writes it as its provider would send it
 * ({@link ProviderFixture#body}). Built with {@link #of} and the setters of {@link Builder}; absent parts are null.
 *
 * @param reference        the payout reference; null where the callback names its payout by order key only
 * @param stage            an open status's stage, as the fixture lists it ({@link ProviderFixture#openStages})
 * @param amount           the payout's amount as the callback reports it (a refund's: the original payout's)
 * @param adjustment       a refund's or reversal's money
 * @param adjustmentId     a refund's or reversal's id
 * @param adjustmentText   the adjustment exactly as sent, where it differs from its plain decimal
 * @param providerPayoutId the provider's own payout id (each fixture has one derived from the reference otherwise)
 * @param bankReference    the bank's reference of a success (each fixture has one derived from the reference otherwise)
 * @param orderKey         the order key, for the canonical route
 * @param provider         the canonical route only: the provider whose outcome it carries (a reconciler's copy)
 * @param source           the canonical route only: internal, poll or webhook
 */
public record SentOutcome(String reference, PayoutStatus status, String stage, Money amount, Money adjustment,
                          String adjustmentId, String adjustmentText, String providerPayoutId, String bankReference,
                          String orderKey, String provider, String source) {

    public static Builder of(String reference, PayoutStatus status) {
        return new Builder(reference, status);
    }

    public Builder toBuilder() {
        return new Builder(reference, status).stage(stage).amount(amount).adjustment(adjustment)
                .adjustmentId(adjustmentId).adjustmentText(adjustmentText).providerPayoutId(providerPayoutId)
                .bankReference(bankReference).orderKey(orderKey).provider(provider).source(source);
    }

    /** The adjustment as sent: its text where one is given, else its plain decimal. */
    public String adjustmentAsSent() {
        return adjustmentText != null ? adjustmentText : adjustment.amountText();
    }

    public static final class Builder {
        private final String reference;
        private final PayoutStatus status;
        private String stage;
        private Money amount;
        private Money adjustment;
        private String adjustmentId;
        private String adjustmentText;
        private String providerPayoutId;
        private String bankReference;
        private String orderKey;
        private String provider;
        private String source;

        private Builder(String reference, PayoutStatus status) {
            this.reference = reference;
            this.status = status;
        }

        public Builder stage(String value) {
            stage = value;
            return this;
        }

        public Builder amount(Money value) {
            amount = value;
            return this;
        }

        public Builder adjustment(Money value) {
            adjustment = value;
            return this;
        }

        public Builder adjustmentId(String value) {
            adjustmentId = value;
            return this;
        }

        public Builder adjustmentText(String value) {
            adjustmentText = value;
            return this;
        }

        public Builder providerPayoutId(String value) {
            providerPayoutId = value;
            return this;
        }

        public Builder bankReference(String value) {
            bankReference = value;
            return this;
        }

        public Builder orderKey(String value) {
            orderKey = value;
            return this;
        }

        public Builder provider(String value) {
            provider = value;
            return this;
        }

        public Builder source(String value) {
            source = value;
            return this;
        }

        public SentOutcome build() {
            return new SentOutcome(reference, status, stage, amount, adjustment, adjustmentId, adjustmentText,
                    providerPayoutId, bankReference, orderKey, provider, source);
        }
    }
}
