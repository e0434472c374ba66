package dev.payoutcallbacks.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.payoutcallbacks.bench.ProviderEvents.Callback;
import dev.payoutcallbacks.bench.capacity.DynamoCallLog;
import dev.payoutcallbacks.core.lambda.CallbackLog;
import dev.payoutcallbacks.core.lambda.CallbackReceiver;
import dev.payoutcallbacks.core.ledger.PayoutHistory;
import dev.payoutcallbacks.core.ledger.PayoutTable;
import dev.payoutcallbacks.core.payout.HistoryEntry;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutRecord;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.testing.ProviderFixture;
import dev.payoutcallbacks.core.testing.SentOutcome;
import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import dev.payoutcallbacks.local.dynamodb.LocalStreams;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * 200 concurrent callbacks for one payout, through one receiver (as 200 concurrent Lambda instances would
 * share the table): the ledger's own bounded re-reads, then — for callbacks answered 503 once those run out —
 * the provider's redelivery (compressed here to a 0–50 ms pause instead of minutes). Measures the time until
 * every callback has been answered 200, the retries used, and checks every outcome applied exactly once.
 */
final class HotPayoutBench {
    static final int CONCURRENCY = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One scenario run. */
    record Run(String scenario, long convergeMs, Map<String, Integer> results, int redeliveries, long racesLost,
               long transactions, long cancelled, int maxRedeliveries, int firstTimeOk, boolean exactlyOnce, String check) {
    }

    /**
     * Comm.Pix's documented schedule: 10 attempts at 0s, 5m, 10m, 20m, 45m, 1h30, 3h, 6h, 12h, 24h (read as the
     * waits between attempts). Minutes until the k-th redelivery; -1 past the last attempt (the callback is lost).
     */
    static final int[] COMMPIX_WAITS_MINUTES = {5, 10, 20, 45, 90, 180, 360, 720, 1440};

    static long commpixMinutesUntil(int redeliveries) {
        if (redeliveries > COMMPIX_WAITS_MINUTES.length) {
            return -1;
        }
        long minutes = 0;
        for (int i = 0; i < redeliveries; i++) {
            minutes += COMMPIX_WAITS_MINUTES[i];
        }
        return minutes;
    }

    private final EmbeddedDynamoDb local;
    private final ProviderEvents events;
    /** Comm.Pix: refunds with their own ids, and the documented redelivery schedule above. */
    private final ProviderFixture commpix;
    /** The paid amount of the payouts here (200 refunds of 1.00 make it whole). */
    private final Money paid;

    HotPayoutBench(EmbeddedDynamoDb local, ProviderEvents events) {
        this.local = local;
        this.events = events;
        this.commpix = events.provider("commpix");
        this.paid = new Money(new BigDecimal("200.00"), commpix.currency());
    }

    List<Run> run(int repeats) {
        DynamoCallLog log = new DynamoCallLog(local.client(), false);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        CallbackLog.redirect(quiet);
        List<Run> runs = new ArrayList<>();
        try (DynamoDbClient db = Stacks.ourClient(local.endpoint(), log)) {
            for (int r = 0; r < repeats; r++) {
                // a fresh table per repeat: DynamoDB Local slows down as its in-memory tables grow
                String table = local.freshTable(SamTemplate.find(), "PayoutsTable");
                CallbackReceiver receiver = Stacks.receiver(commpix, events, db, table);
                runs.add(distinctRefunds(receiver, log));
                runs.add(sameCallback(receiver, log));
                runs.add(excessRefundsMix(receiver, log));
                runs.add(noContention(receiver, log));
                runs.subList(runs.size() - 4, runs.size()).forEach(x -> Report.progress(
                        String.format("hot %s: %d ms, results %s, redeliveries %d, refused conditional writes %d, exactly once: %s",
                                x.scenario(), x.convergeMs(), x.results(), x.redeliveries(), x.cancelled(), x.exactlyOnce())));
            }
        } finally {
            CallbackLog.redirect(System.out);
        }
        return runs;
    }

