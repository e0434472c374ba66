package dev.payoutcallbacks.payouts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.testing.ApiRequests;
import dev.payoutcallbacks.core.testing.TestTables;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /payouts and GET /payouts/{reference} against DynamoDB Local. */
class PayoutRoutesTest {
    private String table;
    private PayoutRegistrationHandler register;
    private PayoutQueryHandler read;

    @BeforeEach
    void setUp() {
        table = TestTables.freshPayoutsTable();
        Map<String, String> env = TestTables.environment(table, "INTERNAL_SECRETS", "old,new");
        register = new PayoutRegistrationHandler(env);
        read = new PayoutQueryHandler(env);
    }

    private APIGatewayV2HTTPResponse post(String body, String secret) {
        return register.handleRequest(ApiRequests.post("/payouts", body, "X-Internal-Secret", secret), null);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse r) throws Exception {
        return Json.MAPPER.readTree(r.getBody());
    }

    @Test
    void registersOnceAndRefusesAContradictingRegistration() throws Exception {
        String body = "{\"payout_reference\":\"po-9\",\"provider\":\"pivot\",\"amount\":\"100000\",\"currency\":\"IDR\","
                + "\"submitted_at\":\"2026-11-21T07:00:00Z\",\"order_key\":\"o-9\"}";
        APIGatewayV2HTTPResponse first = post(body, "new");
        assertEquals(201, first.getStatusCode(), first.getBody());
        assertEquals("REGISTERED", json(first).path("result").asText());
        assertEquals(200, post(body, "old").getStatusCode());
        APIGatewayV2HTTPResponse other = post(body.replace("100000", "90000"), "new");
        assertEquals(409, other.getStatusCode());

        APIGatewayV2HTTPResponse got = read.handleRequest(ApiRequests.get("/payouts/po-9", Map.of("reference", "po-9"),
                "X-Internal-Secret", "old"), null);
        assertEquals(200, got.getStatusCode());
        JsonNode payout = json(got);
        assertTrue(payout.path("registered").asBoolean());
        assertEquals("100000", payout.path("amount").asText());
        assertEquals("o-9", payout.path("orderKey").asText());
    }

    @Test
    void rejectsBadRegistrationsClearlyAndStoresNothing() throws Exception {
        for (String body : List.of("{}", "{\"payout_reference\":\"x\",\"provider\":\"pivot\",\"amount\":\"1e5\",\"currency\":\"IDR\"}",
                "{\"payout_reference\":\"x\",\"provider\":\"pivot\",\"amount\":\"-1\",\"currency\":\"IDR\"}",
                "{\"payout_reference\":\"x\",\"provider\":\"pivot\",\"amount\":\"1\"}", "not json")) {
            APIGatewayV2HTTPResponse r = post(body, "new");
            assertEquals(400, r.getStatusCode(), body);
            assertFalse(json(r).path("message").asText().isBlank());
        }
        assertEquals(401, post("{\"payout_reference\":\"x\",\"provider\":\"pivot\",\"amount\":\"1\",\"currency\":\"IDR\"}",
                "wrong").getStatusCode());
        assertEquals(List.of(), TestTables.scan(table));
    }

    @Test
    void readRouteNeedsTheSecretAndAnswers404ForUnknownPayouts() {
        assertEquals(401, read.handleRequest(ApiRequests.get("/payouts/a", Map.of("reference", "a")), null).getStatusCode());
        assertEquals(404, read.handleRequest(ApiRequests.get("/payouts/a", Map.of("reference", "a"),
                "X-Internal-Secret", "new"), null).getStatusCode());
    }

    @Test
    void aRegistrationAfterACallbackIsCheckedLikeOneBefore() throws Exception {
        // Pivot reported po-10 first (its callback, applied through the one ledger).
        PayoutLedger ledger = TestTables.ledger(table);
        ledger.apply(PayoutOutcome.builder("po-10", PayoutStatus.PAID)
                .provider("pivot").amount(Money.parse("100000", "IDR"))
                .receivedAt(Instant.parse("2026-11-21T07:30:00Z")).build());
        APIGatewayV2HTTPResponse late = post("{\"payout_reference\":\"po-10\",\"provider\":\"m2money\",\"amount\":\"100000\","
                + "\"currency\":\"IDR\"}", "new");
        assertEquals(201, late.getStatusCode(), late.getBody());
        assertTrue(json(late).path("anomaly").asText().startsWith("provider_mismatch"), late.getBody());
        JsonNode payout = json(read.handleRequest(ApiRequests.get("/payouts/po-10", Map.of("reference", "po-10"),
                "X-Internal-Secret", "new"), null));
        assertTrue(payout.path("flaggedForReview").asBoolean());
        assertEquals("paid", payout.path("status").asText());
    }

    @Test
    void aRegisteredPayoutWithoutOutcomeReadsPendingAndControlCharactersAreRefused() throws Exception {
        assertEquals(201, post("{\"payout_reference\":\"po-11\",\"provider\":\"pivot\",\"amount\":\"5\",\"currency\":\"IDR\"}",
                "new").getStatusCode());
        JsonNode payout = json(read.handleRequest(ApiRequests.get("/payouts/po-11", Map.of("reference", "po-11"),
                "X-Internal-Secret", "new"), null));
        assertEquals("pending", payout.path("status").asText(), "registered, awaiting its outcome: never null");
        assertEquals(0, payout.path("version").asInt());
        APIGatewayV2HTTPResponse nul = post("{\"payout_reference\":\"po\\u000012\",\"provider\":\"pivot\",\"amount\":\"5\","
                + "\"currency\":\"IDR\"}", "new");
        assertEquals(400, nul.getStatusCode());
        assertTrue(json(nul).path("message").asText().contains("control characters"));
    }
}
