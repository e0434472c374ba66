package dev.payoutcallbacks.core.ledger;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.payout.StuckThresholds;

/**
 * How the ledger writes a payout.
 *
 * @param maxAttempts how many times one outcome (or registration) is decided again while other writers keep
 *                    changing its payout, before {@link dev.payoutcallbacks.core.payout.ApplyContention}
 * @param stuckAfter  how long an open payout may go without news before the reconciler looks at it
 */
public record LedgerSettings(int maxAttempts, StuckThresholds stuckAfter) {
    public static final int DEFAULT_MAX_ATTEMPTS = 8;

    public static LedgerSettings defaults() {
        return new LedgerSettings(DEFAULT_MAX_ATTEMPTS, StuckThresholds.defaults());
    }

    /** APPLY_MAX_ATTEMPTS and STUCK_AFTER_MINUTES, each with its default when unset. */
    public static LedgerSettings fromEnvironment(FunctionEnvironment env) {
        return new LedgerSettings(env.intOrDefault("APPLY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS),
                StuckThresholds.parse(env.get("STUCK_AFTER_MINUTES")));
    }

    public LedgerSettings withMaxAttempts(int attempts) {
        return new LedgerSettings(attempts, stuckAfter);
    }

    public LedgerSettings withStuckAfter(StuckThresholds thresholds) {
        return new LedgerSettings(maxAttempts, thresholds);
    }
}
