package dev.payoutcallbacks.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.payoutcallbacks.calypso.CalypsoStub;
import dev.payoutcallbacks.commpix.CommPixStatusApi;
import dev.payoutcallbacks.core.ledger.LedgerSettings;
import dev.payoutcallbacks.core.ledger.OpenPayouts;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.PayoutRegistrations;
import dev.payoutcallbacks.core.ledger.ReviewQueue;
import dev.payoutcallbacks.core.payout.HistoryEntry;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.OutcomeSource;
import dev.payoutcallbacks.core.payout.PayoutRecord;
import dev.payoutcallbacks.core.payout.PayoutState;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.payout.Registration;
import dev.payoutcallbacks.core.payout.StuckThresholds;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.testing.ApiRequests;
import dev.payoutcallbacks.core.testing.MutableClock;
import dev.payoutcallbacks.core.testing.StubServer.Reply;
import dev.payoutcallbacks.core.testing.TestTables;
import dev.payoutcallbacks.m2money.M2MoneyCallbackHandler;
import dev.payoutcallbacks.m2money.M2MoneyCallbacks;
import dev.payoutcallbacks.m2money.M2MoneyStub;
import dev.payoutcallbacks.pivot.PivotCallbackHandler;
import dev.payoutcallbacks.pivot.PivotStub;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reconciler passes end to end: DynamoDB Local (the real OpenPayouts index), the real status API clients, and
 * loopback stubs playing the providers. Webhooks go through the providers' real handlers.
 */
class ReconcilerTest {
    private static final StuckThresholds THRESHOLDS =
            StuckThresholds.parse("default=30,pivot=60,calypso=90,m2money=30,commpix=120");
    private static final String PIVOT_CALLBACK_KEY = "pivot-callback-key";
    private static final String M2_WEBHOOK_SECRET = "m2-webhook-secret";
    private static final List<String> PROVIDERS = List.of("pivot", "calypso", "m2money", "commpix");

    private ProviderStubs stubs;
    private MutableClock clock;
    private String table;
    private PayoutLedger ledger;
    private PayoutRegistrations registrations;
    private OpenPayouts open;

    @BeforeEach
    void setUp() throws Exception {
        stubs = new ProviderStubs();
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        table = TestTables.freshPayoutsTable();
        ledger = new PayoutLedger(TestTables.table(table), clock, LedgerSettings.defaults().withStuckAfter(THRESHOLDS));
        registrations = new PayoutRegistrations(ledger);
        open = new OpenPayouts(ledger.table(), ledger.clock());
    }

    @AfterEach
    void tearDown() {
        stubs.close();
    }

    private Reconciler reconciler(int pageSize, int maxPolls, Duration grace) {
        return new Reconciler(ledger, PROVIDERS, stubs.apis(clock), new ReconcilerSettings(pageSize, maxPolls,
                Duration.ofMinutes(15), Duration.ofMinutes(240), grace, Duration.ofSeconds(1), THRESHOLDS), clock);
    }

    private Reconciler reconciler() {
        return reconciler(25, 8, Duration.ofMinutes(30));
    }

    private static PassSummary pass(Reconciler reconciler) {
        return reconciler.pass(() -> 60_000);
    }

    private void register(String ref, String provider, Money amount, Duration submittedAgo, String providerPayoutId) {
        registrations.register(new Registration(ref, provider, amount, "order-" + ref, providerPayoutId,
                clock.instant().minus(submittedAgo)));
    }

    private void registerPivot(String ref, Duration submittedAgo) {
        register(ref, "pivot", Money.parse("150000", "IDR"), submittedAgo, null);
    }

    private void registerM2(String ref, Duration submittedAgo) {
        register(ref, "m2money", Money.parse("500.00", "INR"), submittedAgo, null);
    }

    private PayoutState state(String ref) {
        return open.state(ref).orElseThrow();
    }

    private PayoutRecord record(String ref) {
        return ledger.read(ref).orElseThrow();
    }

    private List<String> due(String provider, Instant at) {
        return open.due(provider, at, 100, null).due().stream().map(d -> d.reference() != null ? d.reference() : d.batchId())
                .toList();
    }

    // ---- webhooks through the providers' own handlers ----

