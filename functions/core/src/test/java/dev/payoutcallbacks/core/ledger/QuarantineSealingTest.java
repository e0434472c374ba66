package dev.payoutcallbacks.core.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.CallbackRequest;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.testing.TestTables;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Quarantined bodies at rest: sealed (a scan shows no personal data), opened byte-exact for a replay, bound to
 * their entry, under KMS data keys in AWS (here a loopback KMS endpoint speaking its JSON protocol), and expired
 * after the retention — by TTL on expiresAt, and never listed once expired even before TTL deletes them.
 */
class QuarantineSealingTest {
    private static final String BODY = "{\"event\":\"payout.transfer.success\",\"data\":{\"clientRefId\":\"po-q-1\","
            + "\"firstName\":\"Testpayee\",\"email\":\"payee.fake@example.invalid\",\"phone\":\"9876501234\",";

    private static CallbackRequest request(String body) {
        return new CallbackRequest(body.getBytes(StandardCharsets.UTF_8), Map.of("Signature", "abc"), null,
                "req-1", Instant.parse("2026-11-21T08:00:00Z"));
    }

    @Test
    void aQuarantinedBodyIsStoredSealedAndOpensByteExactForReplay() {
        String table = TestTables.freshPayoutsTable();
        byte[] master = new byte[32];
        master[0] = 7;
        Map<String, String> env = new HashMap<>(TestTables.environment(table));
        env.put("QUARANTINE_KMS_KEY_ID", QuarantineKeys.LOCAL_PREFIX + Base64.getEncoder().encodeToString(master));
        Quarantine quarantine = Quarantine.fromEnvironment(new FunctionEnvironment(env), TestTables.table(table),
                Clock.systemUTC());
        String id = quarantine.store("m2money", CallbackRejected.Reason.MALFORMED, "body is not valid JSON", request(BODY),
                Map.of("Signature", "abc"));

        List<Map<String, AttributeValue>> items = TestTables.scan(table);
        assertEquals(1, items.size());
        String stored = items.get(0).toString();
        for (String personal : List.of("Testpayee", "payee.fake", "9876501234", "po-q-1")) {
            assertFalse(stored.contains(personal), "the stored item shows " + personal);
        }
        String sealedText = new String(items.get(0).get("sealedBody").b().asByteArray(), StandardCharsets.ISO_8859_1);
        assertFalse(sealedText.contains("Testpayee"));
        assertFalse(items.get(0).containsKey("rawBody"));

        Quarantine.Entry entry = quarantine.list("m2money").get(0);
        assertEquals(id, entry.id());
        assertEquals(BODY.length(), entry.bodyBytes());
        assertArrayEquals(BODY.getBytes(StandardCharsets.UTF_8), entry.rawBody());

        // Another process with the same key opens it (the local run after a restart); another key does not.
        Quarantine sameKey = Quarantine.fromEnvironment(new FunctionEnvironment(env), TestTables.table(table),
                Clock.systemUTC());
        assertArrayEquals(BODY.getBytes(StandardCharsets.UTF_8), sameKey.list("m2money").get(0).rawBody());
        String keyId = items.get(0).get("bodyKeyId").s();
        assertTrue(keyId.startsWith("local:") && !keyId.contains(Base64.getEncoder().encodeToString(master)),
                "the key is named by a fingerprint: " + keyId);
        QuarantineKeys.Local.KNOWN.remove(keyId); // a process that never had this key
        Quarantine otherKey = new Quarantine(TestTables.table(table), Clock.systemUTC());
        assertThrows(IllegalStateException.class, () -> otherKey.list("m2money").get(0).rawBody());
    }

    @Test
    void aSealedBodyMovedToAnotherEntryDoesNotOpen() {
        String table = TestTables.freshPayoutsTable();
        Quarantine quarantine = new Quarantine(TestTables.table(table), Clock.systemUTC());
        String a = quarantine.store("pivot", CallbackRejected.Reason.MALFORMED, "x", request("{\"a\":1"), Map.of());
        String b = quarantine.store("pivot", CallbackRejected.Reason.MALFORMED, "x", request("{\"b\":2"), Map.of());
        Map<String, AttributeValue> itemA = TestTables.dynamo().client().getItem(r -> r.tableName(table)
                .key(TestTables.key("QUARANTINE#pivot", a))).item();
        TestTables.dynamo().client().updateItem(new Expressions()
                .set(PayoutItems.SEALED_BODY, itemA.get(PayoutItems.SEALED_BODY))
                .set(PayoutItems.BODY_KEY, itemA.get(PayoutItems.BODY_KEY))
                .updateItem(table, TestTables.key("QUARANTINE#pivot", b)).build());
        Quarantine.Entry moved = quarantine.list("pivot").stream().filter(e -> e.id().equals(b)).findFirst().orElseThrow();
        assertThrows(IllegalStateException.class, moved::rawBody);
    }

