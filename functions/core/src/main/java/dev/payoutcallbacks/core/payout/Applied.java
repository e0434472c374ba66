package dev.payoutcallbacks.core.payout;

/**
 * The answer of {@link PayoutLedger#apply}: the result, the payout state after it, and what it cost.
 *
 * @param attempts     1 unless a concurrent writer forced a re-read
 * @param readUnits    consumed read capacity reported by DynamoDB
 * @param writeUnits   consumed write capacity reported by DynamoDB
 * @param anomaly      why a CONFLICT was flagged; null otherwise
 */
public record Applied(ApplyResult result, PayoutState state, int attempts, double readUnits, double writeUnits,
                      String anomaly) {
}
