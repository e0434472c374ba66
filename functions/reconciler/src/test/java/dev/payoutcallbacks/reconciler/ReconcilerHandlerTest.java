package dev.payoutcallbacks.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.calypso.CalypsoStub;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.lambda.CallbackLog;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.PayoutRegistrations;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.payout.Registration;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.testing.MutableClock;
import dev.payoutcallbacks.core.testing.TestTables;
import dev.payoutcallbacks.m2money.M2MoneyStub;
import dev.payoutcallbacks.pivot.PivotStub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.joda.time.DateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Lambda handler as deployed: environment only, status APIs found through ServiceLoader, one log line. */
class ReconcilerHandlerTest {
    private ProviderStubs stubs;
    private String table;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        stubs = new ProviderStubs();
        table = TestTables.freshPayoutsTable();
        CallbackLog.redirect(new PrintStream(logged, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() {
        CallbackLog.redirect(System.out);
        stubs.close();
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(TestTables.environment(table));
        env.putAll(stubs.environment());
        env.put("STUCK_AFTER_MINUTES", "default=30,pivot=60,calypso=90,m2money=30,commpix=120");
        env.put("RECONCILER_SAFETY_MARGIN_MS", "5000");
        return env;
    }

    /** A provider's credentials are its own to name: a sixth provider's token is refused in the environment too. */
    @Test
    void everyProvidersCredentialsAreRefusedInTheEnvironmentWhenTheSecretIsInSecretsManager() {
        List<String> named = ProviderRegistry.load(getClass().getClassLoader()).credentials();
        assertTrue(named.containsAll(List.of("PIVOT_MERCHANT_SECRET", "CALYPSO_API_SECRET",
                "M2MONEY_API_SIGNATURE_SECRET", SixthProvider.TOKEN)), named.toString());
        for (String credential : named) {
            Map<String, String> deployed = new HashMap<>(environment());
            deployed.keySet().removeAll(named); // a deployment keeps them in the secret...
            deployed.put("SECRETS_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:payout-callbacks-AbCdEf");
            deployed.put(credential, "in-the-environment"); // ...but this one was also set in the environment
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> new ReconcilerHandler(deployed), credential);
            assertTrue(refused.getMessage().startsWith(credential + " must not be set"), refused.getMessage());
        }
    }

    static ScheduledEvent scheduledEvent() {
        ScheduledEvent event = new ScheduledEvent();
        event.setId("53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa");
        event.setDetailType("Scheduled Event");
        event.setSource("aws.events");
        event.setAccount("123456789012");
        event.setRegion("us-east-1");
        event.setTime(new DateTime("2026-11-21T08:00:00Z"));
        event.setResources(List.of("arn:aws:events:us-east-1:123456789012:rule/payout-callbacks-EveryFiveMinutes"));
        event.setDetail(Map.of());
        return event;
    }

    /** A Lambda Context with a fixed remaining time. */
    static Context context(int remainingMillis) {
        return new Context() {
            @Override public String getAwsRequestId() { return "req-reconciler-1"; }
            @Override public String getLogGroupName() { return "/aws/lambda/reconciler"; }
            @Override public String getLogStreamName() { return "test"; }
            @Override public String getFunctionName() { return "ReconcilerFunction"; }
            @Override public String getFunctionVersion() { return "$LATEST"; }
            @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:reconciler"; }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() { return remainingMillis; }
            @Override public int getMemoryLimitInMB() { return 1024; }
            @Override public LambdaLogger getLogger() {
                return new LambdaLogger() {
                    @Override public void log(String message) { }
                    @Override public void log(byte[] message) { }
                };
            }
        };
    }

    @Test
    void statusApisAreFoundThroughServiceLoaderFromTheEnvironment() {
        assertEquals(Set.of("pivot", "calypso", "m2money", "commpix"),
                registry().statusApis(new FunctionEnvironment(stubs.environment())).keySet());
        assertEquals(Set.of("commpix"), registry().statusApis(new FunctionEnvironment(Map.of())).keySet(),
                "without base URLs nothing is polled; Comm.Pix needs none to say it cannot be");
    }

    @Test
    void aScheduledPassPollsAppliesAndLogsOneLineWithoutReferencesOrSecrets() throws Exception {
        PayoutLedger ledger = TestTables.ledger(table);
        PayoutRegistrations registrations = new PayoutRegistrations(ledger);
        Instant twoHoursAgo = Instant.now().minusSeconds(7200);
        registrations.register(new Registration("handler-pv", "pivot", Money.parse("150000", "IDR"), null, null, twoHoursAgo));
        registrations.register(new Registration("handler-m2", "m2money", Money.parse("500.00", "INR"), null, null, twoHoursAgo));
        registrations.register(new Registration("handler-cp", "commpix", Money.parse("10.00", "BRL"), null, null,
                Instant.now().minusSeconds(4 * 3600)));
        stubs.pivot.put("handler-pv", PivotStub.pivotItem("handler-pv", "SUCCESS", "150000", null));
        stubs.m2money.put("handler-m2", M2MoneyStub.m2NoOrdersFound());

        PassSummary summary = new ReconcilerHandler(environment()).handleRequest(scheduledEvent(), context(280_000));

        assertEquals(List.of("calypso", "commpix", "m2money", "pivot", SixthProvider.NAME), summary.providers(),
                "every provider on the class path (this test's own sixth one included), in name order");
        assertEquals(List.of(SixthProvider.NAME), summary.withoutStatusApi(), "only the unconfigured test provider");
        assertEquals(3, summary.due());
        assertEquals(2, summary.polled());
        assertEquals(2, summary.applied(), "the payment and the submit_not_received");
        assertEquals(1, summary.submitNotReceived());
        assertEquals(1, summary.gaveUp());
        assertTrue(summary.complete());
        assertEquals(PayoutStatus.PAID, ledger.read("handler-pv").orElseThrow().state().status());
        assertEquals(PayoutStatus.SUBMIT_NOT_RECEIVED, ledger.read("handler-m2").orElseThrow().state().status());

        String[] lines = logged.toString(StandardCharsets.UTF_8).trim().split("\n");
        assertEquals(1, lines.length);
        JsonNode line = Json.MAPPER.readTree(lines[0]);
        assertEquals("reconciler", line.path("component").asText());
        assertEquals(3, line.path("due").asInt());
        assertEquals(2, line.path("polled").asInt());
        assertEquals(1, line.path("gaveUp").asInt());
        // Embedded metrics: ReconcilerGaveUp, dimensionless, is what template.yaml's StuckPayoutsAlarm watches.
        JsonNode metrics = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals("PayoutCallbacks", metrics.path("Namespace").asText());
        assertEquals(0, metrics.path("Dimensions").get(0).size());
        assertEquals(1, line.path("ReconcilerGaveUp").asInt());
        assertTrue(metrics.path("Metrics").toString().contains("\"ReconcilerGaveUp\""));
        for (String secret : List.of("handler-", PivotStub.PIVOT_SECRET, CalypsoStub.CALYPSO_SECRET,
                M2MoneyStub.M2_PASSWORD, M2MoneyStub.M2_SIGNATURE_SECRET, "tok-")) {
            assertFalse(lines[0].contains(secret), secret + " in " + lines[0]);
        }
    }

    @Test
    void aProviderWithoutCredentialsIsReportedNotPolledAndItsStuckPayoutsGoToReview() throws Exception {
        Map<String, String> env = environment();
        env.remove("M2MONEY_API_PASSWORD"); // base URL set, credentials incomplete
        PayoutLedger ledger = TestTables.ledger(table);
        new PayoutRegistrations(ledger).register(new Registration("nocred-m2", "m2money", Money.parse("500.00", "INR"),
                null, null, Instant.now().minusSeconds(7200)));
        PassSummary summary = new ReconcilerHandler(env).handleRequest(scheduledEvent(), context(280_000));
        assertEquals(List.of("m2money", SixthProvider.NAME), summary.withoutStatusApi());
        assertEquals(0, stubs.server.requests("/m2money").size(),
                "nothing is sent with half a set of credentials");
        var state = ledger.read("nocred-m2").orElseThrow().state();
        assertTrue(state.flaggedForReview(), "never a silently missing provider");
        assertTrue(state.reviewReason().contains("no status API for m2money"), state.reviewReason());
        JsonNode line = Json.MAPPER.readTree(logged.toString(StandardCharsets.UTF_8).trim().split("\n")[0]);
        assertEquals("[\"m2money\",\"" + SixthProvider.NAME + "\"]", line.path("notPolled").toString());
    }

    private static ProviderRegistry registry() {
        return ProviderRegistry.load(ReconcilerHandlerTest.class.getClassLoader());
    }

    @Test
    void everyProviderOnTheClassPathIsLearntFromItsOwnFactoryConfiguredOrNot() {
        // The test resources register a sixth provider whose factory answers empty, as an unconfigured one does.
        assertEquals(List.of("calypso", "commpix", "m2money", "pivot", SixthProvider.NAME), registry().providers(),
                "name order, whatever the class path order (here the test classes come first)");
        assertFalse(registry().statusApis(new FunctionEnvironment(environment())).containsKey(SixthProvider.NAME));
        assertTrue(registry().statusApis(new FunctionEnvironment(Map.of(SixthProvider.BASE_URL, "http://127.0.0.1:9")))
                .containsKey(SixthProvider.NAME), "configured, it is polled like the others");
    }

    @Test
    void aSixthProviderWhoseFactoryAnswersEmptyIsReportedAndItsStuckPayoutsGoToReview() throws Exception {
        PayoutLedger ledger = TestTables.ledger(table);
        new PayoutRegistrations(ledger).register(new Registration("sixth-1", SixthProvider.NAME,
                Money.parse("42.00", "EUR"), null, null, Instant.now().minusSeconds(7200)));

        PassSummary summary = new ReconcilerHandler(environment()).handleRequest(scheduledEvent(), context(280_000));

        assertTrue(summary.providers().contains(SixthProvider.NAME), "no list of providers to forget it in");
        assertEquals(List.of(SixthProvider.NAME), summary.withoutStatusApi());
        assertEquals(1, summary.due());
        assertEquals(1, summary.gaveUp());
        assertEquals(0, summary.polled());
        var state = ledger.read("sixth-1").orElseThrow().state();
        assertTrue(state.flaggedForReview(), "never silently skipped");
        assertEquals(Reconciler.noStatusApiReason(SixthProvider.NAME), state.reviewReason());
        JsonNode line = Json.MAPPER.readTree(logged.toString(StandardCharsets.UTF_8).trim().split("\n")[0]);
        assertEquals("[\"" + SixthProvider.NAME + "\"]", line.path("notPolled").toString());
    }

    @Test
    void twoFactoriesForOneProviderAreRefused() {
        assertThrows(IllegalStateException.class,
                () -> new ProviderRegistry(List.of(new SixthProvider.Factory(), new SixthProvider.Factory())));
    }

    @Test
    void onePassAtATimeByALeaseNotByReservedConcurrency() throws Exception {
        PassLease lease = new PassLease(TestTables.table(table), Clock.systemUTC());
        assertTrue(lease.acquire("another-pass", Duration.ofMinutes(5)));
        PassSummary skipped = new ReconcilerHandler(environment()).handleRequest(scheduledEvent(), context(280_000));
        assertFalse(skipped.complete());
        assertEquals(0, skipped.due());
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("\"notRun\":\"another pass holds the lease\""));
        lease.release("another-pass");
        PassSummary ran = new ReconcilerHandler(environment()).handleRequest(scheduledEvent(), context(280_000));
        assertTrue(ran.complete(), "the lease was given back");
        assertTrue(lease.acquire("next-pass", Duration.ofMinutes(5)), "and the handler gave its own back");
    }

