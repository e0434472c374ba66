package dev.payoutcallbacks.reconciler;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.payout.StuckThresholds;
import java.time.Duration;

/**
 * The reconciler's configuration. Which providers it looks after is not configured: every provider on its
 * class path ({@link ProviderRegistry}).
 *
 * @param pageSize         due entries read per index query (RECONCILER_PAGE_SIZE, default 25)
 * @param maxPolls         polls without a definitive answer before a payout is flagged for review
 *                         (RECONCILER_MAX_POLLS, default 8)
 * @param backoffBase      delay after the first unresolved poll (RECONCILER_BACKOFF_MINUTES, default 15)
 * @param backoffCap       longest delay between polls (RECONCILER_BACKOFF_MAX_MINUTES, default 1440)
 * @param notFoundGrace    time after submission before "no such payout" can mean submit_not_received
 *                         (NOT_FOUND_GRACE_MINUTES, default 30)
 * @param safetyMargin     no new work is started with less than this left of the invocation
 *                         (RECONCILER_SAFETY_MARGIN_MS, default 20000: two HTTP calls and an apply, worst case)
 * @param stuckAfter       per-provider thresholds (STUCK_AFTER_MINUTES), to skip payouts with fresh news the
 *                         eventually consistent index has not caught up with
 */
public record ReconcilerSettings(int pageSize, int maxPolls, Duration backoffBase,
                                 Duration backoffCap, Duration notFoundGrace, Duration safetyMargin,
                                 StuckThresholds stuckAfter) {

    public ReconcilerSettings {
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("RECONCILER_PAGE_SIZE must be 1..1000");
        }
        if (maxPolls < 1) {
            throw new IllegalArgumentException("RECONCILER_MAX_POLLS must be at least 1");
        }
        if (backoffBase.isNegative() || backoffBase.isZero() || backoffCap.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("back-off: 0 < RECONCILER_BACKOFF_MINUTES <= RECONCILER_BACKOFF_MAX_MINUTES");
        }
    }

    public static ReconcilerSettings from(FunctionEnvironment env) {
        return new ReconcilerSettings(
                env.intOrDefault("RECONCILER_PAGE_SIZE", 25),
                env.intOrDefault("RECONCILER_MAX_POLLS", 8),
                Duration.ofMinutes(env.intOrDefault("RECONCILER_BACKOFF_MINUTES", 15)),
                Duration.ofMinutes(env.intOrDefault("RECONCILER_BACKOFF_MAX_MINUTES", 1440)),
                Duration.ofMinutes(env.intOrDefault("NOT_FOUND_GRACE_MINUTES", 30)),
                Duration.ofMillis(env.intOrDefault("RECONCILER_SAFETY_MARGIN_MS", 20_000)),
                StuckThresholds.parse(env.get("STUCK_AFTER_MINUTES")));
    }

    /**
     * The wait after an unresolved poll, given the polls already made before it: exponential and capped,
     * {@code min(base × 2^attempts, cap)} — 15, 30, 60 ... minutes, at most a day, by default.
     */
    public Duration backoff(int attemptsBefore) {
        int doublings = Math.max(0, Math.min(attemptsBefore, 30));
        Duration delay = backoffBase.multipliedBy(1L << doublings);
        return delay.compareTo(backoffCap) > 0 || delay.isNegative() ? backoffCap : delay;
    }
}
