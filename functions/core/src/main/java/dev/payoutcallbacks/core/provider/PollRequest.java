package dev.payoutcallbacks.core.provider;

import java.time.Instant;
import java.util.Objects;

/**
 * What a provider's status API is told about the payout it is asked about, and nothing more: the stored
 * {@link PayoutState} (status, amounts, review state, counters ...) stays on the reconciler's side of the seam.
 *
 * @param reference        our payout reference (the id every provider was given at submission)
 * @param providerPayoutId the provider's own id for the payout, when known (e.g. from an earlier callback); may be null
 * @param submittedAt      when the payout was submitted to the provider; may be null
 */
public record PollRequest(String reference, String providerPayoutId, Instant submittedAt) {
    public PollRequest {
        Objects.requireNonNull(reference, "reference");
    }
}
