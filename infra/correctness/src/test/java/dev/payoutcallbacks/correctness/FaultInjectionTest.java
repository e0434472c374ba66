package dev.payoutcallbacks.correctness;

import static dev.payoutcallbacks.correctness.support.FaultProxy.Fault.DROP_AFTER_COMMIT;
import static dev.payoutcallbacks.correctness.support.FaultProxy.Fault.DROP_BEFORE;
import static dev.payoutcallbacks.correctness.support.FaultProxy.Fault.ERROR_500;
import static dev.payoutcallbacks.correctness.support.FaultProxy.Fault.ERROR_500_AFTER_COMMIT;
import static dev.payoutcallbacks.correctness.support.FaultProxy.Fault.ERROR_503;
import static dev.payoutcallbacks.correctness.support.FaultProxy.Fault.HOLD;
import static dev.payoutcallbacks.correctness.support.FaultProxy.Fault.PASS;
import static dev.payoutcallbacks.correctness.support.FaultProxy.Fault.SLOW_AFTER_COMMIT;
import static dev.payoutcallbacks.correctness.support.FaultProxy.Fault.SLOW_BEFORE;
import static dev.payoutcallbacks.correctness.support.FaultProxy.Fault.THROTTLE;
import static dev.payoutcallbacks.correctness.support.FaultProxy.Fault.THROTTLING_EXCEPTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.core.lambda.CallbackLog;
import dev.payoutcallbacks.core.ledger.Quarantine;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutRecord;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.testing.ProviderFixture;
import dev.payoutcallbacks.core.testing.ProviderFixture.Adjustments;
import dev.payoutcallbacks.core.testing.SentOutcome;
import dev.payoutcallbacks.core.testing.TestTables;
import dev.payoutcallbacks.correctness.support.Deliverer;
import dev.payoutcallbacks.correctness.support.Evidence;
import dev.payoutcallbacks.correctness.support.FaultProxy;
import dev.payoutcallbacks.correctness.support.FaultProxy.Fault;
import dev.payoutcallbacks.correctness.support.Histories;
import dev.payoutcallbacks.correctness.support.Histories.Payout;
import dev.payoutcallbacks.correctness.support.Histories.Planned;
import dev.payoutcallbacks.correctness.support.LedgerAudit;
import dev.payoutcallbacks.correctness.support.Providers;
import dev.payoutcallbacks.correctness.support.ReferenceModel.Amount;
import dev.payoutcallbacks.correctness.support.ReferenceModel.Event;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults between the handlers and DynamoDB Local, injected by a loopback proxy ({@link FaultProxy}):
 * throttling, 5xx, dropped connections, slow answers past the client's attempt timeout (3 s) and call timeout
 * (6 s), and — the dangerous ones — writes that commit but whose answer is lost or replaced by a 500. In
 * every case the handler must answer 5xx or the correct result, the provider's retry must lead to exactly one
 * effect, and no dedup marker may exist without its effect.
 */
class FaultInjectionTest {
    /** The payout's write, whichever it is: the one-write UpdateItem, or the guarded PutItem after it. */
    private static final String WRITE = "UpdateItem|PutItem";
    private static final String UPDATE = "UpdateItem";
    private static final String PUT = "PutItem";

    private static FaultProxy proxy;
    private static String table;
    private static Map<String, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> viaProxy;
    private static Map<String, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> direct;
    private static final Map<String, Function<String, Fault>> ARMED = new ConcurrentHashMap<>();
    /** The spellings the fixtures pick among (guarded: cases run in parallel). */
    private static final Random FORMS = new Random(7);
    /** The unknown event and the bulk notice below are Pivot's documented callbacks. */
    private static final String PIVOT = "pivot";

    @BeforeAll
    static void start() {
        table = TestTables.freshPayoutsTable();
        proxy = new FaultProxy(TestTables.dynamo().endpoint());
        // Each armed case decides for the requests that name its payout (or its quarantine entry).
        proxy.plan((operation, body) -> {
            for (Map.Entry<String, Function<String, Fault>> armed : ARMED.entrySet()) {
                if (body.contains(armed.getKey())) {
                    return armed.getValue().apply(operation);
                }
            }
            return PASS;
        });
        viaProxy = Providers.handlers(Providers.environment(table, proxy.endpoint()));
        direct = Providers.handlers(Providers.environment(table, TestTables.dynamo().endpoint()));
        CallbackLog.redirect(Evidence.nullStream());
    }