    @Test
    void entriesExpireAfterTheRetentionAndAreNeverListedOnceExpired() {
        String table = TestTables.freshPayoutsTable();
        Instant now = Instant.parse("2026-11-21T08:00:00Z");
        Quarantine at = new Quarantine(TestTables.table(table), Clock.fixed(now, ZoneOffset.UTC),
                QuarantineKeys.processDefault(), Duration.ofDays(30));
        at.store("pivot", CallbackRejected.Reason.UNKNOWN_EVENT, "x", request("{\"event\":\"X\"}"), Map.of());
        Map<String, AttributeValue> item = TestTables.scan(table).get(0);
        assertEquals(now.plus(Duration.ofDays(30)).getEpochSecond(), Long.parseLong(item.get("expiresAt").n()));
        Quarantine dayBefore = new Quarantine(TestTables.table(table),
                Clock.fixed(now.plus(Duration.ofDays(30)).minusSeconds(1), ZoneOffset.UTC));
        assertEquals(1, dayBefore.list("pivot").size());
        Quarantine after = new Quarantine(TestTables.table(table),
                Clock.fixed(now.plus(Duration.ofDays(30)), ZoneOffset.UTC));
        assertEquals(0, after.list("pivot").size(), "expired: not listed, not replayed, though TTL has not deleted it");
        assertEquals(1, TestTables.scan(table).size());
        // The retention is a setting.
        Map<String, String> env = new HashMap<>(TestTables.environment(table));
        env.put("QUARANTINE_RETENTION_DAYS", "7");
        Quarantine week = Quarantine.fromEnvironment(new FunctionEnvironment(env), TestTables.table(table),
                Clock.fixed(now, ZoneOffset.UTC));
        week.store("pivot", CallbackRejected.Reason.UNKNOWN_EVENT, "x", request("{\"event\":\"Y\"}"), Map.of());
        assertTrue(TestTables.scan(table).stream().anyMatch(i -> Long.parseLong(i.get("expiresAt").n())
                == now.plus(Duration.ofDays(7)).getEpochSecond()));
    }

    @Test
    void inAwsEachBodyHasItsOwnKmsDataKeyBoundToTheEntry() throws Exception {
        List<JsonNode> calls = new ArrayList<>();
        Map<String, byte[]> issued = new HashMap<>(); // wrapped → plaintext, as KMS keeps it
        HttpServer kms = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        kms.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            synchronized (calls) {
                calls.add(((ObjectNode) request.deepCopy()).put("target", target));
            }
            ObjectNode answer = Json.newObject();
            if ("TrentService.GenerateDataKey".equals(target)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                String wrapped = "wrapped-" + issued.size() + "|" + request.path("EncryptionContext").toString();
                issued.put(wrapped, key);
                answer.put("KeyId", request.path("KeyId").asText());
                answer.put("Plaintext", Base64.getEncoder().encodeToString(key));
                answer.put("CiphertextBlob", Base64.getEncoder().encodeToString(wrapped.getBytes(StandardCharsets.UTF_8)));
            } else {
                String wrapped = new String(Base64.getDecoder().decode(request.path("CiphertextBlob").asText()),
                        StandardCharsets.UTF_8);
                // KMS refuses a Decrypt whose encryption context differs from the one the key was made with.
                if (!wrapped.endsWith("|" + request.path("EncryptionContext").toString()) || !issued.containsKey(wrapped)) {
                    byte[] refusal = "{\"__type\":\"InvalidCiphertextException\"}".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(400, refusal.length);
                    exchange.getResponseBody().write(refusal);
                    exchange.close();
                    return;
                }
                answer.put("KeyId", request.path("KeyId").asText());
                answer.put("Plaintext", Base64.getEncoder().encodeToString(issued.get(wrapped)));
            }
            byte[] out = Json.write(answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        kms.start();
        try {
            String table = TestTables.freshPayoutsTable();
            Map<String, String> env = new HashMap<>(TestTables.environment(table));
            env.put("QUARANTINE_KMS_KEY_ID", "arn:aws:kms:us-east-1:123456789012:key/quarantine");
            env.put("KMS_ENDPOINT", "http://127.0.0.1:" + kms.getAddress().getPort());
            Quarantine quarantine = Quarantine.fromEnvironment(new FunctionEnvironment(env), TestTables.table(table),
                    Clock.systemUTC());
            String id = quarantine.store("m2money", CallbackRejected.Reason.MALFORMED, "x", request(BODY), Map.of());
            quarantine.store("m2money", CallbackRejected.Reason.MALFORMED, "x", request(BODY + "}"), Map.of());
            assertEquals(2, calls.size(), "one data key per stored body");
            assertEquals("TrentService.GenerateDataKey", calls.get(0).path("target").asText());
            assertEquals("AES_256", calls.get(0).path("KeySpec").asText());
            assertEquals(id, calls.get(0).path("EncryptionContext").path("quarantineId").asText());
            Map<String, AttributeValue> item = TestTables.dynamo().client().getItem(r -> r.tableName(table)
                    .key(TestTables.key("QUARANTINE#m2money", id))).item();
            assertEquals("arn:aws:kms:us-east-1:123456789012:key/quarantine", item.get("bodyKeyId").s());
            assertFalse(item.toString().contains("Testpayee"));
            Quarantine.Entry entry = quarantine.list("m2money").stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
            assertEquals(2, calls.size(), "listing opens nothing");
            assertArrayEquals(BODY.getBytes(StandardCharsets.UTF_8), entry.rawBody());
            assertEquals("TrentService.Decrypt", calls.get(2).path("target").asText());
        } finally {
            kms.stop(0);
        }
    }
}
