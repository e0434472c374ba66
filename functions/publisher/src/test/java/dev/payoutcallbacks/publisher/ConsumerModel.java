package dev.payoutcallbacks.publisher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A downstream consumer as the events' contract asks it to be: it applies a change only when its
 * version is above the last one it applied for the payout (a duplicate or an older redelivery is
 * ignored), and it notices a gap when previousVersion is not the version it holds.
 */
final class ConsumerModel {
    record Held(long version, String status) {
    }

    final Map<String, Held> payouts = new HashMap<>();
    final List<PayoutStatusChanged> applied = new ArrayList<>();
    int ignored;
    final List<String> gaps = new ArrayList<>();

    ConsumerModel consume(List<PayoutStatusChanged> events) {
        events.forEach(this::consume);
        return this;
    }

    void consume(PayoutStatusChanged e) {
        Held held = payouts.get(e.reference());
        long have = held == null ? 0 : held.version();
        if (e.version() <= have) {
            ignored++;
            return;
        }
        if (e.previousVersion() != have) {
            gaps.add(e.reference() + ": held v" + have + ", event v" + e.version() + " after v" + e.previousVersion());
        }
        payouts.put(e.reference(), new Held(e.version(), e.status()));
        applied.add(e);
    }
}
