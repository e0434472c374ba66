package dev.payoutcallbacks.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.lambda.CallbackLog;
import dev.payoutcallbacks.core.lambda.CallbackReceiver;
import dev.payoutcallbacks.core.ledger.LedgerSettings;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.PayoutTable;
import dev.payoutcallbacks.core.ledger.Quarantine;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.CallbackRequest;
import dev.payoutcallbacks.core.provider.InternalAuth;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.provider.ProviderCallbacks;
import dev.payoutcallbacks.core.provider.Translation;
import dev.payoutcallbacks.core.testing.ApiRequests;
import dev.payoutcallbacks.core.testing.TestTables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A key rotation through the write path, without a deploy: add the new key to the secret, the sender switches,
 * the old key is removed. The receiver re-reads the secret when a presented key matches none it has, and the log
 * line names the position of the key that matched.
 */
class SecretRotationTest {
    private final AtomicReference<Map<String, String>> stored =
            new AtomicReference<>(Map.of("TEST_KEYS", "old-key"));
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicReference<RuntimeException> outage = new AtomicReference<>();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private RuntimeSecrets secrets;
    private CallbackReceiver receiver;

    @BeforeEach
    void setUp() {
        secrets = new RuntimeSecrets(() -> {
            if (outage.get() != null) {
                throw outage.get();
            }
            reads.incrementAndGet();
            return stored.get();
        }, Duration.ofMinutes(5), Duration.ofSeconds(30), nanos::get);
        SharedSecrets keys = secrets.keys("TEST_KEYS", true);
        ProviderCallbacks provider = new ProviderCallbacks() {
            @Override
            public String provider() {
                return "rotating";
            }

            @Override
            public boolean authentic(CallbackRequest request) {
                return keys.matches(request.header("X-Test-Key"));
            }

            @Override
            public Translation translate(CallbackRequest request) throws CallbackRejected {
                ObjectNode body = Json.object(request.body());
                return Translation.of(PayoutOutcome.builder(Json.text(body, "ref"), PayoutStatus.PAID)
                        .provider("rotating").receivedAt(request.receivedAt()).rawPayload("{}").build());
            }
        };
        PayoutTable payouts = TestTables.table(TestTables.freshPayoutsTable());
        Clock clock = Clock.systemUTC();
        receiver = new CallbackReceiver(provider, new PayoutLedger(payouts, clock, LedgerSettings.defaults()),
                new Quarantine(payouts, clock), 4096, clock, InternalAuth.sharedSecret(SharedSecrets.parse("ops")),
                secrets);
        CallbackLog.redirect(new PrintStream(logged, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        CallbackLog.redirect(System.out);
    }

    private int send(String ref, String key) {
        APIGatewayV2HTTPResponse r = receiver.receive(ApiRequests.post("/cb", "{\"ref\":\"" + ref + "\"}",
                "X-Test-Key", key), null);
        return r.getStatusCode();
    }

    private JsonNode lastLine() throws Exception {
        String[] lines = logged.toString(StandardCharsets.UTF_8).trim().split("\n");
        return Json.MAPPER.readTree(lines[lines.length - 1]);
    }

    @Test
    void aRotationGoesLiveAtTheSendersFirstCallbackWithTheNewKey() throws Exception {
        assertEquals(200, send("r1", "old-key"));
        assertEquals("testKeys:1/1", lastLine().path("matchedKey").asText());
        assertEquals(1, reads.get());

        stored.set(Map.of("TEST_KEYS", "old-key,new-key")); // 1. add the new key
        assertEquals(200, send("r2", "new-key"), "2. the sender switched: one re-read, then accepted");
        assertEquals("testKeys:2/2", lastLine().path("matchedKey").asText(), "the operator sees the new key in use");
        assertEquals(2, reads.get());

        stored.set(Map.of("TEST_KEYS", "new-key")); // 3. remove the old key
        nanos.addAndGet(Duration.ofMinutes(5).plusSeconds(1).toNanos());
        assertEquals(401, send("r3", "old-key"), "the old key stops working within the cache's TTL");
        assertFalse(lastLine().has("matchedKey"));
        assertEquals(200, send("r4", "new-key"));
        assertEquals("testKeys:1/1", lastLine().path("matchedKey").asText());
    }

    @Test
    void unauthenticatedTrafficCostsAtMostOneReadPerWindow() {
        assertEquals(200, send("r1", "old-key"));
        for (int i = 0; i < 20; i++) {
            assertEquals(401, send("x" + i, "guess-" + i));
        }
        assertEquals(2, reads.get(), "the first read and one re-read; the rest are rate-limited");
    }

    @Test
    void underIamAnInternalRouteNeverReadsTheSecret() {
        PayoutTable payouts = TestTables.table(TestTables.freshPayoutsTable());
        Clock clock = Clock.systemUTC();
        CallbackReceiver iam = new CallbackReceiver(new ProviderCallbacks() {
            @Override public String provider() { return "rotating"; }
            @Override public boolean authentic(CallbackRequest request) { return false; }
            @Override public Translation translate(CallbackRequest request) { throw new AssertionError(); }
        }, new PayoutLedger(payouts, clock, LedgerSettings.defaults()), new Quarantine(payouts, clock), 4096, clock,
                new InternalAuth(InternalAuth.Mode.IAM, secrets.keys("INTERNAL_SECRETS", true)), secrets);
        var replay = ApiRequests.post("/cb/replay", "{\"reason\":\"MALFORMED\"}", "X-Internal-Secret", "guess");
        replay.setRouteKey("POST /cb/replay");
        assertEquals(401, iam.receive(replay, null).getStatusCode());
        assertEquals(401, iam.receive(ApiRequests.post("/cb", "{}"), null).getStatusCode());
        assertEquals(0, reads.get(), "no GetSecretValue where no check uses a secret (and none is granted there)");
    }

    @Test
    void secretsThatCannotBeReadAre503SoTheSenderRetries() throws Exception {
        outage.set(new SecretsUnavailable("unreachable"));
        assertEquals(503, send("r1", "old-key"));
        assertEquals("unavailable", lastLine().path("result").asText());
        outage.set(null);
        assertEquals(200, send("r1", "old-key"));
    }

    @Test
    void aKeySetWithoutItsValueIsNotConfiguredNotUnauthenticated() {
        stored.set(Map.of());
        assertEquals(503, send("r1", "old-key"), "a missing key in the secret is our trouble: the sender retries");
        assertTrue(reads.get() >= 1);
    }
}