    @AfterAll
    static void stop() {
        CallbackLog.redirect(System.out);
        proxy.close();
    }

    /** What the faulted delivery is: the payout's earlier outcome (if any) and the faulted one. */
    enum Shape {
        NEW_PAYOUT_APPLIED(null, PayoutStatus.PAID, "APPLIED"),
        STORED_PAYOUT_APPLIED(PayoutStatus.PAID, PayoutStatus.REVERSED, "APPLIED"),
        REFUND_APPLIED(PayoutStatus.PAID, PayoutStatus.PARTIALLY_REFUNDED, "APPLIED"),
        CONFLICT(PayoutStatus.PAID, PayoutStatus.FAILED, "CONFLICT"),
        STALE(PayoutStatus.PAID, PayoutStatus.PENDING, "STALE");

        final PayoutStatus before;
        final PayoutStatus faulted;
        final String expected;

        Shape(PayoutStatus before, PayoutStatus faulted, String expected) {
            this.before = before;
            this.faulted = faulted;
            this.expected = expected;
        }

        /** The shape's outcomes as {@code provider} says them for a payout, or null where it cannot say one. */
        List<Event> events(ProviderFixture provider, String reference) {
            Amount amount = amount(provider);
            Amount carried = provider.carriesAmount() ? amount : null;
            List<Event> events = new ArrayList<>();
            if (before != null) {
                events.add(new Event(reference, before, null, carried, null, null, null));
            }
            switch (faulted) {
                case REVERSED -> events.add(new Event(reference, PayoutStatus.REVERSED, null, amount, amount, null, null));
                case PARTIALLY_REFUNDED -> {
                    BigDecimal quarter = amount.value().divide(BigDecimal.valueOf(4), amount.value().scale(), RoundingMode.DOWN);
                    events.add(new Event(reference, PayoutStatus.PARTIALLY_REFUNDED, null, amount,
                            new Amount(quarter, amount.currency()), "rf-" + reference, quarter.toPlainString()));
                }
                // An open stage its callbacks say without an amount.
                case PENDING -> provider.openStages().stream()
                        .map(stage -> new Event(reference, PayoutStatus.PENDING, stage, null, null, null, null))
                        .filter(e -> says(provider, e)).findFirst().ifPresent(events::add);
                default -> events.add(new Event(reference, faulted, null, carried, null, null, null));
            }
            boolean said = events.size() == (before == null ? 1 : 2) && events.stream().allMatch(e -> says(provider, e));
            return said ? events : null;
        }
    }

    /**
     * The provider each shape is sent through: the first (in template order) that can say it and has no shape yet,
     * so the shapes spread over the providers; else the first that can say it.
     */
    private static final Map<Shape, ProviderFixture> PROVIDER_OF = spread();

    private static Map<Shape, ProviderFixture> spread() {
        Map<Shape, ProviderFixture> chosen = new EnumMap<>(Shape.class);
        for (Shape shape : Shape.values()) {
            List<ProviderFixture> able = Providers.all().stream().filter(f -> shape.events(f, "probe") != null).toList();
            chosen.put(shape, able.stream().filter(f -> !chosen.containsValue(f)).findFirst().orElse(able.get(0)));
        }
        return chosen;
    }

    /**
     * A payout amount of the provider's, the same for every case, in whole units: a provider's spellings of it then
     * differ as text ({@code 1500} and {@code "1500.00"}), which the ledger must compare as money.
     */
    private static Amount amount(ProviderFixture provider) {
        Money money = provider.amount(new Random(1));
        BigDecimal whole = money.amount().setScale(0, RoundingMode.DOWN).max(BigDecimal.ONE).setScale(money.amount().scale());
        return new Amount(whole, money.currency());
    }

    record Case(String operation, Fault fault, boolean persistent, Shape shape) {
        String name() {
            return operation + " " + fault + (persistent ? " (every attempt)" : " (once)") + " on " + shape;
        }
    }