    private String pivotWebhook(String ref, String event, String status) throws Exception {
        String body = "{\"event\":\"" + event + "\",\"data\":{\"uuid\":\"pv-" + ref + "\",\"merchantId\":\"m-1\","
                + "\"payouts\":{\"referenceId\":\"" + ref + "\",\"amount\":{\"currency\":\"IDR\",\"value\":\"150000\"},"
                + "\"status\":\"" + status + "\",\"reason\":null}}}";
        return result(new PivotCallbackHandler(TestTables.environment(table, "PIVOT_CALLBACK_API_KEYS", PIVOT_CALLBACK_KEY))
                .handleRequest(ApiRequests.post("/callbacks/pivot", body, "X-API-Key", PIVOT_CALLBACK_KEY), null));
    }

    private String pivotBulkWebhook(String batchId) throws Exception {
        String body = "{\"event\":\"PAYOUT.DONE\",\"data\":{\"uuid\":\"" + batchId + "\",\"merchantId\":\"m-1\","
                + "\"payoutResults\":{\"totalSuccessCount\":1,\"totalFailedCount\":1},\"status\":\"DONE\"}}";
        return result(new PivotCallbackHandler(TestTables.environment(table, "PIVOT_CALLBACK_API_KEYS", PIVOT_CALLBACK_KEY))
                .handleRequest(ApiRequests.post("/callbacks/pivot", body, "X-API-Key", PIVOT_CALLBACK_KEY), null));
    }

    private String m2Webhook(String ref, String event, String code, String status) throws Exception {
        String body = "{\"event\":\"" + event + "\",\"code\":\"" + code + "\",\"message\":\"Transaction Successful\","
                + "\"data\":{\"orderRefId\":\"ord-" + ref + "\",\"clientRefId\":\"" + ref + "\",\"amount\":\"500.00\","
                + "\"status\":\"" + status + "\",\"utr\":\"UTR-" + ref + "\"}}";
        String signature = M2MoneyCallbacks.SIGNATURE.sign(body.getBytes(StandardCharsets.UTF_8), M2_WEBHOOK_SECRET);
        return result(new M2MoneyCallbackHandler(TestTables.environment(table, "M2MONEY_WEBHOOK_SECRETS", M2_WEBHOOK_SECRET))
                .handleRequest(ApiRequests.post("/callbacks/m2money", body, "Signature", signature), null));
    }

    private static String result(APIGatewayV2HTTPResponse response) throws Exception {
        assertEquals(200, response.getStatusCode(), response.getBody());
        return Json.MAPPER.readTree(response.getBody()).path("result").asText();
    }

    // ---- finding due work ----

    @Test
    void stuckPayoutsAreFoundThroughTheIndexPageByPageAndEachPolledOnce() {
        List<String> stuck = List.of("pv-1", "pv-2", "pv-3", "pv-4", "pv-5");
        for (String ref : stuck) {
            registerPivot(ref, Duration.ofHours(2));
            stubs.pivot.put(ref, PivotStub.pivotItem(ref, "SUCCESS", "150000", null));
        }
        registerPivot("pv-recent", Duration.ofMinutes(10)); // inside pivot's 60 minutes: not stuck yet
        stubs.pivot.put("pv-recent", PivotStub.pivotItem("pv-recent", "SUCCESS", "150000", null));

        PassSummary summary = pass(reconciler(2, 8, Duration.ofMinutes(30))); // pages of 2
        assertEquals(5, summary.due());
        assertEquals(5, summary.polled());
        assertEquals(5, summary.applied());
        assertTrue(summary.complete());
        List<String> asked = stubs.server.requests("/pivot/v1/payouts/").stream()
                .map(r -> r.path().substring("/pivot/v1/payouts/".length())).sorted().toList();
        assertEquals(stuck, asked, "each stuck payout polled once, the recent one not at all");
        assertEquals(1, stubs.tokensIssued.get(), "one token for the whole pass");
        for (String ref : stuck) {
            PayoutRecord r = record(ref);
            assertEquals(PayoutStatus.PAID, r.state().status());
            assertEquals(OutcomeSource.POLL, r.history().get(0).source());
        }
        assertEquals(0, pass(reconciler()).due(), "settled payouts left the index");
        assertEquals(5, stubs.pivotPolls());
    }

