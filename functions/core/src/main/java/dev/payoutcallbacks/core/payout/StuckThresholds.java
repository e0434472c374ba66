package dev.payoutcallbacks.core.payout;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How long an open payout may go without news before the reconciler looks at it, per provider
 * ("default=30,pivot=60", minutes). Read from STUCK_AFTER_MINUTES by every function that writes payouts.
 */
public final class StuckThresholds {
    private final Duration fallback;
    private final Map<String, Duration> byProvider;

    private StuckThresholds(Duration fallback, Map<String, Duration> byProvider) {
        this.fallback = fallback;
        this.byProvider = byProvider;
    }

    public static StuckThresholds parse(String spec) {
        Duration fallback = Duration.ofMinutes(30);
        Map<String, Duration> byProvider = new HashMap<>();
        if (spec != null) {
            for (String part : spec.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("STUCK_AFTER_MINUTES entries are provider=minutes: " + p);
                }
                Duration d = Duration.ofMinutes(Long.parseLong(p.substring(eq + 1).trim()));
                String name = p.substring(0, eq).trim();
                if (name.equals("default")) {
                    fallback = d;
                } else {
                    byProvider.put(name, d);
                }
            }
        }
        return new StuckThresholds(fallback, Map.copyOf(byProvider));
    }

    public static StuckThresholds defaults() {
        return parse(null);
    }

    public Duration forProvider(String provider) {
        return provider == null ? fallback : byProvider.getOrDefault(provider, fallback);
    }
}