    @Test
    void aLeaseWhoseHolderDiedExpires() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T08:00:00Z"));
        PassLease lease = new PassLease(TestTables.table(table), clock);
        assertTrue(lease.acquire("crashed-pass", Duration.ofSeconds(300)));
        assertFalse(lease.acquire("second", Duration.ofSeconds(300)));
        clock.advance(Duration.ofSeconds(301));
        assertTrue(lease.acquire("second", Duration.ofSeconds(300)), "a dead holder blocks one timeout at most");
        lease.release("crashed-pass"); // late: must not free the new holder's lease
        assertFalse(lease.acquire("third", Duration.ofSeconds(300)));
    }

    @Test
    void withLessTimeLeftThanTheSafetyMarginNothingIsStarted() {
        PayoutRegistrations registrations = new PayoutRegistrations(TestTables.ledger(table));
        registrations.register(new Registration("late-pv", "pivot", Money.parse("1", "IDR"), null, null,
                Instant.now().minusSeconds(7200)));
        stubs.pivot.put("late-pv", PivotStub.pivotItem("late-pv", "SUCCESS", "1", null));
        PassSummary summary = new ReconcilerHandler(environment()).handleRequest(scheduledEvent(), context(4_000));
        assertFalse(summary.complete());
        assertEquals(0, summary.polled());
        assertEquals(0, stubs.server.requests().size());
    }
}
