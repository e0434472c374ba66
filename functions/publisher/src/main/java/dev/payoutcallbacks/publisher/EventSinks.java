package dev.payoutcallbacks.publisher;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import java.util.Locale;

/** Chooses the sink from the environment: PAYOUT_EVENTS_SINK = eventbridge (default) | stdout. */
final class EventSinks {
    private EventSinks() {
    }

    static PayoutEventSink fromEnvironment(FunctionEnvironment env) {
        String kind = env.getOrDefault("PAYOUT_EVENTS_SINK", "eventbridge").trim().toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "eventbridge" -> EventBridgeSink.fromEnvironment(env);
            case "stdout" -> new StdoutSink(System.out, env.intOrDefault("PAYOUT_EVENTS_KEEP", 500),
                    env.getOrDefault("EVENT_BUS_NAME", "local"));
            default -> throw new IllegalStateException("PAYOUT_EVENTS_SINK must be eventbridge or stdout, not " + kind);
        };
    }
}
