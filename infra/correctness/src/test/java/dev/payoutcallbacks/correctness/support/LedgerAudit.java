package dev.payoutcallbacks.correctness.support;

import dev.payoutcallbacks.core.ledger.LedgerSettings;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.PayoutTable;
import dev.payoutcallbacks.core.payout.ApplyResult;
import dev.payoutcallbacks.core.payout.HistoryEntry;
import dev.payoutcallbacks.core.payout.PayoutRecord;
import dev.payoutcallbacks.core.payout.PayoutState;
import dev.payoutcallbacks.core.testing.TestTables;
import dev.payoutcallbacks.correctness.support.Histories.Payout;
import dev.payoutcallbacks.correctness.support.ReferenceModel.Event;
import dev.payoutcallbacks.correctness.support.ReferenceModel.Step;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Compares what the ledger stored for a payout with the reference model.
 *
 * <p><b>Why replay in the ledger's order.</b> Under concurrency and shuffles the order in which outcomes
 * were applied is not the order they were generated, and some results depend on order (the version counts
 * applied outcomes: a refund that arrives before its success applies and the late success is stale; with
 * two contradicting outcomes the first one wins and the second is the conflict). So the model is replayed
 * in the order the ledger actually serialised them: APPLIED entries by versionAfter (which must be exactly
 * 1..n), and each STALE/CONFLICT entry right after the APPLIED entry whose version it was decided on (its
 * versionAfter). STALE and CONFLICT never change status, amount or refunded total, so their order within one
 * version does not matter. At every step the model's result, status and version must equal the entry's,
 * and at the end the stored state must equal the model's. This proves the history is a valid serial
 * execution of the rules, not merely a plausible end state.
 *
 * <p><b>And an order-free check.</b> For payouts whose final state the model finds the same under the
 * generated order and many random permutations (every history without a contradiction is such a payout,
 * thanks to "an adjustment implies its success"), the stored state must equal that state without reading
 * the ledger's history at all.
 */
public final class LedgerAudit {
    private static final int PERMUTATIONS = 16;

    private final DynamoDbClient db;
    private final String table;
    private final PayoutLedger ledger;
    private final Random random;

    public final List<String> mismatches = Collections.synchronizedList(new ArrayList<>());
    public long applied;
    public long stale;
    public long conflicts;
    public long historyEntries;
    public long markers;
    /** Dedup keys the history entries say they recorded (news keys, disagreement keys, refund ids with amounts). */
    public long recordedKeys;
    public long orderFreeChecked;
    public long orderDependent;

    public LedgerAudit(DynamoDbClient db, String table, long seed) {
        this.db = db;
        this.table = table;
        this.ledger = new PayoutLedger(new PayoutTable(db, table), Clock.systemUTC(), LedgerSettings.defaults());
        this.random = new Random(seed ^ 0x5DEECE66DL);
    }

    /**
     * Audits one payout. {@code delivered}: the dedup identities that were delivered and answered 2xx at least
     * once (every one must be in the history exactly once).
     */
    public void audit(Payout payout, Set<String> delivered) {
        audit(payout, delivered, null, false);
    }

