package dev.payoutcallbacks.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.payoutcallbacks.core.provider.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Secret values read at run time: caching, rotation, failures, priming, and the real SDK call. */
class RuntimeSecretsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicReference<Map<String, String>> stored =
            new AtomicReference<>(Map.of("PIVOT_CALLBACK_API_KEYS", "old-key"));
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicReference<RuntimeException> failNext = new AtomicReference<>();

    private final RuntimeSecrets.Source source = () -> {
        RuntimeException f = failNext.get();
        if (f != null) {
            throw f;
        }
        reads.incrementAndGet();
        return stored.get();
    };

    private RuntimeSecrets secrets(Duration ttl) {
        return new RuntimeSecrets(source, ttl, Duration.ofSeconds(30), now::get);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void readsOnFirstUseOnlyAndCachesUntilTheTtl() {
        RuntimeSecrets s = secrets(Duration.ofMinutes(5));
        assertEquals(0, reads.get(), "nothing is read before first use (so nothing before a SnapStart snapshot)");
        assertEquals("old-key", s.value("PIVOT_CALLBACK_API_KEYS"));
        stored.set(Map.of("PIVOT_CALLBACK_API_KEYS", "new-key"));
        advance(Duration.ofMinutes(4));
        assertEquals("old-key", s.value("PIVOT_CALLBACK_API_KEYS"), "cached within the TTL");
        advance(Duration.ofMinutes(1).plusSeconds(1));
        assertEquals("new-key", s.value("PIVOT_CALLBACK_API_KEYS"), "read again after the TTL");
        assertEquals(2, reads.get());
    }

    @Test
    void theTtlIsCappedAtFiveMinutes() {
        RuntimeSecrets s = secrets(Duration.ofHours(1));
        s.value("PIVOT_CALLBACK_API_KEYS");
        stored.set(Map.of("PIVOT_CALLBACK_API_KEYS", "new-key"));
        advance(Duration.ofMinutes(5).plusSeconds(1));
        assertEquals("new-key", s.value("PIVOT_CALLBACK_API_KEYS"));
    }

    @Test
    void aMismatchRereadsOnceThenIsRateLimited() {
        RuntimeSecrets s = secrets(Duration.ofMinutes(5));
        SharedSecrets keys = s.keys("PIVOT_CALLBACK_API_KEYS", true);
        assertFalse(keys.matches("new-key"));
        stored.set(Map.of("PIVOT_CALLBACK_API_KEYS", "old-key,new-key"));
        assertTrue(s.refreshAfterMismatch(), "values changed: worth checking again");
        assertTrue(keys.matches("new-key"));
        assertEquals(2, reads.get());
        for (int i = 0; i < 50; i++) {
            assertFalse(s.refreshAfterMismatch(), "a stream of bad keys costs no more reads");
        }
        assertEquals(2, reads.get());
        advance(Duration.ofSeconds(31));
        assertFalse(s.refreshAfterMismatch(), "read again after the window, but nothing changed");
        assertEquals(3, reads.get());
    }

    @Test
    void aFailedReadKeepsTheLastValuesAndRetriesShortly() {
        RuntimeSecrets s = secrets(Duration.ofMinutes(5));
        assertEquals("old-key", s.value("PIVOT_CALLBACK_API_KEYS"));
        advance(Duration.ofMinutes(6));
        failNext.set(new IllegalStateException("Secrets Manager unreachable"));
        assertEquals("old-key", s.value("PIVOT_CALLBACK_API_KEYS"), "stale beats a 503 for every callback");
        failNext.set(null);
        stored.set(Map.of("PIVOT_CALLBACK_API_KEYS", "new-key"));
        assertEquals("old-key", s.value("PIVOT_CALLBACK_API_KEYS"), "no read storm: waits before trying again");
        advance(Duration.ofSeconds(11));
        assertEquals("new-key", s.value("PIVOT_CALLBACK_API_KEYS"));
    }

    @Test
    void noValuesYetIsUnavailableAndAMissingRequiredKeyToo() {
        RuntimeSecrets s = secrets(Duration.ofMinutes(5));
        failNext.set(new IllegalStateException("unreachable"));
        assertThrows(SecretsUnavailable.class, () -> s.value("PIVOT_CALLBACK_API_KEYS"));
        failNext.set(null);
        stored.set(Map.of());
        SharedSecrets required = s.keys("PIVOT_CALLBACK_API_KEYS", true);
        advance(Duration.ofSeconds(11));
        assertThrows(SecretsUnavailable.class, () -> required.matches("anything"));
        assertTrue(s.keys("COMMPIX_HMAC_SECRETS", false).isEmpty(), "an optional setting may be absent");
    }

    @Test
    void primingReadsNothingAndTheSnapshotKeepsNothing() {
        RuntimeSecrets s = secrets(Duration.ofMinutes(5));
        SharedSecrets keys = s.keys("PIVOT_CALLBACK_API_KEYS", true);
        RuntimeSecrets.priming(() -> {
            assertFalse(keys.matches("old-key"), "a placeholder, never a real key");
            assertEquals(Map.of(), s.all());
        });
        assertEquals(0, reads.get(), "no Secrets Manager call before the snapshot");
        s.value("PIVOT_CALLBACK_API_KEYS");
        s.beforeCheckpoint(null);
        s.value("PIVOT_CALLBACK_API_KEYS");
        assertEquals(2, reads.get(), "values read before a checkpoint are dropped, read again after the restore");
    }

    @Test
    void theSecretsJsonKeysAreTheSettingsInCamelCase() {
        assertEquals("pivotCallbackApiKeys", RuntimeSecrets.jsonKey("PIVOT_CALLBACK_API_KEYS"));
        assertEquals("m2moneyApiSignatureSecret", RuntimeSecrets.jsonKey("M2MONEY_API_SIGNATURE_SECRET"));
        assertEquals("M2MONEY_API_SIGNATURE_SECRET", RuntimeSecrets.settingName("m2moneyApiSignatureSecret"));
        assertEquals("COMMPIX_HMAC_SECRETS", RuntimeSecrets.settingName("commpixHmacSecrets"));
        assertEquals("INTERNAL_SECRETS", RuntimeSecrets.settingName("INTERNAL_SECRETS"));
        Map<String, String> parsed = RuntimeSecrets.parseSecret(
                "{\"internalSecrets\":\"a,b\",\"calypsoSubscriptionKeys\":\"k\",\"nested\":{\"x\":1}}");
        assertEquals(Map.of("INTERNAL_SECRETS", "a,b", "CALYPSO_SUBSCRIPTION_KEYS", "k"), parsed);
        assertThrows(SecretsUnavailable.class, () -> RuntimeSecrets.parseSecret("not json"));
    }

    @Test
    void withoutAnArnTheValuesAreTheFunctionsEnvironment() {
        RuntimeSecrets s = RuntimeSecrets.fromEnvironment(new FunctionEnvironment(
                Map.of("SECRETS_ARN", "environment", "INTERNAL_SECRETS", "local-secret")));
        assertEquals("local-secret", s.value("INTERNAL_SECRETS"));
        assertFalse(s.refreshAfterMismatch(), "the environment cannot change: nothing to re-read");
    }

    @Test
    void aSecretInTheEnvironmentOfAFunctionReadingSecretsManagerFailsItsStart() {
        FunctionEnvironment env = new FunctionEnvironment(Map.of(
                "SECRETS_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:payouts-AbCdEf",
                "INTERNAL_SECRETS", "leaked"));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> RuntimeSecrets.fromEnvironment(env).refuseInEnvironment(env, "INTERNAL_SECRETS"));
        assertFalse(refused.getMessage().contains("leaked"));
        FunctionEnvironment placeholders = new FunctionEnvironment(Map.of(
                "SECRETS_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:payouts-AbCdEf",
                "INTERNAL_SECRETS", ""));
        RuntimeSecrets.fromEnvironment(placeholders).refuseInEnvironment(placeholders, "INTERNAL_SECRETS");
    }

    /** The real SDK client, through the shared HTTP client, against a stand-in speaking Secrets Manager's protocol. */
    @Test
    void readsTheSecretWithGetSecretValueOnItsArn() throws IOException {
        String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:payout-callbacks-AbCdEf";
        List<String> calls = new ArrayList<>();
        AtomicReference<String> secret = new AtomicReference<>("{\"pivotCallbackApiKeys\":\"k1\"}");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add(exchange.getRequestHeaders().getFirst("X-Amz-Target") + " " + body);
            byte[] answer = Json.write(Json.newObject().put("ARN", arn).put("Name", "payout-callbacks")
                    .put("SecretString", secret.get())).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            Map<String, String> env = new HashMap<>();
            env.put("SECRETS_ARN", arn);
            env.put("SECRETSMANAGER_ENDPOINT", "http://127.0.0.1:" + server.getAddress().getPort());
            env.put("AWS_REGION", "us-east-1");
            RuntimeSecrets s = RuntimeSecrets.fromEnvironment(new FunctionEnvironment(env));
            assertEquals(0, calls.size());
            assertEquals("k1", s.value("PIVOT_CALLBACK_API_KEYS"));
            assertNull(s.value("INTERNAL_SECRETS"));
            secret.set("{\"pivotCallbackApiKeys\":\"k1,k2\"}");
            assertTrue(s.refreshAfterMismatch());
            assertEquals("k1,k2", s.value("PIVOT_CALLBACK_API_KEYS"));
            assertEquals(2, calls.size());
            assertTrue(calls.get(0).startsWith("secretsmanager.GetSecretValue "), calls.get(0));
            assertEquals(arn, Json.MAPPER.readTree(calls.get(0).substring(calls.get(0).indexOf(' ') + 1))
                    .path("SecretId").asText());
        } finally {
            server.stop(0);
        }
    }
}
