package dev.payoutcallbacks.commpix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.Quarantine;
import dev.payoutcallbacks.core.payout.HistoryEntry;
import dev.payoutcallbacks.core.payout.PayoutRecord;
import dev.payoutcallbacks.core.payout.PayoutState;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.testing.ApiRequests;
import dev.payoutcallbacks.core.testing.TestTables;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handler end to end against DynamoDB Local: auth, idempotency, ordering and refund arithmetic. */
class CommPixCallbackHandlerTest {
    private static final String PATH = "/callbacks/commpix";
    private static final String TOKEN = "test-commpix-token";
    private static final String IPS = "127.0.0.1/32,::1/128,203.0.113.0/24,2001:db8:c0::/48";
    private static final String COMM_IP = "203.0.113.10";

    private String table;
    private CommPixCallbackHandler handler;
    private PayoutLedger ledger;

    @BeforeEach
    void freshTable() {
        table = TestTables.freshPayoutsTable();
        handler = handler("");
        ledger = TestTables.ledger(table);
    }

    private CommPixCallbackHandler handler(String hmacSecrets) {
        return new CommPixCallbackHandler(TestTables.environment(table,
                "COMMPIX_ALLOWED_IPS", IPS, "COMMPIX_TOKENS", "retired-token," + TOKEN,
                "COMMPIX_HMAC_SECRETS", hmacSecrets));
    }

    private APIGatewayV2HTTPResponse send(String body) {
        return send(handler, COMM_IP, body, "X-Webhook-Token", TOKEN);
    }

    private static APIGatewayV2HTTPResponse send(CommPixCallbackHandler h, String ip, String body, String... headers) {
        return h.handleRequest(ApiRequests.postFrom(ip, PATH, body, headers), null);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) throws IOException {
        return Json.MAPPER.readTree(response.getBody());
    }

    private static String result(APIGatewayV2HTTPResponse response) throws IOException {
        assertEquals(200, response.getStatusCode(), response.getBody());
        return json(response).path("result").asText();
    }

    private PayoutState state(String reference) {
        return ledger.read(reference).orElseThrow().state();
    }

    private static String created(String ref, String amount) {
        return CommPixCallbacksTest.payout("PAYOUT_CREATED", ref, amount);
    }

    private static String completed(String ref, String amount) {
        return CommPixCallbacksTest.payout("PAYOUT_COMPLETED", ref, amount);
    }

    private static String failed(String ref, String amount) {
        return CommPixCallbacksTest.payout("PAYOUT_FAILED", ref, amount);
    }

    private static String refund(String ref, String original, String amount, String refundId) {
        return CommPixCallbacksTest.refund(ref, original, amount, refundId);
    }

