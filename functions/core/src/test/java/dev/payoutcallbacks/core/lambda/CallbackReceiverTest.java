package dev.payoutcallbacks.core.lambda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.config.SharedSecrets;
import dev.payoutcallbacks.core.ledger.LedgerSettings;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.PayoutTable;
import dev.payoutcallbacks.core.ledger.Quarantine;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.CallbackRequest;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.provider.PersonalData;
import dev.payoutcallbacks.core.provider.ProviderCallbacks;
import dev.payoutcallbacks.core.provider.Translation;
import dev.payoutcallbacks.core.testing.ApiRequests;
import dev.payoutcallbacks.core.testing.TestTables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The shared write path's HTTP answers, with a minimal provider defined here. */
class CallbackReceiverTest {

    /** A provider that speaks {"ref": ..., "status": ...} and authenticates with X-Test-Key. */
    static final class TestProvider implements ProviderCallbacks {
        private final SharedSecrets keys = SharedSecrets.parse("old-key, new-key");
        /** Flipped by a test to play "we shipped the missing mapping". */
        volatile boolean knowsTeleported;

        @Override
        public String provider() {
            return "testprovider";
        }

        @Override
        public boolean authentic(CallbackRequest request) {
            return keys.matches(request.header("X-Test-Key"));
        }

        /** Its own unknown events are answered 200 (a provider that retries 4xx); everything else 400. */
        @Override
        public int rejectionAnswer(CallbackRejected rejected) {
            return rejected.reason() == CallbackRejected.Reason.UNKNOWN_EVENT && !rejected.byCore() ? 200 : 400;
        }

        @Override
        public Translation translate(CallbackRequest request) throws CallbackRejected {
            ObjectNode body = Json.object(request.body());
            String ref = Json.text(body, "ref");
            if (ref == null) {
                throw CallbackRejected.malformed("ref is required");
            }
            String statusText = Json.text(body, "status");
            PayoutStatus status = knowsTeleported && "teleported".equals(statusText)
                    ? PayoutStatus.PAID : PayoutStatus.fromWireName(statusText);
            if (status == null) {
                throw new CallbackRejected(CallbackRejected.Reason.UNKNOWN_EVENT, "unknown status");
            }
            return Translation.of(PayoutOutcome.builder(ref, status).provider(provider())
                    .stage(Json.text(body, "stage"))
                    .receivedAt(request.receivedAt())
                    .rawPayload(Json.masked(body, PersonalData.COMMON_FIELDS)).build());
        }
    }

