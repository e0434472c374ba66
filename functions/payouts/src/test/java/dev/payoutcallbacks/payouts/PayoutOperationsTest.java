package dev.payoutcallbacks.payouts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.payout.ApplyResult;
import dev.payoutcallbacks.core.payout.HistoryEntry;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutRecord;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.testing.ApiRequests;
import dev.payoutcallbacks.core.testing.TestTables;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The review queue and its explicit resolution, against DynamoDB Local. */
class PayoutOperationsTest {
    private PayoutLedger ledger;
    private PayoutOperationsHandler ops;
    private String table;

    @BeforeEach
    void setUp() {
        table = TestTables.freshPayoutsTable();
        Map<String, String> env = TestTables.environment(table, "INTERNAL_SECRETS", "ops");
        ops = new PayoutOperationsHandler(env);
        ledger = TestTables.ledger(table);
    }

    private void deliver(String ref, PayoutStatus status) {
        ledger.apply(PayoutOutcome.builder(ref, status).provider("pivot").receivedAt(Instant.now()).build());
    }

    private APIGatewayV2HTTPResponse call(String method, String routePath, String path, Map<String, String> params, String body) {
        APIGatewayV2HTTPEvent e = ApiRequests.event(method, path, body, "10.0.0.1", params, "X-Internal-Secret", "ops");
        e.setRouteKey(method + " " + routePath);
        return ops.handleRequest(e, null);
    }

    private APIGatewayV2HTTPResponse resolve(String ref, String body) {
        return call("POST", "/payouts/{reference}/resolve", "/payouts/" + ref + "/resolve", Map.of("reference", ref), body);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse r) throws Exception {
        return Json.MAPPER.readTree(r.getBody());
    }

    @Test
    void flaggedPayoutsAreListedAndResolvedExactlyOnceWithWhoAndWhy() throws Exception {
        deliver("conflicted", PayoutStatus.PAID);
        deliver("conflicted", PayoutStatus.FAILED);
        deliver("fine", PayoutStatus.PAID);
        JsonNode queue = json(call("GET", "/review", "/review", Map.of(), null));
        assertEquals(1, queue.path("flagged").size());
        assertEquals("conflicted", queue.path("flagged").get(0).path("reference").asText());
        assertTrue(queue.path("flagged").get(0).path("reviewReason").asText().startsWith("conflict: paid -> failed"));

        String body = "{\"status\":\"failed\",\"reason\":\"bank confirmed the return\",\"operator\":\"alice\",\"resolution_id\":\"res-1\"}";
        APIGatewayV2HTTPResponse first = resolve("conflicted", body);
        assertEquals(200, first.getStatusCode(), first.getBody());
        assertEquals("RESOLVED", json(first).path("result").asText());
        assertEquals("failed", json(first).path("status").asText());
        assertEquals("DUPLICATE", json(resolve("conflicted", body)).path("result").asText(), "same resolution, once");
        assertEquals(409, resolve("conflicted", body.replace("res-1", "res-2")).getStatusCode(), "settled and no longer flagged");

        TestTables.settleHistory(table);
        PayoutRecord record = ledger.read("conflicted").orElseThrow();
        assertEquals(PayoutStatus.FAILED, record.state().status());
        assertFalse(record.state().flaggedForReview());
        assertEquals(2, record.state().version());
        // History: paid, the conflicting failed, alice's resolution, and the refused second resolution.
        assertEquals(4, record.history().size());
        HistoryEntry resolution = record.history().get(2);
        assertEquals(ApplyResult.APPLIED, resolution.result());
        assertEquals(2, resolution.versionAfter());
        assertEquals("resolved by alice: bank confirmed the return", resolution.stage());
        assertEquals(ApplyResult.STALE, record.history().get(3).result());
        assertEquals(0, json(call("GET", "/review", "/review", Map.of(), null)).path("flagged").size());
    }

    @Test
    void underIamTheOperatorRecordedIsTheAuthenticatedPrincipalNotTheBody() throws Exception {
        String role = "arn:aws:sts::123456789012:assumed-role/payout-operators/alice";
        PayoutOperationsHandler iamOps = new PayoutOperationsHandler(TestTables.environment(table,
                "INTERNAL_AUTH", "iam", "SECRETS_ARN", "environment"));
        deliver("conflicted-iam", PayoutStatus.PAID);
        deliver("conflicted-iam", PayoutStatus.FAILED);
        String body = "{\"status\":\"paid\",\"reason\":\"statement shows the credit\",\"operator\":\"mallory\",\"resolution_id\":\"res-iam\"}";
        APIGatewayV2HTTPEvent unsigned = ApiRequests.event("POST", "/payouts/conflicted-iam/resolve", body, "10.0.0.1",
                Map.of("reference", "conflicted-iam"), "X-Internal-Secret", "ops");
        unsigned.setRouteKey("POST /payouts/{reference}/resolve");
        assertEquals(401, iamOps.handleRequest(unsigned, null).getStatusCode(),
                "no principal: refused, and the shared secret is no substitute under IAM");
        APIGatewayV2HTTPEvent signed = ApiRequests.signedBy(role, ApiRequests.event("POST",
                "/payouts/conflicted-iam/resolve", body.replace(",\"operator\":\"mallory\"", ""), "10.0.0.1",
                Map.of("reference", "conflicted-iam")));
        signed.setRouteKey("POST /payouts/{reference}/resolve");
        APIGatewayV2HTTPResponse r = iamOps.handleRequest(signed, null);
        assertEquals(200, r.getStatusCode(), r.getBody());
        APIGatewayV2HTTPEvent claimed = ApiRequests.signedBy(role, ApiRequests.event("POST",
                "/payouts/conflicted-iam/resolve", body, "10.0.0.1", Map.of("reference", "conflicted-iam")));
        claimed.setRouteKey("POST /payouts/{reference}/resolve");
        assertEquals("DUPLICATE", json(iamOps.handleRequest(claimed, null)).path("result").asText());
        TestTables.settleHistory(table);
        PayoutRecord record = ledger.read("conflicted-iam").orElseThrow();
        assertEquals("resolved by " + role + ": statement shows the credit", record.history().get(2).stage());
        assertFalse(record.history().stream().anyMatch(h -> h.stage() != null && h.stage().contains("mallory")));
    }

    @Test
    void stuckOpenPayoutCanBeForcedToFailedButASettledOneCannot() throws Exception {
        deliver("stuck", PayoutStatus.PENDING);
        deliver("settled", PayoutStatus.PAID);
        String body = "{\"status\":\"failed\",\"reason\":\"provider never answered\",\"operator\":\"bob\",\"resolution_id\":\"r-9\"}";
        assertEquals("RESOLVED", json(resolve("stuck", body)).path("result").asText());
        assertEquals(409, resolve("settled", body).getStatusCode());
        assertEquals(404, resolve("unknown", body).getStatusCode());
        assertEquals(400, resolve("stuck", "{\"status\":\"pending\",\"reason\":\"x\",\"operator\":\"b\",\"resolution_id\":\"r\"}").getStatusCode());
        assertEquals(400, resolve("stuck", "{\"status\":\"failed\"}").getStatusCode());
    }

    @Test
    void everyRouteNeedsTheInternalSecret() {
        APIGatewayV2HTTPEvent e = ApiRequests.event("GET", "/review", null, "10.0.0.1", Map.of());
        e.setRouteKey("GET /review");
        assertEquals(401, ops.handleRequest(e, null).getStatusCode());
    }
}