    record CaseResult(Case c, int firstStatus, String firstResult, int providerRetries, String finalResult,
                      long effects, long markers, long millis, List<String> problems) {
    }

    /** The matrix: every fault on the write and the answer paths; the guarded PutItem on its own besides. */
    static List<Case> matrix() {
        List<Case> cases = new ArrayList<>();
        Shape[] shapes = Shape.values();
        int i = 0;
        Object[][] writeFaults = {
                {THROTTLE, false}, {THROTTLE, true}, {THROTTLING_EXCEPTION, false}, {ERROR_500, false},
                {ERROR_500, true}, {ERROR_503, false}, {ERROR_503, true}, {DROP_BEFORE, false}, {DROP_BEFORE, true},
                {DROP_AFTER_COMMIT, false}, {DROP_AFTER_COMMIT, true}, {ERROR_500_AFTER_COMMIT, false},
                {ERROR_500_AFTER_COMMIT, true}, {SLOW_BEFORE, false}, {SLOW_AFTER_COMMIT, false},
                {SLOW_AFTER_COMMIT, true}};
        for (Object[] f : writeFaults) {
            // The answer-lost faults run on every write shape (new payout, stored, refund, conflict, stale).
            boolean everyShape = f[0] == DROP_AFTER_COMMIT || f[0] == ERROR_500_AFTER_COMMIT;
            if (everyShape) {
                for (Shape shape : shapes) {
                    cases.add(new Case(WRITE, (Fault) f[0], (Boolean) f[1], shape));
                }
            } else {
                cases.add(new Case(WRITE, (Fault) f[0], (Boolean) f[1], shapes[i++ % shapes.length]));
            }
        }
        // CONFLICT and STALE take the Java path: the one write's condition fails, then a PutItem guarded by
        // the revision records them. Faults on that second write alone:
        Object[][] guardedFaults = {{DROP_AFTER_COMMIT, false}, {ERROR_500_AFTER_COMMIT, true}, {THROTTLE, false},
                {ERROR_500, true}};
        for (Object[] f : guardedFaults) {
            for (Shape shape : new Shape[] {Shape.CONFLICT, Shape.STALE}) {
                cases.add(new Case(PUT, (Fault) f[0], (Boolean) f[1], shape));
            }
        }
        return cases;
    }

    @Test
    void everyFaultAnswers5xxOrTheRightResultAndTheRetryAppliesExactlyOnce() throws Exception {
        List<Case> cases = matrix();
        // Cases run in parallel (each on its own payout) so the slow ones overlap.
        ExecutorService pool = Executors.newFixedThreadPool(cases.size());
        List<Future<CaseResult>> futures = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            String reference = "fault-" + String.format("%02d", i) + "-" + Long.toString(System.nanoTime(), 36);
            futures.add(pool.submit(() -> run(c, reference)));
        }
        List<CaseResult> results = new ArrayList<>();
        for (Future<CaseResult> f : futures) {
            results.add(f.get());
        }
        pool.shutdown();