    private String table;
    private CallbackReceiver receiver;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        table = TestTables.freshPayoutsTable();
        receiver = receiverOn(TestTables.dynamo().client(), 8);
        CallbackLog.redirect(new PrintStream(logged, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        CallbackLog.redirect(System.out);
    }

    private final TestProvider provider = new TestProvider();

    private CallbackReceiver receiverOn(DynamoDbClient db, int maxAttempts) {
        Clock clock = Clock.systemUTC();
        PayoutTable payouts = new PayoutTable(db, table);
        return new CallbackReceiver(provider,
                new PayoutLedger(payouts, clock, LedgerSettings.defaults().withMaxAttempts(maxAttempts)),
                new Quarantine(payouts, clock), 1024, clock, SharedSecrets.parse("ops-secret"));
    }

    private APIGatewayV2HTTPResponse replay(String body, String secret) {
        APIGatewayV2HTTPEvent event = ApiRequests.post("/cb/replay", body, "X-Internal-Secret", secret);
        event.setRouteKey("POST /cb/replay");
        return receiver.receive(event, null);
    }

    @Test
    void quarantinedCallbacksReplayAfterAFixExactlyOnce() throws Exception {
        receiver.receive(post("{\"ref\":\"q1\",\"status\":\"teleported\"}", "new-key"), null);
        receiver.receive(post("{\"ref\":\"q2\",\"status\":\"teleported\"}", "new-key"), null);
        assertEquals(401, replay("{\"reason\":\"UNKNOWN_EVENT\"}", "new-key").getStatusCode(), "provider keys are not operator keys");

        APIGatewayV2HTTPResponse before = replay("{\"reason\":\"UNKNOWN_EVENT\"}", "ops-secret");
        assertEquals(2, json(before).path("replayed").asInt());
        assertTrue(json(before).path("results").get(0).path("error").asText().startsWith("still UNKNOWN_EVENT"));
        assertTrue(receiver.ledger().read("q1").isEmpty());

        provider.knowsTeleported = true;
        assertEquals(0, json(replay("{\"reason\":\"UNKNOWN_EVENT\"}", "ops-secret")).path("replayed").asInt(),
                "replayed entries are skipped unless forced");
        JsonNode fixed = json(replay("{\"reason\":\"UNKNOWN_EVENT\",\"force\":true}", "ops-secret"));
        assertEquals(2, fixed.path("replayed").asInt());
        assertEquals("APPLIED", fixed.path("results").get(0).path("answer").path("result").asText());
        assertEquals(PayoutStatus.PAID, receiver.ledger().read("q1").orElseThrow().state().status());
        JsonNode again = json(replay("{\"reason\":\"UNKNOWN_EVENT\",\"force\":true}", "ops-secret"));
        assertEquals("DUPLICATE", again.path("results").get(0).path("answer").path("result").asText(), "idempotent");
        assertEquals(1, receiver.ledger().read("q1").orElseThrow().state().version());
        assertEquals(400, replay("{}", "ops-secret").getStatusCode());
        assertEquals(404, replay("{\"id\":\"no-such-entry\"}", "ops-secret").getStatusCode());
    }

    private static APIGatewayV2HTTPEvent post(String body, String key) {
        return key == null ? ApiRequests.post("/cb", body) : ApiRequests.post("/cb", body, "X-Test-Key", key);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse r) throws Exception {
        return Json.MAPPER.readTree(r.getBody());
    }

    @Test
    void answersTheResultOnlyAfterRecording() throws Exception {
        APIGatewayV2HTTPResponse first = receiver.receive(post("{\"ref\":\"r1\",\"status\":\"paid\"}", "new-key"), null);
        APIGatewayV2HTTPResponse again = receiver.receive(post("{\"ref\":\"r1\",\"status\":\"paid\"}", "old-key"), null);
        assertEquals(200, first.getStatusCode());
        assertEquals("APPLIED", json(first).path("result").asText());
        assertEquals("paid", json(first).path("status").asText());
        assertEquals(1, json(first).path("version").asInt());
        assertEquals("DUPLICATE", json(again).path("result").asText(), "rotated keys both accepted");
        assertEquals(PayoutStatus.PAID, receiver.ledger().read("r1").orElseThrow().state().status());
    }

    @Test
    void unauthenticatedGets401AndNothingIsStored() {
        for (String key : new String[] {null, "", "wrong", "new-key "}) {
            APIGatewayV2HTTPResponse r = receiver.receive(post("{\"ref\":\"r2\",\"status\":\"paid\"}", key), null);
            assertEquals(401, r.getStatusCode(), "key " + key);
        }
        assertEquals(List.of(), TestTables.scan(table));
    }

    @Test
    void malformedButAuthenticatedIsQuarantinedByteExact() throws Exception {
        String body = "{\"ref\": \"r3\", \"status\": ";
        APIGatewayV2HTTPResponse r = receiver.receive(post(body, "new-key"), null);
        assertEquals(400, r.getStatusCode());
        assertEquals("malformed", json(r).path("error").asText());
        assertTrue(json(r).path("message").asText().startsWith("body is not valid JSON"));
        List<Quarantine.Entry> quarantined = new Quarantine(TestTables.table(table), Clock.systemUTC())
                .list("testprovider");
        assertEquals(1, quarantined.size());
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), quarantined.get(0).rawBody());
        assertEquals("MALFORMED", quarantined.get(0).reason());
        assertEquals(json(r).path("quarantineId").asText(), quarantined.get(0).id());
        assertEquals(1, TestTables.scan(table).size(), "only the quarantine entry");
        // The provider retries the same body: still one entry, with its delivery count.
        assertEquals(400, receiver.receive(post(body, "old-key"), null).getStatusCode());
        List<Quarantine.Entry> again = new Quarantine(TestTables.table(table), Clock.systemUTC())
                .list("testprovider");
        assertEquals(1, again.size());
        assertEquals(2, again.get(0).deliveries());
    }

    @Test
    void binaryBodyIsQuarantinedWithItsExactBytes() {
        byte[] bytes = {(byte) 0xff, (byte) 0xfe, '{', 0, 1};
        APIGatewayV2HTTPEvent event = post(null, "old-key");
        event.setBody(Base64.getEncoder().encodeToString(bytes));
        event.setIsBase64Encoded(true);
        assertEquals(400, receiver.receive(event, null).getStatusCode());
        assertArrayEquals(bytes, new Quarantine(TestTables.table(table), Clock.systemUTC())
                .list("testprovider").get(0).rawBody());
    }

    @Test
    void unknownEventUsesTheProvidersChosenStatusAndIsQuarantined() throws Exception {
        APIGatewayV2HTTPResponse r = receiver.receive(post("{\"ref\":\"r4\",\"status\":\"teleported\"}", "new-key"), null);
        assertEquals(200, r.getStatusCode());
        assertEquals("QUARANTINED", json(r).path("result").asText(), "a 2xx says what happened");
        assertEquals("unknown_event", json(r).path("reason").asText());
        assertTrue(json(r).path("error").isMissingNode(), "a 2xx carries no error");
        assertFalse(json(r).path("quarantineId").asText().isEmpty());
        assertEquals(1, new Quarantine(TestTables.table(table), Clock.systemUTC()).list("testprovider").size());
        assertTrue(receiver.ledger().read("r4").isEmpty());
    }

    @Test
    void oversizedBodyGets413AndNothingIsStored() {
        String big = "{\"ref\":\"r5\",\"status\":\"paid\",\"pad\":\"" + "x".repeat(2000) + "\"}";
        assertEquals(413, receiver.receive(post(big, "new-key"), null).getStatusCode());
        assertEquals(List.of(), TestTables.scan(table));
    }

    @Test
    void unreachableDatabaseAnswers503SoTheProviderRetries() {
        DynamoDbClient down = DynamoDbClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofMillis(200)).build())
                .build();
        APIGatewayV2HTTPResponse r = receiverOn(down, 3).receive(post("{\"ref\":\"r6\",\"status\":\"paid\"}", "new-key"), null);
        assertEquals(503, r.getStatusCode());
    }

    /** The write fails before reaching DynamoDB: 503, nothing stored; the retry applies once. */
    @Test
    void failedWriteLeavesNothingAndTheRetryAppliesOnce() throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(1);
        DynamoDbClient flaky = intercepted(new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (context.request() instanceof UpdateItemRequest && failuresLeft.getAndDecrement() > 0) {
                    throw SdkClientException.create("injected: connection reset");
                }
            }
        });
        CallbackReceiver onFlaky = receiverOn(flaky, 8);
        APIGatewayV2HTTPResponse first = onFlaky.receive(post("{\"ref\":\"r7\",\"status\":\"paid\"}", "new-key"), null);
        assertEquals(503, first.getStatusCode());
        assertEquals(List.of(), TestTables.scan(table), "no dedup marker without its effect");
        APIGatewayV2HTTPResponse retry = onFlaky.receive(post("{\"ref\":\"r7\",\"status\":\"paid\"}", "new-key"), null);
        assertEquals("APPLIED", json(retry).path("result").asText());
        assertEquals(1, TestTables.items(table, "STATE").get(0).get("seen").bs().size());
        TestTables.settleHistory(table);
        assertEquals(1, TestTables.items(table, "HISTORY#").size());
    }

    /** Contention that never clears: bounded, jittered retries, then 503 — never a silent loss. */
    @Test
    void contentionPastTheBoundAnswers503() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        // Another writer always gets there first: every write's condition fails and hands back a newer payout.
        DynamoDbClient contended = intercepted(new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (context.request() instanceof UpdateItemRequest || context.request() instanceof PutItemRequest) {
                    int n = attempts.incrementAndGet();
                    throw (ConditionalCheckFailedException) ConditionalCheckFailedException.builder().message("injected")
                            .statusCode(400)
                            .awsErrorDetails(AwsErrorDetails.builder()
                                    .errorCode("ConditionalCheckFailedException").errorMessage("injected").build())
                            .item(Map.of("pk", AttributeValue.fromS("PAYOUT#r8"), "sk", AttributeValue.fromS("STATE"),
                                    "reference", AttributeValue.fromS("r8"), "status", AttributeValue.fromS("pending"),
                                    "version", AttributeValue.fromN("1"), "revision", AttributeValue.fromN(Integer.toString(n)),
                                    "provider", AttributeValue.fromS("testprovider")))
                            .build();
                }
            }
        });
        APIGatewayV2HTTPResponse r = receiverOn(contended, 4).receive(post("{\"ref\":\"r8\",\"status\":\"paid\"}", "new-key"), null);
        assertEquals(503, r.getStatusCode());
        assertEquals(1 + 4, attempts.get(), "the one-write attempt, then 4 guarded writes");
        assertEquals(List.of(), TestTables.scan(table));
    }

    @Test
    void logsOneLinePerCallbackWithoutBodyOrSecrets() throws Exception {
        receiver.receive(post("{\"ref\":\"r9\",\"status\":\"paid\",\"email\":\"someone@example.com\"}", "new-key"), null);
        receiver.receive(post("{\"ref\":\"r9\",\"status\":\"paid\"}", "wrong-key-value"), null);
        String[] lines = logged.toString(StandardCharsets.UTF_8).trim().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].contains("\"result\":\"APPLIED\"") && lines[0].contains("\"reference\":\"r9\""), lines[0]);
        assertTrue(lines[1].contains("\"result\":\"unauthenticated\""), lines[1]);
        JsonNode emf = Json.MAPPER.readTree(lines[0]);
        JsonNode directive = emf.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals(CallbackLog.NAMESPACE, directive.path("Namespace").asText());
        assertEquals("[[\"provider\",\"result\"],[\"result\"],[],[\"provider\",\"matchedKey\"]]",
                directive.path("Dimensions").toString());
        assertFalse(Json.MAPPER.readTree(lines[1]).has("matchedKey"), "nothing matched: no key named");
        assertEquals("key:2/2", emf.path("matchedKey").asText(), "the second of the two configured keys, never the key");
        assertEquals(1, emf.path("Callbacks").asInt(), "embedded metric value for the CloudWatch agent-less EMF path");
        assertEquals("testprovider", emf.path("provider").asText());
        String all = String.join("\n", lines);
        assertFalse(all.contains("someone@example.com"));
        assertFalse(all.contains("new-key"));
        assertFalse(all.contains("wrong-key-value"));
        String stored = receiver.ledger().read("r9").orElseThrow().history().get(0).rawPayload();
        assertFalse(stored.contains("someone@example.com"), stored);
    }

    private static DynamoDbClient intercepted(ExecutionInterceptor interceptor) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(TestTables.dynamo().endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(interceptor))
                .build();
    }

}