    /**
     * As {@link #audit(Payout, Set)}; with {@code effectsAnswered} (the non-DUPLICATE results the handlers
     * answered per identity), also checks that no two deliveries of one outcome were answered with an effect,
     * that an effect answered names the result the history holds, and, when {@code exactlyOne} (no answers
     * were lost), that exactly one delivery of each outcome was answered with its effect.
     */
    public void audit(Payout payout, Set<String> delivered, Map<String, ? extends Collection<String>> effectsAnswered,
                      boolean exactlyOne) {
        String ref = payout.reference();
        Map<String, Event> byKey = payout.byKey();
        TestTables.settleHistory(table); // as the publisher does in AWS
        PayoutRecord record = ledger.read(ref).orElse(null);
        if (record == null) {
            if (!delivered.isEmpty()) {
                mismatches.add(ref + ": no payout stored although " + delivered.size() + " outcomes were delivered");
            }
            return;
        }
        List<HistoryEntry> history = record.history();
        historyEntries += history.size();

        // Exactly once, nothing lost, no marker without its effect (and no effect without its marker).
        Map<String, Integer> entriesPerKey = new HashMap<>();
        history.forEach(h -> entriesPerKey.merge(h.dedupKey(), 1, Integer::sum));
        entriesPerKey.forEach((k, n) -> {
            if (n != 1) {
                mismatches.add(ref + ": " + n + " history entries for " + k + " (exactly once violated)");
            }
            if (!byKey.containsKey(k)) {
                mismatches.add(ref + ": history holds an outcome never generated: " + k);
            }
        });
        for (String k : delivered) {
            if (!entriesPerKey.containsKey(k)) {
                mismatches.add(ref + ": delivered outcome lost (no history entry): " + k);
            }
        }
        Set<String> markerKeys = markers(ref);
        markers += markerKeys.size();
        Set<String> recordedKeys = new HashSet<>();
        // Each entry recorded its news key, or a disagreement's key, and a refund id recorded with its amount.
        history.forEach(h -> h.seenKeys().forEach(k -> recordedKeys.add(seenKey(k))));
        this.recordedKeys += recordedKeys.size();
        if (!markerKeys.equals(recordedKeys)) {
            Set<String> orphan = new TreeSet<>(markerKeys);
            orphan.removeAll(recordedKeys);
            Set<String> unmarked = new TreeSet<>(recordedKeys);
            unmarked.removeAll(markerKeys);
            mismatches.add(ref + ": dedup markers and history differ; markers without effect " + orphan
                    + ", effects without marker " + unmarked);
        }

        if (effectsAnswered != null) {
            for (HistoryEntry h : history) {
                Collection<String> answered = effectsAnswered.get(h.dedupKey());
                int n = answered == null ? 0 : answered.size();
                if (n > 1 || n == 0 && exactlyOne || n == 1 && !answered.iterator().next().equals(h.result().name())) {
                    mismatches.add(ref + ": " + h.dedupKey() + " is " + h.result() + " in the history, answered " + answered
                            + " (one delivery answered with the effect" + (exactlyOne ? "" : " at most")
                            + ", the others DUPLICATE)");
                }
            }
        }

        // Replay in the ledger's serial order.
        List<HistoryEntry> appliedEntries = new ArrayList<>();
        Map<Long, List<HistoryEntry>> others = new TreeMap<>();
        for (HistoryEntry h : history) {
            switch (h.result()) {
                case APPLIED -> { appliedEntries.add(h); applied++; }
                case STALE -> { others.computeIfAbsent(h.versionAfter(), v -> new ArrayList<>()).add(h); stale++; }
                case CONFLICT -> { others.computeIfAbsent(h.versionAfter(), v -> new ArrayList<>()).add(h); conflicts++; }
                default -> mismatches.add(ref + ": history entry with result " + h.result());
            }
        }
        appliedEntries.sort(Comparator.comparingLong(HistoryEntry::versionAfter));
        for (int i = 0; i < appliedEntries.size(); i++) {
            if (appliedEntries.get(i).versionAfter() != i + 1) {
                mismatches.add(ref + ": applied versions are not 1..n: " + appliedEntries.stream()
                        .map(HistoryEntry::versionAfter).toList());
                return;
            }
        }
        ReferenceModel model = new ReferenceModel();
        List<HistoryEntry> serial = new ArrayList<>(others.getOrDefault(0L, List.of()));
        for (HistoryEntry a : appliedEntries) {
            serial.add(a);
            serial.addAll(others.getOrDefault(a.versionAfter(), List.of()));
        }
        if (serial.size() != history.size()) {
            mismatches.add(ref + ": stale/conflict entries at a version no applied entry reached: " + others.keySet());
            return;
        }
        for (HistoryEntry h : serial) {
            Event e = byKey.get(h.dedupKey());
            if (e == null) {
                return; // already reported
            }
            Step step = model.decide(e);
            if (!step.result().name().equals(h.result().name()) || step.statusAfter() != h.statusAfter()
                    || step.versionAfter() != h.versionAfter()) {
                mismatches.add(ref + ": at " + h.dedupKey() + " the ledger recorded " + h.result() + "/" + h.statusAfter()
                        + "/v" + h.versionAfter() + ", the model says " + step.result() + "/" + step.statusAfter()
                        + "/v" + step.versionAfter() + " (serial order " + serial.stream().map(x -> x.dedupKey() + "="
                        + x.result()).toList() + ")");
                return;
            }
            if (h.result() == ApplyResult.CONFLICT && (h.anomaly() == null || !h.anomaly().startsWith(step.anomalyCategory()))) {
                mismatches.add(ref + ": conflict at " + h.dedupKey() + " recorded as \"" + h.anomaly() + "\", the model says "
                        + step.anomalyCategory());
            }
        }
        compareState(ref, record.state(), model);

        // Order-free: the generated order and random permutations.
        String expected = null;
        boolean orderFree = true;
        List<Event> events = new ArrayList<>(payout.events());
        for (int i = 0; i <= PERMUTATIONS && orderFree; i++) {
            ReferenceModel m = new ReferenceModel();
            events.forEach(m::deliver);
            String state = m.orderFreeState();
            if (expected == null) {
                expected = state;
            } else if (!expected.equals(state)) {
                orderFree = false;
            }
            Collections.shuffle(events, random);
        }
        // The order the ledger serialised them in is one more permutation: a history whose final state
        // differs in that order is order-dependent, however rarely random shuffles find such an order.
        if (orderFree && !expected.equals(model.orderFreeState())) {
            orderFree = false;
        }
        if (orderFree && delivered.equals(byKey.keySet())) {
            orderFreeChecked++;
            String actual = orderFreeState(record.state());
            if (!expected.equals(actual)) {
                mismatches.add(ref + ": order-independent history, the model's final state is " + expected
                        + ", the ledger's " + actual);
            }
        } else if (!orderFree) {
            orderDependent++;
        }
    }

