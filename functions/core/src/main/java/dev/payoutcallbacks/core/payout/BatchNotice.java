package dev.payoutcallbacks.core.payout;

import java.time.Instant;

/**
 * A provider's notice about a batch of payouts that carries totals only (e.g. Pivot's bulk events).
 * It cannot be applied to any payout; it is recorded so the reconciler can fetch the items.
 */
public record BatchNotice(String provider, String batchId, String event, String totalsJson, Instant receivedAt,
                          String rawPayload) {
}