    /** 200 distinct partial refunds of one paid payout (1.00 BRL each of 200.00): all must apply, once. */
    private Run distinctRefunds(CallbackReceiver receiver, DynamoCallLog log) {
        String ref = "hot-" + UUID.randomUUID().toString().substring(0, 8);
        settle(receiver, ref);
        Money each = new Money(paid.amount().divide(BigDecimal.valueOf(CONCURRENCY)), paid.currency());
        Run raw = fire("200 distinct refunds, one payout", receiver, log, i -> refund(ref, "rf-" + ref + "-" + i, each));
        settleHistory(receiver);
        PayoutRecord record = receiver.ledger().read(ref).orElseThrow();
        long refundsInHistory = record.history().stream().filter(h -> "APPLIED".equals(h.result().name())
                && h.adjustmentId() != null).count();
        int applied = raw.results().getOrDefault("APPLIED", 0);
        BigDecimal refunded = record.state().refunded();
        boolean ok = applied == CONCURRENCY && record.state().version() == 2 + CONCURRENCY
                // pending, paid, and each refund's id and its id with its amount
                && refundsInHistory == CONCURRENCY && markers(receiver, ref) == 2 + 2 * CONCURRENCY
                && refunded.compareTo(new BigDecimal("200.00")) == 0 && "refunded".equals(record.state().status().wireName());
        return withCheck(raw, ok, "APPLIED " + applied + "/" + CONCURRENCY + ", version " + record.state().version()
                + " (expected " + (2 + CONCURRENCY) + "), refunded " + refunded.toPlainString() + " of 200.00, status "
                + record.state().status().wireName() + ", history refunds " + refundsInHistory + ", dedup markers "
                + markers(receiver, ref));
    }

    /** 200 deliveries of the same completion (a retry storm): exactly one applies. */
    private Run sameCallback(CallbackReceiver receiver, DynamoCallLog log) {
        String ref = "hot-" + UUID.randomUUID().toString().substring(0, 8);
        receiver.receive(said(ref, PayoutStatus.PENDING, paid).toEvent(), null);
        Callback completed = said(ref, PayoutStatus.PAID, paid);
        Run raw = fire("200 deliveries of one callback", receiver, log, i -> completed);
        settleHistory(receiver);
        PayoutRecord record = receiver.ledger().read(ref).orElseThrow();
        int applied = raw.results().getOrDefault("APPLIED", 0);
        int duplicate = raw.results().getOrDefault("DUPLICATE", 0);
        boolean ok = applied == 1 && duplicate == CONCURRENCY - 1 && record.state().version() == 2
                && record.history().size() == 2 && markers(receiver, ref) == 2;
        return withCheck(raw, ok, "APPLIED " + applied + ", DUPLICATE " + duplicate + ", version " + record.state().version()
                + " (expected 2), history " + record.history().size() + " (expected 2)");
    }

    /**
     * Outcomes that do not move the state, at once, on a fully refunded payout: 150 distinct refunds beyond
     * it (each a CONFLICT, refund_exceeds_paid), 25 deliveries of its completion with another amount (one
     * disagreement, then its duplicates) and 25 of the completion itself (duplicates). Each is recorded by a
     * write conditioned on what it was decided on, not on the revision, so none races another: every one
     * must be answered 200 at its first delivery.
     */
    private Run excessRefundsMix(CallbackReceiver receiver, DynamoCallLog log) {
        String ref = "hot-" + UUID.randomUUID().toString().substring(0, 8);
        settle(receiver, ref);
        receiver.receive(refund(ref, "full-" + ref, paid).toEvent(), null);
        Callback completed = said(ref, PayoutStatus.PAID, paid);
        Money more = new Money(paid.amount().add(new BigDecimal("100.00")), paid.currency());
        Callback otherAmount = said(ref, PayoutStatus.PAID, more);
        Money one = new Money(new BigDecimal("1.00"), paid.currency());
        Run raw = fire("200 not moving the state (150 excess refunds, 50 disagreeing/duplicate completions)", receiver, log,
                i -> i < 150 ? refund(ref, "x-" + ref + "-" + i, one) : i < 175 ? otherAmount : completed);
        settleHistory(receiver);
        PayoutRecord record = receiver.ledger().read(ref).orElseThrow();
        int conflicts = raw.results().getOrDefault("CONFLICT", 0);
        int duplicates = raw.results().getOrDefault("DUPLICATE", 0);
        boolean ok = conflicts == 151 && duplicates == 49 && raw.firstTimeOk() == CONCURRENCY && raw.redeliveries() == 0
                && record.state().anomalies() == 151 && "refunded".equals(record.state().status().wireName())
                && record.state().refunded().compareTo(new BigDecimal("200.00")) == 0 && record.state().version() == 3;
        return withCheck(raw, ok, "CONFLICT " + conflicts + " (expected 151), DUPLICATE " + duplicates + " (expected 49), "
                + "answered at first delivery " + raw.firstTimeOk() + "/" + CONCURRENCY + ", anomalies "
                + record.state().anomalies() + ", status " + record.state().status().wireName() + ", refunded "
                + record.state().refunded().toPlainString() + " of 200.00");
    }