    private void compareState(String ref, PayoutState s, ReferenceModel m) {
        boolean amountOk = m.amount() == null ? s.amount() == null
                : s.amount() != null && s.amount().currency().equals(m.amount().currency())
                && s.amount().amount().compareTo(m.amount().value()) == 0;
        boolean same = s.status() == m.status() && s.version() == m.version() && amountOk
                && s.refunded().compareTo(m.refunded()) == 0 && s.anomalies() == m.anomalies()
                && s.flaggedForReview() == (m.anomalies() > 0);
        if (!same) {
            mismatches.add(ref + ": stored state " + orderFreeState(s) + " version=" + s.version() + " flagged="
                    + s.flaggedForReview() + ", the model's (replayed in the ledger's order) " + m + " flagged="
                    + (m.anomalies() > 0));
        }
    }

    private static String orderFreeState(PayoutState s) {
        String amount = s.amount() == null ? "null" : s.amount().amount().stripTrailingZeros().toPlainString() + " " + s.amount().currency();
        return "status=" + s.status() + " amount=" + amount + " refunded="
                + s.refunded().stripTrailingZeros().toPlainString() + " anomalies=" + s.anomalies();
    }

    /** The dedup keys the payout's state item has seen (16-byte digests, as hex; consistent read). */
    public Set<String> markers(String reference) {
        Set<String> keys = new HashSet<>();
        Map<String, AttributeValue> item = db.getItem(g -> g.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("PAYOUT#" + reference), "sk", AttributeValue.fromS("STATE")))).item();
        AttributeValue seen = item == null ? null : item.get("seen");
        if (seen != null && seen.hasBs()) {
            seen.bs().forEach(k -> keys.add(HexFormat.of().formatHex(k.asByteArray())));
        }
        return keys;
    }

    /** What {@link #markers} holds for a dedup key. */
    public static String seenKey(String dedupKey) {
        return HexFormat.of().formatHex(PayoutLedger.seenKey(dedupKey).asByteArray());
    }
}