        List<String> problems = new ArrayList<>();
        for (CaseResult r : results) {
            Evidence.print("fault", String.format("%-62s first=%d %-9s providerRetries=%d final=%-9s effects=%d markers=%d %dms%s",
                    r.c().name(), r.firstStatus(), r.firstResult(), r.providerRetries(), r.finalResult(), r.effects(),
                    r.markers(), r.millis(), r.problems().isEmpty() ? "" : " PROBLEMS " + r.problems()));
            r.problems().forEach(p -> problems.add(r.c().name() + ": " + p));
        }
        long fiveXx = results.stream().filter(r -> r.firstStatus() >= 500).count();
        Evidence.print("fault-matrix", "cases=" + results.size() + " firstAnswer5xx=" + fiveXx
                + " firstAnswerCorrect2xx=" + (results.size() - fiveXx)
                + " exactlyOneEffect=" + results.stream().filter(r -> r.effects() == 1 && r.markers() == 1).count()
                + " problems=" + problems.size());
        assertEquals(List.of(), problems);
        assertTrue(fiveXx > 0 && fiveXx < results.size(), "the matrix must produce both 5xx and absorbed faults");
    }

    private CaseResult run(Case c, String reference) {
        long started = System.nanoTime();
        List<String> problems = new ArrayList<>();
        Shape s = c.shape();
        ProviderFixture fixture = PROVIDER_OF.get(s);
        String provider = fixture.provider();
        Amount amount = amount(fixture);
        List<Event> events = s.events(fixture, reference);
        Event faulted = events.get(events.size() - 1);
        if (s.before != null) {
            APIGatewayV2HTTPResponse setup = direct.get(provider).apply(Providers.signed(provider, body(fixture, events.get(0))));
            if (setup.getStatusCode() != 200) {
                problems.add("setup answered " + setup.getStatusCode() + " " + setup.getBody());
            }
        }
        String faultedBody = body(fixture, faulted);
        AtomicBoolean cleared = new AtomicBoolean();
        AtomicInteger left = new AtomicInteger(1);
        ARMED.put("\"PAYOUT#" + reference + "\"", operation -> {
            if (!c.operation().contains(operation) || cleared.get()) {
                return PASS;
            }
            return c.persistent() || left.getAndDecrement() > 0 ? c.fault() : PASS;
        });

        APIGatewayV2HTTPResponse first = viaProxy.get(provider).apply(Providers.signed(provider, faultedBody));
        cleared.set(true); // the fault clears; the provider retries
        int firstStatus = first.getStatusCode();
        String firstResult = firstStatus == 200 ? Providers.body(first).path("result").asText() : "-";
        if (firstStatus == 200 && !firstResult.equals(s.expected)) {
            problems.add("first answer 200 " + firstResult + ", expected " + s.expected + " or a 5xx");
        } else if (firstStatus != 200 && firstStatus != 503) {
            problems.add("first answer " + firstStatus + " " + first.getBody() + ": neither 5xx nor the result");
        }
        int retries = 0;
        APIGatewayV2HTTPResponse last = first;
        while (last.getStatusCode() >= 500 && retries < 5) {
            retries++;
            last = viaProxy.get(provider).apply(Providers.signed(provider, faultedBody));
        }
        String finalResult = last.getStatusCode() == 200 ? Providers.body(last).path("result").asText() : "-";
        if (last.getStatusCode() != 200) {
            problems.add("after " + retries + " provider retries still " + last.getStatusCode());
        } else if (firstStatus == 200 && retries != 0) {
            problems.add("retried after a 2xx");
        } else if (!finalResult.equals(s.expected) && !(firstStatus >= 500 && finalResult.equals("DUPLICATE"))) {
            problems.add("final answer " + finalResult + ", expected " + s.expected + " (or DUPLICATE when the 5xx'd write had committed)");
        }
        // One more replay: a duplicate, nothing changes.
        APIGatewayV2HTTPResponse replay = direct.get(provider).apply(Providers.signed(provider, faultedBody));
        if (replay.getStatusCode() != 200 || !Providers.body(replay).path("result").asText().equals("DUPLICATE")) {
            problems.add("replay answered " + replay.getStatusCode() + " " + replay.getBody());
        }
        ARMED.remove("\"PAYOUT#" + reference + "\"");

        // Exactly one effect, markers == effects, and the whole payout equals the model.
        TestTables.settleHistory(table);
        PayoutRecord record = TestTables.ledger(table).read(reference).orElse(null);
        long effects = record == null ? 0 : record.history().stream().filter(h -> h.dedupKey().equals(faulted.dedupKey())).count();
        LedgerAudit audit = new LedgerAudit(TestTables.dynamo().client(), table, 1);
        long markers = audit.markers(reference).stream().filter(k -> k.equals(LedgerAudit.seenKey(faulted.dedupKey()))).count();
        List<Planned> planned = events.stream().map(e -> new Planned(e, List.of())).toList();
        audit.audit(new Payout(reference, provider, amount.currency(), amount, planned, false),
                events.stream().map(Event::dedupKey).collect(Collectors.toSet()));
        problems.addAll(audit.mismatches);
        if (effects != 1 || markers != 1) {
            problems.add("effects=" + effects + " markers=" + markers + " (exactly one of each expected)");
        }
        return new CaseResult(c, firstStatus, firstResult, retries, finalResult, effects, markers,
                (System.nanoTime() - started) / 1_000_000, problems);
    }

    /** The body the provider sends; the canonical route's own outcomes come from an internal service. */
    private static String body(ProviderFixture provider, Event e) {
        SentOutcome outcome = Histories.outcome(e).toBuilder().source(provider.canonical() ? "internal" : null).build();
        synchronized (FORMS) {
            return provider.body(outcome, FORMS);
        }
    }

    /** Whether the provider's own callbacks can say the outcome (the spelling drawn does not decide it). */
    private static boolean says(ProviderFixture provider, Event e) {
        return provider.body(Histories.outcome(e), new Random(0)) != null;
    }

    /** The quarantine write and the batch-notice write under lost answers and 5xx (cases in parallel). */
    @Test
    void quarantineAndBatchNoticeWritesSurviveFaults() throws Exception {
        Quarantine quarantine = new Quarantine(TestTables.table(table), Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(7);
        List<Future<String>> lines = new ArrayList<>();
        for (Fault fault : List.of(ERROR_500, DROP_AFTER_COMMIT, ERROR_500_AFTER_COMMIT)) {
            for (boolean persistent : List.of(false, true)) {
                lines.add(pool.submit(() -> quarantineCase(quarantine, fault, persistent)));
            }
        }
        lines.add(pool.submit(FaultInjectionTest::batchNoticeCase));
        List<String> problems = new ArrayList<>();
        for (Future<String> f : lines) {
            String line = f.get();
            Evidence.print("fault", line.replace("PROBLEM ", ""));
            if (line.startsWith("PROBLEM ")) {
                problems.add(line);
            }
        }
        pool.shutdown();
        assertEquals(List.of(), problems);
    }

    /** An authenticated Pivot callback with an unknown event: quarantined (400) with its raw body, under a fault. */
    private static String quarantineCase(Quarantine quarantine, Fault fault, boolean persistent) throws Exception {
        String body = "{\"event\":\"PAYOUT.TELEPORTED\",\"data\":{\"uuid\":\"" + fault + persistent
                + System.nanoTime() + "\"}}";
        String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(body.getBytes(StandardCharsets.UTF_8)));
        AtomicBoolean cleared = new AtomicBoolean();
        AtomicInteger left = new AtomicInteger(1);
        ARMED.put(id, op -> op.equals(UPDATE) && !cleared.get() && (persistent || left.getAndDecrement() > 0) ? fault : PASS);
        APIGatewayV2HTTPResponse first = viaProxy.get(PIVOT).apply(Providers.signed(PIVOT, body));
        cleared.set(true);
        APIGatewayV2HTTPResponse last = first;
        int retries = 0;
        while (last.getStatusCode() >= 500 && retries++ < 5) {
            last = viaProxy.get(PIVOT).apply(Providers.signed(PIVOT, body));
        }
        ARMED.remove(id);
        List<Quarantine.Entry> entries = quarantine.list(PIVOT).stream().filter(e -> e.id().equals(id)).toList();
        String line = "quarantine UpdateItem " + fault + (persistent ? " (every attempt)" : " (once)")
                + " first=" + first.getStatusCode() + " providerRetries=" + retries + " final=" + last.getStatusCode()
                + " entries=" + entries.size() + " deliveriesCounted=" + (entries.isEmpty() ? 0 : entries.get(0).deliveries());
        boolean ok = (first.getStatusCode() == 400 || first.getStatusCode() == 503) && last.getStatusCode() == 400
                && entries.size() == 1 && Arrays.equals(entries.get(0).rawBody(), body.getBytes(StandardCharsets.UTF_8));
        return ok ? line : "PROBLEM " + line;
    }

    /** A Pivot bulk notice (totals only) is recorded once even when the put's answer is lost. */
    private static String batchNoticeCase() {
        String batch = "batch-" + System.nanoTime();
        String body = "{\"event\":\"PAYOUT.DONE\",\"data\":{\"uuid\":\"" + batch + "\",\"payoutResults\":{\"totalSuccessCount\":1}}}";
        AtomicInteger left = new AtomicInteger(1);
        ARMED.put(batch, op -> op.equals(PUT) && left.getAndDecrement() > 0 ? DROP_AFTER_COMMIT : PASS);
        APIGatewayV2HTTPResponse answer = viaProxy.get(PIVOT).apply(Providers.signed(PIVOT, body));
        ARMED.remove(batch);
        long notices = TestTables.scan(table).stream().filter(i -> i.get("pk").s().equals("BATCH#" + PIVOT + "#" + batch)).count();
        String line = "batch notice PutItem DROP_AFTER_COMMIT (once) first=" + answer.getStatusCode() + " "
                + Providers.body(answer).path("result").asText() + " notices=" + notices;
        return answer.getStatusCode() == 200 && notices == 1 ? line : "PROBLEM " + line;
    }

    /**
     * Random fast faults (about 1 DynamoDB request in 12) on every operation while the model-based workload runs
     * concurrently; providers retry on 5xx. The ledger must still equal the model; no outcome may be answered
     * with its effect twice. {@code -Dfaults.histories} (default 30), {@code -Dfaults.seed}.
     */
    @Test
    void randomFaultsUnderConcurrencyKeepTheLedgerEqualToTheModel() throws Exception {
        long seed = Long.getLong("faults.seed", System.nanoTime() & 0xFFFFFFFFFFFFL);
        int histories = Integer.getInteger("faults.histories", 30);
        System.out.println("[faults] seed=" + seed + " (reproduce with -Dfaults.seed=" + seed + ")");
        String soakTable = TestTables.freshPayoutsTable();
        try (FaultProxy soak = new FaultProxy(TestTables.dynamo().endpoint())) {
            Random random = new Random(seed);
            Fault[] fast = {THROTTLE, THROTTLING_EXCEPTION, ERROR_500, ERROR_503, DROP_BEFORE, DROP_AFTER_COMMIT,
                    ERROR_500_AFTER_COMMIT};
            // Besides single faults (absorbed by the SDK's retries), about 1 write in 25 is doomed: every SDK retry
            // of that exact request (same attempt id, same body) fails too, mostly after committing, so the
            // handler answers 503 and the provider's retry must find the effect (DUPLICATE), never apply it twice.
            Fault[] doom = {DROP_AFTER_COMMIT, ERROR_500_AFTER_COMMIT, ERROR_500, DROP_BEFORE};
            Map<String, Fault> doomed = new ConcurrentHashMap<>();
            soak.plan((operation, body) -> {
                synchronized (random) {
                    if (WRITE.contains(operation)) {
                        Fault sticky = doomed.get(body);
                        if (sticky != null) {
                            return sticky;
                        }
                        if (random.nextInt(25) == 0) {
                            Fault f = doom[random.nextInt(doom.length)];
                            doomed.put(body, f);
                            return f;
                        }
                    }
                    if (random.nextInt(12) != 0) {
                        return PASS;
                    }
                    return fast[random.nextInt(fast.length)];
                }
            });
            Deliverer deliverer = new Deliverer(Providers.handlers(Providers.environment(soakTable, soak.endpoint())));
            Histories generator = new Histories(seed);
            String run = "f" + Long.toString(seed, 36);
            List<String> providers = Providers.names();
            List<Payout> normal = new ArrayList<>();
            for (int i = 0; i < histories; i++) {
                normal.add(generator.payout(run, providers.get(i % providers.size())));
            }
            // Hot payouts where refunds pile up on one payout.
            List<Payout> hot = Providers.all().stream().filter(f -> f.adjustments() != Adjustments.REVERSAL)
                    .map(f -> generator.hot(run, f.provider())).toList();
            deliverer.run(Deliverer.schedule(generator, normal, hot, 12), 8);
            soak.passAll();

            LedgerAudit audit = new LedgerAudit(TestTables.dynamo().client(), soakTable, seed);
            List<Payout> all = new ArrayList<>(normal);
            all.addAll(hot);
            long distinct = 0;
            for (Payout p : all) {
                Set<String> keys = p.byKey().keySet();
                distinct += keys.size();
                audit.audit(p, keys.stream().filter(deliverer.acknowledged::contains).collect(Collectors.toSet()),
                        deliverer.effectsAnswered, false);
            }
            long injected = soak.injected.values().stream().mapToLong(AtomicLong::get).sum();
            Evidence.print("fault-soak", "seed=" + seed + " histories=" + all.size() + " distinctOutcomes=" + distinct
                    + " deliveries=" + deliverer.deliveries.get() + " handlerCalls=" + deliverer.attempts.get()
                    + " dynamoRequests=" + soak.requests.values().stream().mapToLong(AtomicLong::get).sum()
                    + " faultsInjected=" + injected + " doomedWrites=" + doomed.size()
                    + " answered5xx=" + deliverer.fiveXxAnswers.get()
                    + " applied=" + audit.applied + " stale=" + audit.stale + " conflicts=" + audit.conflicts
                    + " mismatches=" + (audit.mismatches.size() + deliverer.failures.size()));
            Evidence.print("fault-soak", "injected by operation:fault " + new TreeMap<>(soak.injected));
            assertEquals(List.of(), deliverer.failures, "seed " + seed);
            assertEquals(List.of(), audit.mismatches, "seed " + seed);
            assertEquals(distinct, audit.historyEntries, "seed " + seed + ": every outcome exactly once");
            assertTrue(injected > 0);
            assertTrue(deliverer.fiveXxAnswers.get() > 0 || doomed.isEmpty(), "doomed writes must reach the provider as 5xx");
        }
    }

    /**
     * A CONFLICT and an APPLIED write racing on one payout. The CONFLICT flags the payout (no version); the
     * APPLIED reversal is the one-write UpdateItem, held in the proxy until the CONFLICT has been recorded. A
     * write that replaced the whole state item decided on an earlier read would erase the flag (the defect
     * of the ledger before its revision lock, commit 623ca84); the one write sets only what the outcome
     * changes, under a condition on the current item, so the flag survives.
     */
    @Test
    void aConflictRacingAnApplyKeepsItsReviewFlag() throws Exception {
        String reference = "race-" + Long.toString(System.nanoTime(), 36);
        // A provider's own webhooks that say the success, its reversal and a failure.
        ProviderFixture fixture = Providers.all().stream().filter(f -> !f.canonical())
                .filter(f -> Shape.STORED_PAYOUT_APPLIED.events(f, reference) != null && Shape.CONFLICT.events(f, reference) != null)
                .findFirst().orElseThrow();
        String provider = fixture.provider();
        List<Event> paidThenReversed = Shape.STORED_PAYOUT_APPLIED.events(fixture, reference);
        Event failed = Shape.CONFLICT.events(fixture, reference).get(1);
        assertEquals(200, direct.get(provider).apply(Providers.signed(provider, body(fixture, paidThenReversed.get(0))))
                .getStatusCode());

        ARMED.put("\"PAYOUT#" + reference + "\"", op -> op.equals(UPDATE) ? HOLD : PASS);
        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<APIGatewayV2HTTPResponse> reversal = background.submit(() -> viaProxy.get(provider)
                .apply(Providers.signed(provider, body(fixture, paidThenReversed.get(1)))));
        assertTrue(proxy.awaitHolding(5_000), "the reversal's one write is held in flight");
        JsonNode conflict = Providers.body(direct.get(provider).apply(Providers.signed(provider, body(fixture, failed))));
        proxy.release();
        JsonNode applied = Providers.body(reversal.get());
        ARMED.remove("\"PAYOUT#" + reference + "\"");
        background.shutdown();
        assertEquals("CONFLICT", conflict.path("result").asText());
        assertEquals("APPLIED", applied.path("result").asText());
        assertEquals(2, applied.path("version").asLong());

        TestTables.settleHistory(table);
        PayoutRecord record = TestTables.ledger(table).read(reference).orElseThrow();
        assertEquals(PayoutStatus.REVERSED, record.state().status());
        assertTrue(record.history().stream().anyMatch(h -> h.anomaly() != null), "the history keeps the conflict");
        assertEquals(1, record.state().anomalies(), "the anomaly recorded by the conflict");
        assertTrue(record.state().flaggedForReview(), "the payout stays flagged for review");
    }
}
