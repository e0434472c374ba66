package dev.payoutcallbacks.core.payout;

import java.util.List;

/** One recorded outcome under a payout (APPLIED, STALE or CONFLICT), for audit. */
public record HistoryEntry(
        ApplyResult result,
        PayoutStatus reported,
        PayoutStatus statusAfter,
        long versionAfter,
        String dedupKey,
        String provider,
        OutcomeSource source,
        String stage,
        Money amount,
        Money adjustmentAmount,
        String adjustmentId,
        String failureReason,
        String bankReference,
        String eventTime,
        String receivedAt,
        String anomaly,
        String rawPayload,
        /* The dedup keys this outcome added to the payout's seen set (its news key, or a disagreement's key...). */
        List<String> seenKeys) {
}