    private static void assertAmount(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), "expected " + expected + ", was " + actual);
    }

    // --- authentication: 401 and nothing stored ---

    private void assertUnauthenticatedAndNothingStored(APIGatewayV2HTTPResponse response) {
        assertEquals(401, response.getStatusCode(), response.getBody());
        assertFalse(response.getBody().contains(TOKEN));
        assertEquals(List.of(), TestTables.scan(table), "a rejected callback leaves no trace in the table");
    }

    @Test
    void wrongSourceIpIsRejectedEvenWithTheRightToken() {
        assertUnauthenticatedAndNothingStored(send(handler, "198.51.100.20", completed("commpix-a1", "\"1000\""),
                "X-Webhook-Token", TOKEN));
    }

    @Test
    void forwardedForHeaderCannotStandInForTheSourceIp() {
        assertUnauthenticatedAndNothingStored(send(handler, "198.51.100.20", completed("commpix-a2", "\"1000\""),
                "X-Webhook-Token", TOKEN, "X-Forwarded-For", COMM_IP, "X-Real-IP", COMM_IP));
    }

    @Test
    void rightSourceIpWithWrongTokenIsRejected() {
        assertUnauthenticatedAndNothingStored(send(handler, COMM_IP, completed("commpix-a3", "\"1000\""),
                "X-Webhook-Token", "guessed-token"));
    }

    @Test
    void rightSourceIpWithoutTokenIsRejected() {
        assertUnauthenticatedAndNothingStored(send(handler, COMM_IP, completed("commpix-a4", "\"1000\"")));
    }

    @Test
    void ipv6SourcesAreCheckedAgainstTheIpv6AllowList() throws IOException {
        assertUnauthenticatedAndNothingStored(send(handler, "2001:db8:c1::1", completed("commpix-a5", "\"1000\""),
                "X-Webhook-Token", TOKEN));
        assertEquals("APPLIED", result(send(handler, "2001:db8:c0:7::1", completed("commpix-a5", "\"1000\""),
                "X-Webhook-Token", TOKEN)));
        assertEquals("APPLIED", result(send(handler, "::1", completed("commpix-a6", "\"1000\""),
                "X-Webhook-Token", TOKEN)));
    }

    @Test
    void rotatedTokensAreBothAccepted() throws IOException {
        assertEquals("APPLIED", result(send(handler, COMM_IP, completed("commpix-a7", "\"1000\""),
                "X-Webhook-Token", "retired-token")));
    }

    @Test
    void configuredHmacMustBePresentAndMatchTheRawBody() throws IOException {
        CommPixCallbackHandler signedHandler = handler("hmac-one,hmac-two");
        String body = completed("commpix-a8", "\"1000\"");
        String good = CommPixCallbacks.SIGNATURE.sign(body.getBytes(StandardCharsets.UTF_8),
                "hmac-two".getBytes(StandardCharsets.UTF_8));
        String wrong = CommPixCallbacks.SIGNATURE.sign(body.getBytes(StandardCharsets.UTF_8),
                "hmac-three".getBytes(StandardCharsets.UTF_8));
        assertUnauthenticatedAndNothingStored(send(signedHandler, COMM_IP, body, "X-Webhook-Token", TOKEN));
        assertUnauthenticatedAndNothingStored(send(signedHandler, COMM_IP, body, "X-Webhook-Token", TOKEN,
                "X-Signature", wrong));
        assertUnauthenticatedAndNothingStored(send(signedHandler, COMM_IP, body.replace("1000", "1001"),
                "X-Webhook-Token", TOKEN, "X-Signature", good));
        assertUnauthenticatedAndNothingStored(send(signedHandler, "198.51.100.20", body, "X-Webhook-Token", TOKEN,
                "X-Signature", good));
        assertEquals("APPLIED", result(send(signedHandler, COMM_IP, body, "X-Webhook-Token", TOKEN,
                "X-Signature", good)));
    }

    // --- mapping through the ledger ---

    @Test
    void createdThenCompletedEndsPaidWithTheEndToEndId() throws IOException {
        assertEquals("APPLIED", result(send(created("commpix-m1", "\"1000\""))));
        assertEquals(PayoutStatus.PENDING, state("commpix-m1").status());
        JsonNode answer = json(send(completed("commpix-m1", "1000")));
        assertEquals("APPLIED", answer.path("result").asText());
        assertEquals("paid", answer.path("status").asText());
        PayoutState paid = state("commpix-m1");
        assertEquals(PayoutStatus.PAID, paid.status());
        assertEquals("E1234567820261121080000000000001", paid.bankReference());
        assertEquals("c0eb14aa-ef4a-4b36-97cf-f95fffd23d67", paid.providerPayoutId());
        assertAmount("10.00", paid.amount().amount());
        assertEquals("BRL", paid.amount().currency());
        assertEquals(2, paid.version());
    }

    @Test
    void failedIsRecordedAsFailed() throws IOException {
        assertEquals("APPLIED", result(send(failed("commpix-m2", "\"2500\""))));
        assertEquals(PayoutStatus.FAILED, state("commpix-m2").status());
        assertEquals("failed", state("commpix-m2").status().slateStatus());
    }

    // --- duplicates and order ---

    @Test
    void duplicateCompletedIsAppliedOnce() throws IOException {
        assertEquals("APPLIED", result(send(completed("commpix-d1", "\"1000\""))));
        assertEquals("DUPLICATE", result(send(completed("commpix-d1", "\"1000\""))));
        assertEquals("DUPLICATE", result(send(completed("commpix-d1", "1000"))), "same outcome, number-typed");
        TestTables.settleHistory(table);
        PayoutRecord record = ledger.read("commpix-d1").orElseThrow();
        assertEquals(1, record.state().version());
        assertEquals(1, record.history().size());
        assertEquals(1, TestTables.items(table, "STATE").get(0).get("seen").bs().size());
    }

    @Test
    void createdAfterCompletedIsStale() throws IOException {
        assertEquals("APPLIED", result(send(completed("commpix-o1", "\"1000\""))));
        assertEquals("STALE", result(send(created("commpix-o1", "\"1000\""))));
        PayoutState s = state("commpix-o1");
        assertEquals(PayoutStatus.PAID, s.status());
        assertEquals(1, s.version());
        assertFalse(s.flaggedForReview());
    }

    @Test
    void failedAfterCompletedIsAConflictAndPaidStands() throws IOException {
        assertEquals("APPLIED", result(send(completed("commpix-o2", "\"1000\""))));
        JsonNode answer = json(send(failed("commpix-o2", "\"1000\"")));
        assertEquals("CONFLICT", answer.path("result").asText());
        assertTrue(answer.path("anomaly").asText().startsWith("conflict: paid -> failed"), answer.toString());
        PayoutState s = state("commpix-o2");
        assertEquals(PayoutStatus.PAID, s.status());
        assertTrue(s.flaggedForReview());
        assertEquals(1, s.anomalies());
    }

    @Test
    void completedWithAnotherAmountThanCreatedIsAConflict() throws IOException {
        assertEquals("APPLIED", result(send(created("commpix-o3", "\"1000\""))));
        assertEquals("CONFLICT", result(send(completed("commpix-o3", "\"1001\""))));
        assertEquals(PayoutStatus.PENDING, state("commpix-o3").status());
    }

    // --- refund arithmetic ---

    @Test
    void twoPartialRefundsAddUpExactlyToFull() throws IOException {
        assertEquals("APPLIED", result(send(completed("commpix-r1", "\"1000\""))));
        JsonNode first = json(send(refund("commpix-r1", "1000", "300", "refund-1")));
        assertEquals("APPLIED", first.path("result").asText());
        assertEquals("partially_refunded", first.path("status").asText());
        assertAmount("3.00", state("commpix-r1").refunded());
        JsonNode second = json(send(refund("commpix-r1", "1000", "\"700\"", "refund-2")));
        assertEquals("APPLIED", second.path("result").asText());
        assertEquals("refunded", second.path("status").asText());
        PayoutState s = state("commpix-r1");
        assertEquals(PayoutStatus.REFUNDED, s.status());
        assertAmount("10.00", s.refunded());
        assertAmount("10.00", s.amount().amount());
        assertFalse(s.flaggedForReview());
        assertEquals("E1234567820261121080000000000001", s.bankReference(), "the payout's own E2E id stays");
    }

    @Test
    void repeatedRefundIsADuplicateAndTheTotalStays() throws IOException {
        assertEquals("APPLIED", result(send(completed("commpix-r2", "\"1000\""))));
        assertEquals("APPLIED", result(send(refund("commpix-r2", "1000", "300", "refund-1"))));
        assertEquals("DUPLICATE", result(send(refund("commpix-r2", "1000", "300", "refund-1"))));
        assertEquals("DUPLICATE", result(send(refund("commpix-r2", "\"1000\"", "\"300\"", "refund-1"))));
        PayoutState s = state("commpix-r2");
        assertEquals(PayoutStatus.PARTIALLY_REFUNDED, s.status());
        assertAmount("3.00", s.refunded());
        assertEquals(2, s.version());
    }

    @Test
    void twoRefundsOfTheSameAmountAreDifferentRefunds() throws IOException {
        assertEquals("APPLIED", result(send(completed("commpix-r3", "\"1000\""))));
        assertEquals("APPLIED", result(send(refund("commpix-r3", "1000", "500", "refund-a"))));
        assertEquals("APPLIED", result(send(refund("commpix-r3", "1000", "500", "refund-b"))));
        assertEquals(PayoutStatus.REFUNDED, state("commpix-r3").status());
        assertAmount("10.00", state("commpix-r3").refunded());
    }

    @Test
    void refundBeyondThePaidAmountIsAConflictAndFlagged() throws IOException {
        assertEquals("APPLIED", result(send(completed("commpix-r4", "\"1000\""))));
        assertEquals("APPLIED", result(send(refund("commpix-r4", "1000", "600", "refund-1"))));
        JsonNode over = json(send(refund("commpix-r4", "1000", "401", "refund-2")));
        assertEquals("CONFLICT", over.path("result").asText());
        assertTrue(over.path("anomaly").asText().startsWith("refund_exceeds_paid"), over.toString());
        PayoutState s = state("commpix-r4");
        assertEquals(PayoutStatus.PARTIALLY_REFUNDED, s.status());
        assertAmount("6.00", s.refunded());
        assertTrue(s.flaggedForReview());
        assertEquals(1, s.anomalies());
        assertEquals("DUPLICATE", result(send(refund("commpix-r4", "1000", "401", "refund-2"))),
                "the flagged refund is recorded once, not re-flagged by retries");
        assertEquals(1, state("commpix-r4").anomalies());
    }

    @Test
    void singleRefundLargerThanThePayoutIsAConflict() throws IOException {
        assertEquals("APPLIED", result(send(completed("commpix-r5", "\"1000\""))));
        assertEquals("CONFLICT", result(send(refund("commpix-r5", "1000", "1001", "refund-1"))));
        assertEquals(PayoutStatus.PAID, state("commpix-r5").status());
        assertAmount("0", state("commpix-r5").refunded());
        assertTrue(state("commpix-r5").flaggedForReview());
    }

    @Test
    void fullRefundInOneGoIsRefundedNotPartial() throws IOException {
        assertEquals("APPLIED", result(send(completed("commpix-r6", "\"1000\""))));
        JsonNode full = json(send(refund("commpix-r6", "1000", "1000", "refund-1")));
        assertEquals("refunded", full.path("status").asText());
        PayoutState s = state("commpix-r6");
        assertEquals(PayoutStatus.REFUNDED, s.status());
        assertEquals("failed", s.status().slateStatus(), "fully refunded money is back: Slate re-credits");
        assertAmount("10.00", s.refunded());
        assertEquals("APPLIED", result(send(completed("commpix-r7", "\"1000\""))));
        JsonNode partial = json(send(refund("commpix-r7", "1000", "999", "refund-1")));
        assertEquals("partially_refunded", partial.path("status").asText());
        assertEquals(PayoutStatus.PARTIALLY_REFUNDED, state("commpix-r7").status());
    }

    @Test
    void refundWhoseOriginalAmountDisagreesWithThePaidAmountIsAConflict() throws IOException {
        assertEquals("APPLIED", result(send(completed("commpix-r8", "\"1000\""))));
        assertEquals("CONFLICT", result(send(refund("commpix-r8", "2000", "1000", "refund-1"))));
        assertAmount("0", state("commpix-r8").refunded());
    }

    @Test
    void refundBeforeTheCompletionAppliesAndTheLateCompletionIsStale() throws IOException {
        // Order is not guaranteed. A refund proves the completion it follows, so it applies at once;
        // the completion arriving later changes nothing, and the totals match the in-order delivery.
        assertEquals("APPLIED", result(send(created("commpix-r9", "\"1000\""))));
        assertEquals("APPLIED", result(send(refund("commpix-r9", "1000", "300", "refund-1"))));
        assertEquals("STALE", result(send(completed("commpix-r9", "\"1000\""))));
        assertEquals("APPLIED", result(send(refund("commpix-r9", "1000", "700", "refund-2"))));
        PayoutState s = state("commpix-r9");
        assertEquals(PayoutStatus.REFUNDED, s.status());
        assertEquals(0, new BigDecimal("10.00").compareTo(s.refunded()));
        assertFalse(s.flaggedForReview());
    }

    // --- rejected but authenticated ---

    @Test
    void malformedBodyIsQuarantinedByteExactWith400() throws IOException {
        String body = "{\"type\":\"PAYOUT_COMPLETED\",\"data\":{\"externalId\":\"commpix-q1\",\"amount\":\"10.00\"}}";
        APIGatewayV2HTTPResponse response = send(body);
        assertEquals(400, response.getStatusCode(), response.getBody());
        assertEquals("malformed", json(response).path("error").asText());
        List<Quarantine.Entry> entries = new Quarantine(TestTables.table(table), Clock.systemUTC())
                .list("commpix");
        assertEquals(1, entries.size());
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), entries.get(0).rawBody());
        assertEquals("MALFORMED", entries.get(0).reason());
        assertEquals(json(response).path("quarantineId").asText(), entries.get(0).id());
        assertTrue(ledger.read("commpix-q1").isEmpty(), "nothing applied");
        assertTrue(entries.get(0).headers().isEmpty(), "the token header is never kept");
    }

    @Test
    void unknownTypeIsQuarantinedAndAcknowledged() throws IOException {
        String body = "{\"type\":\"PAYOUT_REVERSED\",\"data\":{\"externalId\":\"commpix-q2\",\"amount\":\"1000\"}}";
        APIGatewayV2HTTPResponse response = send(body);
        assertEquals(200, response.getStatusCode(), "acknowledged: Comm.Pix's retries cannot fix an unknown type");
        JsonNode answer = json(response);
        assertEquals("unknown_event", answer.path("reason").asText());
        assertEquals("QUARANTINED", answer.path("result").asText(), "not reported as applied");
        assertNull(answer.get("error"), "a 2xx carries no error");
        List<Quarantine.Entry> entries = new Quarantine(TestTables.table(table), Clock.systemUTC())
                .list("commpix");
        assertEquals(1, entries.size());
        assertEquals("UNKNOWN_EVENT", entries.get(0).reason());
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), entries.get(0).rawBody());
        assertTrue(ledger.read("commpix-q2").isEmpty());
    }

    @Test
    void quarantineKeepsTheSignatureWhenHmacIsConfigured() {
        CommPixCallbackHandler signedHandler = handler("hmac-one");
        String body = "{\"type\":\"PAYOUT_SOMETHING_NEW\",\"data\":{\"externalId\":\"commpix-q3\"}}";
        String mac = CommPixCallbacks.SIGNATURE.sign(body.getBytes(StandardCharsets.UTF_8),
                "hmac-one".getBytes(StandardCharsets.UTF_8));
        APIGatewayV2HTTPResponse response = send(signedHandler, COMM_IP, body, "X-Webhook-Token", TOKEN,
                "X-Signature", mac);
        assertEquals(200, response.getStatusCode(), response.getBody());
        Quarantine.Entry entry = new Quarantine(TestTables.table(table), Clock.systemUTC())
                .list("commpix").get(0);
        assertEquals(mac, entry.headers().get("X-Signature"));
        assertFalse(entry.headers().containsValue(TOKEN));
    }

    @Test
    void storedHistoryHasPersonalDataMasked() {
        String body = completed("commpix-p1", "\"1000\"").replace("\"accountId\"",
                "\"receiver\":{\"name\":\"Maria Silva\",\"cpf\":\"12345678909\"},\"accountId\"");
        assertEquals(200, send(body).getStatusCode());
        HistoryEntry entry = ledger.read("commpix-p1").orElseThrow().history().get(0);
        assertFalse(entry.rawPayload().contains("Maria"));
        assertFalse(entry.rawPayload().contains("12345678909"));
        String everything = TestTables.scan(table).toString();
        assertFalse(everything.contains("12345678909"));
    }

    private String anomaly(APIGatewayV2HTTPResponse response) throws IOException {
        return json(response).path("anomaly").asText().replaceAll(":.*", "");
    }

    @Test
    void theSameCompletionWithOtherMoneyOrAnotherPixPayoutIsAConflict() throws IOException {
        assertEquals("APPLIED", result(send(completed("commpix-d1", "\"1000\""))));
        APIGatewayV2HTTPResponse more = send(completed("commpix-d1", "2000"));
        assertEquals("CONFLICT", result(more));
        assertEquals("amount_mismatch", anomaly(more));
        APIGatewayV2HTTPResponse another = send(completed("commpix-d1", "1000")
                .replace("c0eb14aa-ef4a-4b36-97cf-f95fffd23d67", "ffffffff-0000-4000-8000-000000000002"));
        assertEquals("CONFLICT", result(another));
        assertEquals("duplicate_provider_payout", anomaly(another));
        assertEquals("DUPLICATE", result(send(completed("commpix-d1", "1000"))));
        PayoutState s = state("commpix-d1");
        assertAmount("10.00", s.amount().amount());
        assertEquals("c0eb14aa-ef4a-4b36-97cf-f95fffd23d67", s.providerPayoutId());
        assertTrue(s.flaggedForReview());
    }

    @Test
    void aRefundFirstThenACompletionWithOtherMoneyIsAConflictNotStale() throws IOException {
        assertEquals("APPLIED", result(send(refund("commpix-d2", "1000", "300", "rf-1"))));
        APIGatewayV2HTTPResponse completion = send(completed("commpix-d2", "\"2000\""));
        assertEquals("CONFLICT", result(completion));
        assertEquals("amount_mismatch", anomaly(completion));
        // The same refund id again with another amount: counted once, and flagged.
        APIGatewayV2HTTPResponse again = send(refund("commpix-d2", "1000", "400", "rf-1"));
        assertEquals("CONFLICT", result(again));
        assertEquals("amount_mismatch", anomaly(again));
        PayoutState s = state("commpix-d2");
        assertAmount("3.00", s.refunded());
        assertEquals(PayoutStatus.PARTIALLY_REFUNDED, s.status());
    }

    @Test
    void aCompletionWhoseDataStatusSaysFailedIsQuarantinedNotApplied() throws IOException {
        APIGatewayV2HTTPResponse response = send(completed("commpix-d3", "\"1000\"").replace("\"ANY\"", "\"FAILED\""));
        assertEquals(400, response.getStatusCode(), response.getBody());
        assertEquals("malformed", json(response).path("error").asText());
        assertTrue(ledger.read("commpix-d3").isEmpty());
        assertEquals(1, new Quarantine(TestTables.table(table), Clock.systemUTC()).list("commpix").size());
    }
}