    @Test
    void aPassStopsWhenTimeRunsShortAndTheNextPassCarriesOn() {
        for (int i = 1; i <= 5; i++) {
            registerPivot("t-" + i, Duration.ofHours(2));
            stubs.pivot.put("t-" + i, PivotStub.pivotItem("t-" + i, "SUCCESS", "150000", null));
        }
        Reconciler reconciler = reconciler(2, 8, Duration.ofMinutes(30));
        // Plenty of time until two polls are done, then less than the safety margin.
        PassSummary first = reconciler.pass(() -> stubs.pivotPolls() >= 2 ? 500 : 60_000);
        assertFalse(first.complete());
        assertEquals(2, first.polled());
        PassSummary second = pass(reconciler);
        assertTrue(second.complete());
        assertEquals(3, second.polled());
        assertEquals(5, stubs.pivotPolls(), "nothing polled twice, nothing lost");
    }

    // ---- webhook and poll of one outcome: applied once, either order ----

    @Test
    void aWebhookArrivingWhileThePollIsAnsweredMakesThePollADuplicate() throws Exception {
        registerPivot("race-1", Duration.ofHours(2));
        AtomicReference<String> webhook = new AtomicReference<>();
        stubs.beforeAnswer.put("race-1", () -> {
            try {
                webhook.set(pivotWebhook("race-1", "PAYOUT.SUCCESS", "SUCCESS"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        stubs.pivot.put("race-1", PivotStub.pivotItem("race-1", "SUCCESS", "150000", null));
        PassSummary summary = pass(reconciler());
        assertEquals("APPLIED", webhook.get());
        assertEquals(1, summary.duplicates());
        assertEquals(0, summary.applied());
        PayoutRecord r = record("race-1");
        assertEquals(PayoutStatus.PAID, r.state().status());
        assertEquals(1, r.state().version(), "applied once");
        assertEquals(1, r.history().size());
        assertEquals(OutcomeSource.WEBHOOK, r.history().get(0).source());
    }

    @Test
    void aWebhookAfterThePollIsADuplicate() throws Exception {
        registerPivot("late-hook", Duration.ofHours(2));
        stubs.pivot.put("late-hook", PivotStub.pivotItem("late-hook", "SUCCESS", "150000", null));
        assertEquals(1, pass(reconciler()).applied());
        assertEquals("DUPLICATE", pivotWebhook("late-hook", "PAYOUT.SUCCESS", "SUCCESS"));
        PayoutRecord r = record("late-hook");
        assertEquals(1, r.state().version());
        assertEquals(List.of(OutcomeSource.POLL), r.history().stream().map(HistoryEntry::source).toList());
    }

    @Test
    void m2moneyWebhookAndPollOfOneSuccessApplyOnceInEitherOrder() throws Exception {
        registerM2("m2-poll-first", Duration.ofHours(2));
        registerM2("m2-hook-first", Duration.ofHours(2));
        stubs.m2money.put("m2-poll-first", M2MoneyStub.m2Order("m2-poll-first", "processed", "\"500.00\"", "UTR-m2-poll-first"));
        stubs.m2money.put("m2-hook-first", M2MoneyStub.m2Order("m2-hook-first", "processed", "500", "UTR-m2-hook-first"));
        stubs.beforeAnswer.put("m2-hook-first", () -> {
            try {
                assertEquals("APPLIED", m2Webhook("m2-hook-first", "payout.transfer.success", "0x0200", "processed"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        PassSummary summary = pass(reconciler());
        assertEquals(1, summary.applied());
        assertEquals(1, summary.duplicates());
        assertEquals("DUPLICATE", m2Webhook("m2-poll-first", "payout.transfer.success", "0x0200", "processed"));
        for (String ref : List.of("m2-poll-first", "m2-hook-first")) {
            PayoutRecord r = record(ref);
            assertEquals(PayoutStatus.PAID, r.state().status(), ref);
            assertEquals(1, r.state().version(), ref);
            assertEquals(1, r.history().size(), ref);
            assertEquals("UTR-" + ref, r.state().bankReference());
        }
    }

    // ---- not found ----

    @Test
    void aDefinitiveNotFoundPastTheGraceBecomesSubmitNotReceivedAndALaterSuccessStillApplies() throws Exception {
        registerM2("m2-lost", Duration.ofHours(2));
        stubs.m2money.put("m2-lost", M2MoneyStub.m2NoOrdersFound());
        PassSummary summary = pass(reconciler());
        assertEquals(1, summary.notFound());
        assertEquals(1, summary.submitNotReceived());
        PayoutRecord r = record("m2-lost");
        assertEquals(PayoutStatus.SUBMIT_NOT_RECEIVED, r.state().status(), "never FAILED");
        assertEquals(OutcomeSource.POLL, r.history().get(0).source());
        assertEquals("m2-lost|SUBMIT_NOT_RECEIVED", r.history().get(0).dedupKey());
        assertEquals(List.of(), due("m2money", clock.instant().plus(Duration.ofDays(3))), "not polled again");
        // M2Money pays after all: its own dedup key, so the success applies.
        assertEquals("APPLIED", m2Webhook("m2-lost", "payout.transfer.success", "0x0200", "processed"));
        assertEquals(PayoutStatus.PAID, state("m2-lost").status());
    }

    @Test
    void noOrdersFoundWithinTheGracePeriodIsAskedAgainAfterIt() {
        registerM2("m2-early", Duration.ofMinutes(45)); // stuck after 30, but the grace here is 90 minutes
        stubs.m2money.put("m2-early", M2MoneyStub.m2NoOrdersFound());
        Reconciler reconciler = reconciler(25, 8, Duration.ofMinutes(90));
        PassSummary summary = pass(reconciler);
        assertEquals(1, summary.notFound());
        assertEquals(0, summary.submitNotReceived());
        PayoutState s = state("m2-early");
        assertNull(s.status(), "neither failed nor not-received");
        assertEquals(1, s.pollAttempts());
        Instant graceEnds = clock.instant().plus(Duration.ofMinutes(45));
        assertEquals(List.of(), due("m2money", graceEnds.minusSeconds(1)), "not before the grace period ends");
        assertEquals(List.of("m2-early"), due("m2money", graceEnds));

        clock.advance(Duration.ofMinutes(46));
        assertEquals(1, pass(reconciler).submitNotReceived());
        assertEquals(PayoutStatus.SUBMIT_NOT_RECEIVED, state("m2-early").status());
    }

    @Test
    void noOrdersFoundForAPayoutTheProviderAcknowledgedIsFlaggedForReviewNotFailed() {
        register("m2-known", "m2money", Money.parse("500.00", "INR"), Duration.ofHours(2), "ord-m2-known");
        stubs.m2money.put("m2-known", M2MoneyStub.m2NoOrdersFound());
        PassSummary summary = pass(reconciler());
        assertEquals(1, summary.gaveUp());
        assertEquals(0, summary.submitNotReceived());
        PayoutState s = state("m2-known");
        assertNull(s.status());
        assertTrue(s.reviewReason().startsWith("reconciler_contradiction: m2money acknowledged"), s.reviewReason());
        assertEquals(List.of(), due("m2money", clock.instant().plus(Duration.ofDays(3))));
    }

    @Test
    void anyOtherFailureEnvelopeIsNeitherFailedNorNotFound() {
        registerM2("m2-odd", Duration.ofHours(2));
        stubs.m2money.put("m2-odd", Reply.json(200,
                "{\"code\":\"0x0202\",\"status\":\"FAILURE\",\"message\":\"Transaction Failed\",\"data\":null}"));
        PassSummary summary = pass(reconciler());
        assertEquals(1, summary.unavailable());
        assertEquals(0, summary.notFound());
        PayoutRecord r = record("m2-odd");
        assertNull(r.state().status());
        assertEquals(List.of(), r.history());
        assertEquals(1, r.state().pollAttempts());
    }

    // ---- back-off and the operator's escape hatch ----

    @Test
    void unresolvedPollsBackOffExponentiallyAndTheLastAllowedOneFlagsForReview() {
        register("cx-stuck", "calypso", Money.parse("10.5", "USDT_TRX"), Duration.ofHours(3), null);
        stubs.calypso.put("cx-stuck", Reply.json(503, "{\"errors\":[\"maintenance\"]}"));
        Reconciler reconciler = reconciler(25, 3, Duration.ofMinutes(30));

        assertEquals(1, pass(reconciler).unavailable());
        assertEquals(1, state("cx-stuck").pollAttempts());
        clock.advance(Duration.ofMinutes(14));
        assertEquals(0, pass(reconciler).polled(), "first back-off: 15 minutes");
        clock.advance(Duration.ofMinutes(2));
        assertEquals(1, pass(reconciler).polled());
        assertEquals(2, state("cx-stuck").pollAttempts());
        clock.advance(Duration.ofMinutes(29));
        assertEquals(0, pass(reconciler).polled(), "second back-off: 30 minutes");
        clock.advance(Duration.ofMinutes(2));
        PassSummary third = pass(reconciler);
        assertEquals(1, third.polled());
        assertEquals(1, third.gaveUp(), "RECONCILER_MAX_POLLS = 3");

        PayoutState s = state("cx-stuck");
        assertTrue(s.flaggedForReview());
        assertTrue(s.reviewReason().startsWith("reconciler_gave_up: 3 polls"), s.reviewReason());
        assertNull(s.status());
        clock.advance(Duration.ofDays(30));
        assertEquals(0, pass(reconciler).polled(), "not polled forever");
        assertEquals(3, stubs.calypsoPolls());
    }

    @Test
    void slowErroringAndMalformedAnswersSettleNothing() {
        List<String> refs = List.of("bad-slow", "bad-500", "bad-json", "bad-html404", "bad-status");
        refs.forEach(ref -> registerPivot(ref, Duration.ofHours(2)));
        stubs.pivot.put("bad-slow", Reply.slowJson("{}"));
        stubs.pivot.put("bad-500", Reply.json(500, "{}"));
        stubs.pivot.put("bad-json", Reply.json(200, "{\"code\":\"00\",\"data\":"));
        stubs.pivot.put("bad-html404", Reply.text(404, "<html>nginx</html>"));
        stubs.pivot.put("bad-status", PivotStub.pivotItem("bad-status", "WHO_KNOWS", "150000", null));
        PassSummary summary = pass(reconciler());
        assertEquals(5, summary.unavailable());
        assertEquals(0, summary.applied() + summary.notFound());
        for (String ref : refs) {
            PayoutRecord r = record(ref);
            assertNull(r.state().status(), ref);
            assertEquals(List.of(), r.history(), ref);
            assertEquals(1, r.state().pollAttempts(), ref);
        }
    }

    @Test
    void stillPendingCountsAsAnAttemptWithoutResettingIt() {
        registerPivot("pv-slow-bank", Duration.ofHours(2));
        stubs.pivot.put("pv-slow-bank", PivotStub.pivotItem("pv-slow-bank", "PENDING", "150000", null));
        Reconciler reconciler = reconciler();
        PassSummary first = pass(reconciler);
        assertEquals(1, first.applied(), "the first PENDING is news: recorded");
        assertEquals(PayoutStatus.PENDING, state("pv-slow-bank").status());
        clock.advance(Duration.ofMinutes(61));
        PassSummary second = pass(reconciler);
        assertEquals(1, second.duplicates(), "the same PENDING again is not news");
        assertEquals(1, second.unsettled());
        assertEquals(0, second.unavailable(), "the provider did answer");
        assertEquals(1, state("pv-slow-bank").pollAttempts());
    }

    @Test
    void commPixPayoutsAreFlaggedForReviewInsteadOfPolled() {
        register("cp-1", "commpix", Money.parse("10.00", "BRL"), Duration.ofHours(3), null);
        PassSummary summary = pass(reconciler());
        assertEquals(List.of(), summary.withoutStatusApi(), "Comm.Pix's module answers for itself: it cannot be polled");
        assertEquals(1, summary.gaveUp());
        assertEquals(0, summary.polled());
        assertEquals(0, stubs.server.requests().size());
        assertEquals(CommPixStatusApi.NO_STATUS_API_REASON, state("cp-1").reviewReason());
        assertEquals(List.of(), due("commpix", clock.instant().plus(Duration.ofDays(3))));
    }

    // ---- Pivot bulk notices ----

    @Test
    void aPivotBulkNoticeIsResolvedIntoItsItems() throws Exception {
        registerPivot("bulk-a", Duration.ofMinutes(5));
        registerPivot("bulk-b", Duration.ofMinutes(5));
        assertEquals("RECORDED", pivotBulkWebhook("batch-1"));
        stubs.pivotBulk.put("batch-1", Reply.json(200, "{\"code\":\"00\",\"message\":\"Success\",\"data\":{\"payouts\":["
                + "{\"referenceId\":\"bulk-a\",\"amount\":{\"currency\":\"IDR\",\"value\":\"150000\"},\"status\":\"SUCCESS\"},"
                + "{\"referenceId\":\"bulk-b\",\"amount\":{\"currency\":\"IDR\",\"value\":\"150000\"},\"status\":\"FAILED\","
                + "\"reason\":\"Dormant Account\"}]}}"));
        clock.advance(Duration.ofSeconds(5)); // the notice was received on the real clock
        PassSummary summary = pass(reconciler());
        assertEquals(1, summary.batchesResolved());
        assertEquals(2, summary.applied());
        assertEquals(PayoutStatus.PAID, state("bulk-a").status());
        assertEquals(PayoutStatus.FAILED, state("bulk-b").status());
        assertEquals("Dormant Account", state("bulk-b").failureReason());
        assertEquals(List.of(), due("pivot", clock.instant().plus(Duration.ofMinutes(5))), "the notice left the index");
        // A single-payout webhook for the same success is then a duplicate.
        assertEquals("DUPLICATE", pivotWebhook("bulk-a", "PAYOUT.SUCCESS", "SUCCESS"));
    }

    @Test
    void aBulkItemFetchThatFailsIsRetriedWithBackOff() throws Exception {
        assertEquals("RECORDED", pivotBulkWebhook("batch-2"));
        stubs.pivotBulk.put("batch-2", Reply.json(502, "<html>bad gateway</html>"));
        clock.advance(Duration.ofSeconds(5));
        Reconciler reconciler = reconciler();
        PassSummary first = pass(reconciler);
        assertEquals(1, first.unavailable());
        assertEquals(0, first.batchesResolved());
        assertEquals(List.of(), due("pivot", clock.instant().plus(Duration.ofMinutes(14))));
        assertEquals(List.of("batch-2"), due("pivot", clock.instant().plus(Duration.ofMinutes(16))));
        clock.advance(Duration.ofMinutes(16));
        pass(reconciler);
        // second failure: fetchAttempts 1 → 30 minutes
        assertEquals(List.of(), due("pivot", clock.instant().plus(Duration.ofMinutes(29))));
        assertEquals(List.of("batch-2"), due("pivot", clock.instant().plus(Duration.ofMinutes(31))));
    }

    @Test
    void aBulkNoticeWhoseItemsNeverComeGoesToTheReviewQueueAfterMaxPolls() throws Exception {
        assertEquals("RECORDED", pivotBulkWebhook("batch-3"));
        stubs.pivotBulk.put("batch-3", Reply.json(502, "<html>bad gateway</html>"));
        clock.advance(Duration.ofSeconds(5));
        Reconciler reconciler = reconciler(25, 3, Duration.ofMinutes(30));
        int gaveUp = 0;
        for (int pass = 0; pass < 3; pass++) {
            PassSummary summary = pass(reconciler);
            assertEquals(0, summary.errors());
            gaveUp += summary.gaveUp();
            clock.advance(Duration.ofHours(5));
        }
        assertEquals(1, gaveUp, "the third failed fetch gives up");
        assertEquals(List.of(), due("pivot", clock.instant().plus(Duration.ofDays(30))), "out of the index");
        List<ReviewQueue.Flagged> flagged = new ReviewQueue(ledger.table()).list(10, null).flagged();
        assertTrue(flagged.stream().anyMatch(f -> "batch:batch-3".equals(f.reference())
                && f.reviewReason().startsWith("reconciler_gave_up: 3 item fetches")), flagged.toString());
    }

    @Test
    void aPollThatDisagreesWithTheRegisteredAmountIsAConflictFlaggedNotApplied() {
        register("cx-amount", "calypso", Money.parse("10.5", "USDT_TRX"), Duration.ofHours(3), null);
        stubs.calypso.put("cx-amount", CalypsoStub.calypsoState("cx-amount", "COMPLETED", "10.4999999999", "0xdd"));
        PassSummary summary = pass(reconciler());
        assertEquals(1, summary.conflicts());
        assertEquals(1, summary.unsettled());
        PayoutState s = state("cx-amount");
        assertNull(s.status());
        assertTrue(s.reviewReason().startsWith("amount_mismatch"), s.reviewReason());
        assertNotEquals(0, s.anomalies());
    }

    @Test
    void theSummaryCountsButNamesNoPayout() {
        List<String> refs = new ArrayList<>(List.of("sum-1", "sum-2"));
        refs.forEach(ref -> registerPivot(ref, Duration.ofHours(2)));
        stubs.pivot.put("sum-1", PivotStub.pivotItem("sum-1", "SUCCESS", "150000", null));
        PassSummary summary = pass(reconciler());
        String line = Json.write(summary.logLine(12));
        assertTrue(line.contains("\"due\":2"), line);
        assertTrue(line.contains("\"polled\":2"), line);
        assertTrue(line.contains("\"applied\":1"), line);
        assertTrue(line.contains("\"unavailable\":1"), line);
        assertFalse(line.contains("sum-"), line);
    }
}
