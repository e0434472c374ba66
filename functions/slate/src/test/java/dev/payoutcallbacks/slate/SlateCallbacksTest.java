package dev.payoutcallbacks.slate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.payoutcallbacks.core.config.SharedSecrets;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.Quarantine;
import dev.payoutcallbacks.core.payout.OutcomeSource;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutRecord;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.CallbackRejected.Reason;
import dev.payoutcallbacks.core.provider.CallbackRequest;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.testing.ApiRequests;
import dev.payoutcallbacks.core.testing.RejectionAnswers;
import dev.payoutcallbacks.core.testing.TestTables;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlateCallbacksTest {
    private final SlateCallbacks slate = new SlateCallbacks(SharedSecrets.parse("s1,s2"));

    private static CallbackRequest request(String body, String secret) {
        return new CallbackRequest(body.getBytes(StandardCharsets.UTF_8),
                secret == null ? Map.of() : Map.of("x-internal-secret", secret), "10.0.0.1", "req",
                Instant.parse("2026-11-21T08:00:00Z"));
    }

    private PayoutOutcome translate(String body) throws CallbackRejected {
        List<PayoutOutcome> outcomes = slate.translate(request(body, "s1")).outcomes();
        assertEquals(1, outcomes.size());
        return outcomes.get(0);
    }

    @Test
    void slatesThreeStatusesTranslate() throws Exception {
        PayoutOutcome paid = translate("{\"payout_reference\":\"p1\",\"order_key\":\"o1\",\"status\":\"paid\","
                + "\"amount\":\"250.00\",\"currency\":\"USD\"}");
        assertEquals(PayoutStatus.PAID, paid.status());
        assertEquals("p1", paid.payoutReference());
        assertEquals("o1", paid.orderKey());
        assertEquals("250.00", paid.amount().amountText());
        assertEquals(OutcomeSource.INTERNAL, paid.source());

        PayoutOutcome failed = translate("{\"payout_reference\":\"p1\",\"status\":\"failed\",\"failure_reason\":\"Dormant Account\"}");
        assertEquals(PayoutStatus.FAILED, failed.status());
        assertEquals("Dormant Account", failed.failureReason());
        assertNull(failed.amount());

        PayoutOutcome snr = translate("{\"order_key\":\"o9\",\"status\":\"submit_not_received\",\"source\":\"poll\"}");
        assertNull(snr.payoutReference(), "the order key is never made a reference: the ledger resolves it");
        assertEquals("o9", snr.orderKey());
        assertEquals(OutcomeSource.POLL, snr.source());
    }

    @Test
    void canonicalExtensionsTranslate() throws Exception {
        PayoutOutcome refund = translate("{\"payout_reference\":\"p2\",\"status\":\"partially_refunded\",\"provider\":\"commpix\","
                + "\"currency\":\"BRL\",\"adjustment_amount\":\"3.00\",\"adjustment_id\":\"tx-1\","
                + "\"bank_reference\":\"E2E1\",\"event_time\":\"2026-11-20T10:00:00Z\"}");
        assertEquals("commpix", refund.provider());
        assertEquals("3.00", refund.adjustmentAmount().amountText());
        assertEquals("tx-1", refund.adjustmentId());
        assertEquals(Instant.parse("2026-11-20T10:00:00Z"), refund.eventTime());
    }

    @Test
    void malformedBodiesAreRejectedWithAClearMessage() {
        assertMalformed("{\"status\":\"paid\"}", "payout_reference or order_key is required");
        assertMalformed("{\"payout_reference\":\"p\"}", "status is required");
        assertMalformed("{\"payout_reference\":\"p\",\"status\":\"done\"}", "unknown status");
        assertMalformed("{\"payout_reference\":\"p\",\"status\":\"paid\",\"amount\":\"1.5\"}", "currency is required");
        assertMalformed("{\"payout_reference\":\"p\",\"status\":\"paid\",\"amount\":1.5e3,\"currency\":\"USD\"}", "exponent");
        assertMalformed("{\"payout_reference\":\"p\",\"status\":\"paid\",\"amount\":\"-1\",\"currency\":\"USD\"}", "amount");
        assertMalformed("{\"payout_reference\":\"p\",\"status\":\"paid\",\"status\":\"failed\"}", "not valid JSON");
        assertMalformed("[1,2]", "JSON object");
        assertMalformed("{\"payout_reference\":\"p\",\"status\":\"paid\",\"event_time\":\"yesterday\"}", "event_time");
    }

    private void assertMalformed(String body, String messagePart) {
        CallbackRejected e = assertThrows(CallbackRejected.class, () -> slate.translate(request(body, "s1")), body);
        assertEquals(CallbackRejected.Reason.MALFORMED, e.reason());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    void authenticatesWithAnyRotatedSecretOnly() {
        assertTrue(slate.authentic(request("{}", "s1")));
        assertTrue(slate.authentic(request("{}", "s2")));
        assertFalse(slate.authentic(request("{}", "s3")));
        assertFalse(slate.authentic(request("{}", null)));
    }

    @Test
    void routeAppliesAndReadsBack() throws Exception {
        String table = TestTables.freshPayoutsTable();
        Map<String, String> env = TestTables.environment(table, "INTERNAL_SECRETS", "local-secret");
        SlateCallbackHandler handler = new SlateCallbackHandler(env);
        APIGatewayV2HTTPResponse r = handler.handleRequest(ApiRequests.post("/transactions/payout-callback",
                "{\"payout_reference\":\"p3\",\"status\":\"submit_not_received\"}", "X-Internal-Secret", "local-secret"), null);
        assertEquals(200, r.getStatusCode());
        r = handler.handleRequest(ApiRequests.post("/transactions/payout-callback",
                "{\"payout_reference\":\"p3\",\"status\":\"paid\",\"amount\":\"5\",\"currency\":\"EUR\"}",
                "X-Internal-Secret", "local-secret"), null);
        assertEquals("APPLIED", Json.MAPPER.readTree(r.getBody()).path("result").asText());
        assertEquals(401, handler.handleRequest(ApiRequests.post("/transactions/payout-callback",
                "{\"payout_reference\":\"p4\",\"status\":\"paid\"}", "X-Internal-Secret", "nope"), null).getStatusCode());
        TestTables.settleHistory(table);
        PayoutRecord record = TestTables.ledger(table).read("p3").orElseThrow();
        assertEquals(PayoutStatus.PAID, record.state().status());
        assertEquals(2, record.state().version());
        assertEquals(2, record.history().size());
        assertTrue(TestTables.ledger(table).read("p4").isEmpty());
    }

    private static String call(SlateCallbackHandler handler, String body) throws Exception {
        APIGatewayV2HTTPResponse r = handler.handleRequest(ApiRequests.post("/transactions/payout-callback", body,
                "X-Internal-Secret", "local-secret"), null);
        return r.getStatusCode() + " " + Json.MAPPER.readTree(r.getBody()).path("result").asText()
                + " " + Json.MAPPER.readTree(r.getBody()).path("anomaly").asText().replaceAll(":.*", "");
    }

    @Test
    void anOrderKeyOnlyCopyIsThePayoutItNamesAndMoneyDisagreementsAreConflicts() throws Exception {
        String table = TestTables.freshPayoutsTable();
        Map<String, String> env = TestTables.environment(table, "INTERNAL_SECRETS", "local-secret");
        SlateCallbackHandler handler = new SlateCallbackHandler(env);
        assertEquals("200 APPLIED ", call(handler, "{\"payout_reference\":\"R\",\"order_key\":\"K\",\"status\":\"paid\","
                + "\"amount\":\"10.50\",\"currency\":\"USD\"}"));
        // A reconciler copy naming only the order key: the same payout, not a second paid record.
        assertEquals("200 DUPLICATE ", call(handler, "{\"order_key\":\"K\",\"status\":\"paid\",\"amount\":\"10.50\","
                + "\"currency\":\"USD\"}"));
        assertEquals("200 CONFLICT currency_mismatch", call(handler, "{\"payout_reference\":\"R\",\"status\":\"paid\","
                + "\"amount\":\"99.00\",\"currency\":\"EUR\"}"));
        assertEquals("200 CONFLICT amount_mismatch", call(handler, "{\"order_key\":\"K\",\"status\":\"paid\","
                + "\"amount\":\"11.00\",\"currency\":\"USD\"}"));
        // An order key nobody registered: refused and quarantined, never a payout "K2".
        assertEquals("400  ", call(handler, "{\"order_key\":\"K2\",\"status\":\"paid\"}"));
        PayoutLedger ledger = TestTables.ledger(table);
        assertTrue(ledger.read("K").isEmpty());
        assertTrue(ledger.read("K2").isEmpty());
        PayoutRecord r = ledger.read("R").orElseThrow();
        assertEquals("10.50", r.state().amount().amountText());
        assertEquals(1, r.state().version());
        assertTrue(r.state().flaggedForReview());
        assertEquals(1, new Quarantine(TestTables.table(table), Clock.systemUTC()).list("slate").size());
        // A reference with a NUL is refused with a clear 400.
        assertEquals("400  ", call(handler, "{\"payout_reference\":\"R\\u0000x\",\"status\":\"paid\"}"));
    }

    /** Slate's callers read a 400 as "fix the callback": every rejection is 400. */
    @Test
    void theAnswerPolicyForEveryRejection() {
        Map<Reason, Integer> own = Map.of(Reason.MALFORMED, 400, Reason.UNKNOWN_EVENT, 400,
                Reason.UNMAPPED_STATUS, 400, Reason.UNKNOWN_PAYOUT, 400);
        Map<Reason, Integer> byCore = Map.of(Reason.MALFORMED, 400, Reason.UNKNOWN_EVENT, 400,
                Reason.UNMAPPED_STATUS, 400, Reason.UNKNOWN_PAYOUT, 400);
        RejectionAnswers.assertAnswers(slate, own, byCore);
    }
}
