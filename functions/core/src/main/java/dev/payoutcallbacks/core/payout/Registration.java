package dev.payoutcallbacks.core.payout;

import java.time.Instant;

/** What the payout service tells us when it submits a payout to a provider. */
public record Registration(String reference, String provider, Money amount, String orderKey, String providerPayoutId,
                           Instant submittedAt) {
}