    /** For contrast: 200 concurrent callbacks for 200 different payouts (no contention). */
    private Run noContention(CallbackReceiver receiver, DynamoCallLog log) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Run raw = fire("200 payouts, one callback each (contrast)", receiver, log,
                i -> said("cold-" + run + "-" + i, PayoutStatus.PAID, paid));
        boolean ok = raw.results().getOrDefault("APPLIED", 0) == CONCURRENCY;
        return withCheck(raw, ok, "APPLIED " + raw.results().getOrDefault("APPLIED", 0) + "/" + CONCURRENCY);
    }

    private void settle(CallbackReceiver receiver, String ref) {
        receiver.receive(said(ref, PayoutStatus.PENDING, paid).toEvent(), null);
        receiver.receive(said(ref, PayoutStatus.PAID, paid).toEvent(), null);
    }

    /** A Comm.Pix callback of {@code status} for the payout, with this amount. */
    private Callback said(String ref, PayoutStatus status, Money amount) {
        SentOutcome.Builder outcome = SentOutcome.of(ref, status).amount(amount);
        if (status == PayoutStatus.PENDING) {
            outcome.stage(commpix.openStages().get(0));
        }
        return events.callback(commpix, outcome.build());
    }

    /** A Comm.Pix refund of the paid payout, with its own refund transaction id. */
    private Callback refund(String ref, String refundId, Money refund) {
        return events.callback(commpix, SentOutcome.of(ref, PayoutStatus.PARTIALLY_REFUNDED).amount(paid).adjustment(refund)
                .adjustmentId(refundId).build());
    }

    /** The dedup keys the payout's state item has seen. */
    private long markers(CallbackReceiver receiver, String ref) {
        AttributeValue seen = local.client().getItem(g -> g.tableName(receiver.ledger().table().name()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("PAYOUT#" + ref), "sk", AttributeValue.fromS("STATE")))).item().get("seen");
        return seen == null ? 0 : seen.bs().size();
    }

    /** What the change publisher does in AWS: the stream's recorded outcomes become HISTORY# items. */
    private void settleHistory(CallbackReceiver receiver) {
        String table = receiver.ledger().table().name();
        PayoutHistory history = new PayoutHistory(new PayoutTable(local.client(), table));
        LocalStreams.drain(local.client(), local.endpoint(), table, history::record);
    }

    private Run fire(String scenario, CallbackReceiver receiver, DynamoCallLog log, IntFunction<Callback> callbackFor) {
        log.resetCounters();
        CountDownLatch ready = new CountDownLatch(CONCURRENCY);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(CONCURRENCY);
        Map<String, Integer> results = new ConcurrentHashMap<>();
        AtomicInteger redeliveries = new AtomicInteger();
        AtomicInteger maxRedeliveries = new AtomicInteger();
        AtomicInteger firstTimeOk = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            Callback callback = callbackFor.apply(i);
            Thread t = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    int mine = 0;
                    while (true) {
                        APIGatewayV2HTTPResponse answer = receiver.receive(callback.toEvent(), null);
                        if (answer.getStatusCode() == 200) {
                            if (mine == 0) {
                                firstTimeOk.incrementAndGet();
                            }
                            String result = JSON.readTree(answer.getBody()).path("result").asText("?");
                            results.merge(result, 1, Integer::sum);
                            break;
                        }
                        if (answer.getStatusCode() != 503) {
                            results.merge("HTTP " + answer.getStatusCode(), 1, Integer::sum);
                            break;
                        }
                        redeliveries.incrementAndGet();
                        maxRedeliveries.accumulateAndGet(++mine, Math::max);
                        Thread.sleep(ThreadLocalRandom.current().nextLong(0, 51));
                    }
                } catch (Exception e) {
                    results.merge("error " + e.getClass().getSimpleName(), 1, Integer::sum);
                } finally {
                    done.countDown();
                }
            }, "hot-" + i);
            threads.add(t);
            t.start();
        }
        try {
            ready.await();
            long start = System.nanoTime();
            go.countDown();
            done.await();
            long ms = (System.nanoTime() - start) / 1_000_000;
            long refused = log.count("UpdateItem:ConditionalCheckFailedException")
                    + log.count("PutItem:ConditionalCheckFailedException");
            long writes = log.count("UpdateItem") + log.count("PutItem");
            return new Run(scenario, ms, new LinkedHashMap<>(results), redeliveries.get(),
                    log.count("PutItem:ConditionalCheckFailedException"), writes, refused, maxRedeliveries.get(),
                    firstTimeOk.get(), false, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String schedule(int redeliveries) {
        long minutes = commpixMinutesUntil(redeliveries);
        if (minutes < 0) {
            return "lost (" + redeliveries + " redeliveries > 9)";
        }
        return minutes == 0 ? "at once" : minutes < 60 ? minutes + " min" : String.format(Locale.ROOT, "%.1f h", minutes / 60.0);
    }

    private static Run withCheck(Run raw, boolean ok, String check) {
        return new Run(raw.scenario(), raw.convergeMs(), raw.results(), raw.redeliveries(), raw.racesLost(),
                raw.transactions(), raw.cancelled(), raw.maxRedeliveries(), raw.firstTimeOk(), ok, check);
    }

    static void write(Report report, List<Run> runs, int repeats) {
        report.section("Hot payout: " + CONCURRENCY + " concurrent callbacks for one payout (Comm.Pix), median of " + repeats);
        report.line("One receiver (ledger bound: " + Stacks.APPLY_MAX_ATTEMPTS + " attempts, jittered back-off) on DynamoDB "
                + "Local in this JVM; " + CONCURRENCY + " threads released together. A callback answered 503 (contention "
                + "outlasted the bound) is redelivered by the simulated provider after 0–50 ms (real providers wait "
                + "minutes: Comm.Pix 5 min, Pivot 5 min). Each callback is one conditional UpdateItem; a refused one (a "
                + "duplicate, or a state its condition does not cover) is decided in Java on the item DynamoDB returns "
                + "and written with a PutItem guarded by the revision (or, for a STALE or CONFLICT outcome, recorded by "
                + "an UpdateItem conditioned on what it was decided on, which no other stale or conflicting outcome "
                + "changes): \"races lost\" counts those guarded writes refused because another writer got there first "
                + "(each one a retry).");
        report.line("");
        report.line("\"Under Comm.Pix's schedule\": the same number of redeliveries of the unluckiest callback mapped onto "
                + "Comm.Pix's documented waits (5m, 10m, 20m, 45m, 1h30, 3h, 6h, 12h, 24h; 10 attempts): when its last "
                + "callback would converge for real, or \"lost\" past the 10th attempt.");
        report.line("");
        Map<String, List<Run>> byScenario = new LinkedHashMap<>();
        runs.forEach(r -> byScenario.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r));
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, List<Run>> e : byScenario.entrySet()) {
            List<Run> rs = e.getValue();
            Run last = rs.get(rs.size() - 1);
            long allOk = rs.stream().filter(Run::exactlyOnce).count();
            double deliveries = Report.median(rs.stream().map(r -> CONCURRENCY + r.redeliveries()).toList());
            rows.add(List.of(e.getKey(),
                    Report.num(Report.median(rs.stream().map(Run::convergeMs).toList())),
                    Report.num(Report.median(rs.stream().map(Run::redeliveries).toList())),
                    Report.num(Report.median(rs.stream().map(Run::racesLost).toList())),
                    Report.num(Report.median(rs.stream().map(Run::transactions).toList())) + " / "
                            + Report.num(Report.median(rs.stream().map(Run::cancelled).toList())),
                    Report.num(deliveries),
                    Report.num(Report.median(rs.stream().map(Run::firstTimeOk).toList())),
                    Report.num(Report.median(rs.stream().map(Run::maxRedeliveries).toList())),
                    schedule(rs.stream().mapToInt(Run::maxRedeliveries).max().orElse(0)),
                    allOk + "/" + rs.size(),
                    last.check()));
        }
        report.table(List.of("scenario", "time to converge (ms)", "provider redeliveries (503)", "races lost (guarded PutItem refused)",
                "conditional writes / refused", "deliveries", "answered 200 at first delivery", "most redeliveries of one callback",
                "under Comm.Pix's schedule (worst run)", "exactly once", "last run's check"), rows);
    }
}
