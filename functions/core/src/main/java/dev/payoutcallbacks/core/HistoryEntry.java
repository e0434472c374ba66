package dev.payoutcallbacks.core;

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
        String rawPayload) {
}
