package dev.payoutcallbacks.pivot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.core.config.SharedSecrets;
import dev.payoutcallbacks.core.ledger.Quarantine;
import dev.payoutcallbacks.core.payout.BatchNotice;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.CallbackRejected.Reason;
import dev.payoutcallbacks.core.provider.CallbackRequest;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.provider.Translation;
import dev.payoutcallbacks.core.testing.ApiRequests;
import dev.payoutcallbacks.core.testing.RejectionAnswers;
import dev.payoutcallbacks.core.testing.TestTables;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PivotCallbacksTest {
    private static final String SINGLE = """
            {"event":"%s","data":{"uuid":"d6a46a2c-1b26-40c5-9ca3-e063e69635a0",
             "merchantId":"922e39ab-7565-49f6-b84f-fb56122821ae",
             "payouts":{"referenceId":"%s","amount":{"currency":"IDR","value":"100000"},"status":"%s","reason":%s}}}""";
    private static final String BULK_DONE = """
            {"event":"PAYOUT.DONE","data":{"uuid":"d6a46a2c-1b26-40c5-9ca3-e063e69635a0",
             "merchantId":"922e39ab-7565-49f6-b84f-fb56122821ae",
             "payoutResults":{"totalPendingCount":0,"totalPendingAmount":0,"totalSuccessCount":1,
             "totalSuccessAmount":100000,"totalFailedCount":0,"totalFailedAmount":0,"totalCancelledCount":0,
             "totalCancelledAmount":0},"status":"DONE"}}""";

    private final PivotCallbacks pivot = new PivotCallbacks(SharedSecrets.parse("k-old,k-new"));

    private static String single(String event, String ref, String status, String reason) {
        return SINGLE.formatted(event, ref, status, reason == null ? "null" : "\"" + reason + "\"");
    }

    private static CallbackRequest request(String body) {
        return new CallbackRequest(body.getBytes(StandardCharsets.UTF_8), Map.of("X-API-Key", "k-new"),
                "10.0.0.1", "req", Instant.parse("2026-11-21T08:00:00Z"));
    }

    private PayoutOutcome one(String body) throws CallbackRejected {
        List<PayoutOutcome> outcomes = pivot.translate(request(body)).outcomes();
        assertEquals(1, outcomes.size());
        return outcomes.get(0);
    }

    @Test
    void singleEventsMapToCanonicalOutcomes() throws Exception {
        PayoutOutcome success = one(single("PAYOUT.SUCCESS", "TestReforzaPivot001", "SUCCESS", null));
        assertEquals(PayoutStatus.PAID, success.status());
        assertEquals("TestReforzaPivot001", success.payoutReference());
        assertEquals("100000", success.amount().amountText());
        assertEquals("IDR", success.amount().currency());
        assertEquals("d6a46a2c-1b26-40c5-9ca3-e063e69635a0", success.providerPayoutId());
        assertNull(success.failureReason());

        PayoutOutcome failed = one(single("PAYOUT.FAILED", "r2", "FAILED", "Dormant Account"));
        assertEquals(PayoutStatus.FAILED, failed.status());
        assertEquals("Dormant Account", failed.failureReason());

        PayoutOutcome delayed = one(single("PAYOUT.DELAYED", "r3", "DELAYED", null));
        assertEquals(PayoutStatus.PENDING, delayed.status());
        assertNotNull(delayed.stage());
    }

    @Test
    void everyDocumentedItemStatusIsMapped() {
        for (String status : List.of("APPROVED", "PENDING", "SUCCESS", "FAILED", "CANCELLED", "DELAYED")) {
            assertNotNull(PivotCallbacks.ITEM_STATUSES.get(status), status);
        }
        assertEquals(PayoutStatus.CANCELLED, PivotCallbacks.ITEM_STATUSES.get("CANCELLED"));
        assertEquals(PayoutStatus.PENDING, PivotCallbacks.ITEM_STATUSES.get("APPROVED"), "insufficient balance: waiting");
    }

    @Test
    void bulkEventsBecomeBatchNoticesNotOutcomes() throws Exception {
        Translation t = pivot.translate(request(BULK_DONE));
        assertTrue(t.outcomes().isEmpty());
        BatchNotice notice = t.batchNotice();
        assertEquals("d6a46a2c-1b26-40c5-9ca3-e063e69635a0", notice.batchId());
        assertEquals("PAYOUT.DONE", notice.event());
        assertEquals(100000, Json.MAPPER.readTree(notice.totalsJson()).path("totalSuccessAmount").asInt());
    }

    @Test
    void inconsistentOrUnknownInputIsRejected() {
        CallbackRejected mismatch = assertThrows(CallbackRejected.class,
                () -> pivot.translate(request(single("PAYOUT.SUCCESS", "r", "FAILED", null))));
        assertEquals(CallbackRejected.Reason.MALFORMED, mismatch.reason());
        CallbackRejected unmapped = assertThrows(CallbackRejected.class,
                () -> pivot.translate(request(single("PAYOUT.SUCCESS", "r", "TELEPORTED", null))));
        assertEquals(CallbackRejected.Reason.UNMAPPED_STATUS, unmapped.reason());
        CallbackRejected unknown = assertThrows(CallbackRejected.class,
                () -> pivot.translate(request("{\"event\":\"PAYOUT.EXPIRED\",\"data\":{}}")));
        assertEquals(CallbackRejected.Reason.UNKNOWN_EVENT, unknown.reason());
        assertEquals(400, pivot.rejectionAnswer(unknown), "Pivot does not retry 400: the quarantine keeps it");
        assertThrows(CallbackRejected.class, () -> pivot.translate(request(single("PAYOUT.SUCCESS", "r", "SUCCESS", null)
                .replace("\"100000\"", "\"1e5\""))));
        assertThrows(CallbackRejected.class, () -> pivot.translate(request("{\"event\":\"PAYOUT.SUCCESS\",\"data\":{\"payouts\":{}}}")));
    }

    @Test
    void apiKeyIsCheckedAgainstEveryRotatedKey() {
        assertTrue(pivot.authentic(request("{}")));
        assertFalse(pivot.authentic(new CallbackRequest(new byte[0], Map.of("x-api-key", "k-other"), null, null,
                Instant.now())));
        assertFalse(pivot.authentic(new CallbackRequest(new byte[0], Map.of(), null, null, Instant.now())));
    }

    @Test
    void routeHandlesSinglesBulksDuplicatesAndOutOfOrder() throws Exception {
        String table = TestTables.freshPayoutsTable();
        PivotCallbackHandler handler = new PivotCallbackHandler(
                TestTables.environment(table, "PIVOT_CALLBACK_API_KEYS", "key-a,key-b"));
        assertEquals("APPLIED", post(handler, single("PAYOUT.SUCCESS", "pv-1", "SUCCESS", null), "key-a").path("result").asText());
        assertEquals("DUPLICATE", post(handler, single("PAYOUT.SUCCESS", "pv-1", "SUCCESS", null), "key-b").path("result").asText());
        // DELAYED arriving after SUCCESS: recorded, never overwrites the terminal state.
        JsonNode late = post(handler, single("PAYOUT.DELAYED", "pv-1", "DELAYED", null), "key-a");
        assertEquals("STALE", late.path("result").asText());
        assertEquals("paid", late.path("status").asText());
        JsonNode conflict = post(handler, single("PAYOUT.FAILED", "pv-1", "FAILED", "Invalid Account"), "key-a");
        assertEquals("CONFLICT", conflict.path("result").asText());
        assertEquals("paid", conflict.path("status").asText());

        assertEquals("RECORDED", post(handler, BULK_DONE, "key-a").path("result").asText());
        assertEquals("DUPLICATE", post(handler, BULK_DONE, "key-a").path("result").asText());
        List<?> notices = TestTables.scan(table).stream()
                .filter(i -> i.get("pk").s().startsWith("BATCH#pivot#") && i.containsKey("awaitingItemFetch")).toList();
        assertEquals(1, notices.size(), "bulk notice recorded once, marked for the reconciler");

        APIGatewayV2HTTPResponse unauthenticated = handler.handleRequest(ApiRequests.post("/callbacks/pivot",
                single("PAYOUT.SUCCESS", "pv-2", "SUCCESS", null)), null);
        assertEquals(401, unauthenticated.getStatusCode());
        assertTrue(TestTables.scan(table).stream().noneMatch(i -> i.get("pk").s().contains("pv-2")));

        String malformed = "{\"event\":\"PAYOUT.SUCCESS\",\"data\":{\"payouts\":{\"referenceId\":\"pv-3\",\"status\":\"SUCCESS\",\"amount\":{\"value\":\"12,5\"}}}}";
        APIGatewayV2HTTPResponse bad = handler.handleRequest(ApiRequests.post("/callbacks/pivot", malformed, "X-API-Key", "key-b"), null);
        assertEquals(400, bad.getStatusCode());
        List<Quarantine.Entry> quarantined = new Quarantine(TestTables.table(table), Clock.systemUTC()).list("pivot");
        assertEquals(1, quarantined.size());
        assertEquals(malformed, new String(quarantined.get(0).rawBody(), StandardCharsets.UTF_8));
        assertTrue(quarantined.get(0).headers().isEmpty(), "the API key is a secret: not kept");
    }

    private static JsonNode post(PivotCallbackHandler handler, String body, String key) throws Exception {
        APIGatewayV2HTTPResponse r = handler.handleRequest(ApiRequests.post("/callbacks/pivot", body, "X-API-Key", key), null);
        assertEquals(200, r.getStatusCode(), r.getBody());
        return Json.MAPPER.readTree(r.getBody());
    }

    @Test
    void fractionalRupiahAreRefusedWholeOnesKeptExact() throws Exception {
        String fractional = single("PAYOUT.SUCCESS", "pv-f", "SUCCESS", null).replace("\"100000\"", "\"100000.5\"");
        CallbackRejected e = assertThrows(CallbackRejected.class, () -> pivot.translate(request(fractional)));
        assertEquals(CallbackRejected.Reason.MALFORMED, e.reason());
        assertTrue(e.getMessage().contains("whole rupiah"), e.getMessage());
        assertEquals("100000", one(single("PAYOUT.SUCCESS", "pv-f", "SUCCESS", null).replace("\"100000\"", "\"100000.00\""))
                .amount().amountText(), "a zero fraction is the same whole amount");
        assertThrows(CallbackRejected.class, () -> pivot.translate(request(
                single("PAYOUT.SUCCESS", "pv-f", "SUCCESS", null).replace("\"100000\"", "\" 100000\""))),
                "surrounding spaces are not an amount");
    }

    @Test
    void theSameSuccessWithOtherMoneyOrAnotherPivotPayoutIsAConflict() throws Exception {
        String table = TestTables.freshPayoutsTable();
        PivotCallbackHandler handler = new PivotCallbackHandler(
                TestTables.environment(table, "PIVOT_CALLBACK_API_KEYS", "key-a"));
        assertEquals("APPLIED", post(handler, single("PAYOUT.SUCCESS", "pv-d", "SUCCESS", null), "key-a").path("result").asText());
        JsonNode more = post(handler, single("PAYOUT.SUCCESS", "pv-d", "SUCCESS", null).replace("\"100000\"", "\"150000\""), "key-a");
        assertEquals("CONFLICT", more.path("result").asText());
        assertTrue(more.path("anomaly").asText().startsWith("amount_mismatch"), more.toString());
        JsonNode another = post(handler, single("PAYOUT.SUCCESS", "pv-d", "SUCCESS", null)
                .replace("d6a46a2c-1b26-40c5-9ca3-e063e69635a0", "0b7e0f4e-0000-4000-8000-000000000002"), "key-a");
        assertEquals("CONFLICT", another.path("result").asText());
        assertTrue(another.path("anomaly").asText().startsWith("duplicate_provider_payout"), another.toString());
        assertEquals("DUPLICATE", post(handler, single("PAYOUT.SUCCESS", "pv-d", "SUCCESS", null), "key-a").path("result").asText());
        APIGatewayV2HTTPResponse fractional = handler.handleRequest(ApiRequests.post("/callbacks/pivot",
                single("PAYOUT.SUCCESS", "pv-e", "SUCCESS", null).replace("\"100000\"", "\"100000.5\""), "X-API-Key", "key-a"), null);
        assertEquals(400, fractional.getStatusCode());
        assertTrue(TestTables.scan(table).stream().noneMatch(i -> i.get("pk").s().equals("PAYOUT#pv-e")));
    }

    /** Pivot does not retry a 400: every rejection, its own and the core's, is 400. */
    @Test
    void theAnswerPolicyForEveryRejection() {
        Map<Reason, Integer> own = Map.of(Reason.MALFORMED, 400, Reason.UNKNOWN_EVENT, 400,
                Reason.UNMAPPED_STATUS, 400, Reason.UNKNOWN_PAYOUT, 400);
        Map<Reason, Integer> byCore = Map.of(Reason.MALFORMED, 400, Reason.UNKNOWN_EVENT, 400,
                Reason.UNMAPPED_STATUS, 400, Reason.UNKNOWN_PAYOUT, 400);
        RejectionAnswers.assertAnswers(pivot, own, byCore);
    }
}
