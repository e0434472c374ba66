package dev.payoutcallbacks.m2money;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.core.config.SharedSecrets;
import dev.payoutcallbacks.core.lambda.CallbackLog;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.Quarantine;
import dev.payoutcallbacks.core.payout.ApplyResult;
import dev.payoutcallbacks.core.payout.HistoryEntry;
import dev.payoutcallbacks.core.payout.PayoutRecord;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.testing.ApiRequests;
import dev.payoutcallbacks.core.testing.TestTables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The handler as Lambda runs it, against a fresh table in DynamoDB Local. */
class M2MoneyCallbackHandlerTest {
    private static final String PATH = "/callbacks/m2money";

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private String table;
    private M2MoneyCallbackHandler handler;
    private PayoutLedger ledger;

    @BeforeEach
    void setUp() {
        table = TestTables.freshPayoutsTable();
        handler = new M2MoneyCallbackHandler(TestTables.environment(table,
                "M2MONEY_WEBHOOK_SECRETS", "older-m2money-secret," + M2MoneyPayloads.SECRET));
        ledger = TestTables.ledger(table);
        CallbackLog.redirect(new PrintStream(logged, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        CallbackLog.redirect(System.out);
    }

    private APIGatewayV2HTTPResponse deliver(String body) {
        return handler.handleRequest(ApiRequests.post(PATH, body, "Signature", M2MoneyPayloads.signature(body)), null);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.MAPPER.readTree(response.getBody());
    }

    private static String result(APIGatewayV2HTTPResponse response) throws Exception {
        assertEquals(200, response.getStatusCode(), response.getBody());
        return json(response).path("result").asText();
    }

    private PayoutRecord record(String reference) {
        TestTables.settleHistory(table);
        return ledger.read(reference).orElseThrow();
    }

    private Quarantine quarantine() {
        return new Quarantine(TestTables.table(table), Clock.systemUTC());
    }

    // --- authentication -------------------------------------------------------------------------

    @Test
    void wrongSecretTamperedBodyAndMissingHeaderAre401AndStoreNothing() {
        String body = M2MoneyPayloads.success("m2money-auth-1", "\"100.00\"");
        String wrong = M2MoneyCallbacks.SIGNATURE.sign(body.getBytes(StandardCharsets.UTF_8), "not-the-m2money-secret");
        String tampered = body.replace("100.00", "900.00");

        assertEquals(401, handler.handleRequest(ApiRequests.post(PATH, body, "Signature", wrong), null).getStatusCode());
        assertEquals(401, handler.handleRequest(ApiRequests.post(PATH, tampered, "Signature",
                M2MoneyPayloads.signature(body)), null).getStatusCode());
        assertEquals(401, handler.handleRequest(ApiRequests.post(PATH, body), null).getStatusCode());
        assertEquals(401, handler.handleRequest(ApiRequests.post(PATH, "not json", "Signature", wrong), null).getStatusCode());

        assertEquals(List.of(), TestTables.scan(table), "nothing is stored for an unauthenticated callback");
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("\"result\":\"unauthenticated\""));
    }

    @Test
    void bodyWithEscapedSlashesVerifiesOnItsRawBytes() throws Exception {
        String body = M2MoneyPayloads.failed("m2money-auth-2", "\"75.00\"", "\"Account closed\\/frozen\"");
        assertTrue(body.contains("\\/"));
        assertEquals("APPLIED", result(deliver(body)));
        assertEquals("Account closed/frozen", record("m2money-auth-2").state().failureReason());
    }

    @Test
    void rotatedOutSecretStillVerifiesWhileListed() throws Exception {
        String body = M2MoneyPayloads.success("m2money-auth-3", "\"1.00\"");
        String old = M2MoneyCallbacks.SIGNATURE.sign(body.getBytes(StandardCharsets.UTF_8), "older-m2money-secret");
        assertEquals("APPLIED", result(handler.handleRequest(ApiRequests.post(PATH, body, "Signature", old), null)));
    }

    // --- applying --------------------------------------------------------------------------------

    @Test
    void successIsRecordedWithUtrAndProviderId() throws Exception {
        APIGatewayV2HTTPResponse answer = deliver(M2MoneyPayloads.success("m2money-apply-1", "50000"));
        assertEquals("APPLIED", result(answer));
        assertEquals("paid", json(answer).path("status").asText());
        var state = record("m2money-apply-1").state();
        assertEquals(PayoutStatus.PAID, state.status());
        assertEquals("412345678901", state.bankReference());
        assertEquals("REF" + Math.abs("m2money-apply-1".hashCode()), state.providerPayoutId());
        assertEquals("50000", state.amount().amountText());
        assertEquals("INR", state.amount().currency());
    }

    @Test
    void duplicateDeliveryIsAppliedOnce() throws Exception {
        String body = M2MoneyPayloads.success("m2money-dup-1", "\"200.00\"");
        assertEquals("APPLIED", result(deliver(body)));
        assertEquals("DUPLICATE", result(deliver(body)));
        // The sender's retry of the same outcome with the amount as a number is the same outcome too.
        assertEquals("DUPLICATE", result(deliver(M2MoneyPayloads.success("m2money-dup-1", "200"))));
        PayoutRecord r = record("m2money-dup-1");
        assertEquals(1, r.state().version());
        assertEquals(1, r.history().size());
    }

    @Test
    void reversalAfterSuccessIsApplied() throws Exception {
        assertEquals("APPLIED", result(deliver(M2MoneyPayloads.success("m2money-rev-1", "\"300.00\""))));
        APIGatewayV2HTTPResponse answer = deliver(M2MoneyPayloads.reversal("payout.transfer.reverse", "m2money-rev-1", "300"));
        assertEquals("APPLIED", result(answer));
        assertEquals("reversed", json(answer).path("status").asText());
        PayoutRecord r = record("m2money-rev-1");
        assertEquals(PayoutStatus.REVERSED, r.state().status());
        assertEquals(2, r.state().version());
        assertFalse(r.state().flaggedForReview());
        assertEquals("412345678901", r.state().bankReference(), "the success's UTR is kept");
        HistoryEntry reversal = r.history().get(1);
        assertEquals("300", reversal.adjustmentAmount().amountText());
        // The other spelling of the same reversal is the same outcome.
        assertEquals("DUPLICATE", result(deliver(M2MoneyPayloads.reversal("payout.transfer.reversed", "m2money-rev-1", "\"300.00\""))));
    }

    @Test
    void reversalOfADifferentAmountIsAConflict() throws Exception {
        assertEquals("APPLIED", result(deliver(M2MoneyPayloads.success("m2money-rev-2", "\"300.00\""))));
        assertEquals("CONFLICT", result(deliver(M2MoneyPayloads.reversal("payout.transfer.reverse", "m2money-rev-2", "\"30.00\""))));
        PayoutRecord r = record("m2money-rev-2");
        assertEquals(PayoutStatus.PAID, r.state().status());
        assertTrue(r.state().reviewReason().startsWith("amount_mismatch"));
    }

    @Test
    void failedAfterSuccessIsAConflictAndTheSuccessStands() throws Exception {
        assertEquals("APPLIED", result(deliver(M2MoneyPayloads.success("m2money-ooo-1", "\"120.00\""))));
        APIGatewayV2HTTPResponse answer = deliver(M2MoneyPayloads.failed("m2money-ooo-1", "\"120.00\"", "\"Bank timeout\""));
        assertEquals("CONFLICT", result(answer));
        assertNotNull(json(answer).get("anomaly"));
        PayoutRecord r = record("m2money-ooo-1");
        assertEquals(PayoutStatus.PAID, r.state().status());
        assertTrue(r.state().flaggedForReview());
        assertEquals("conflict: paid -> failed", r.state().reviewReason());
        assertEquals(List.of(ApplyResult.APPLIED, ApplyResult.CONFLICT), r.history().stream().map(HistoryEntry::result).toList());
    }

    /**
     * The reversal overtakes the success. A reversal proves the success it follows, so it applies at once
     * (REVERSED) and the late success is STALE: the same final state as in order, nothing waits for a person,
     * and a retry of the reversal is a DUPLICATE.
     */
    @Test
    void successAfterReversalEndsReversedAsInOrder() throws Exception {
        APIGatewayV2HTTPResponse first = deliver(M2MoneyPayloads.reversal("payout.transfer.reversed", "m2money-ooo-2", "\"80.00\""));
        assertEquals("APPLIED", result(first));
        assertEquals(PayoutStatus.REVERSED, record("m2money-ooo-2").state().status());

        assertEquals("STALE", result(deliver(M2MoneyPayloads.success("m2money-ooo-2", "\"80.00\""))));
        assertEquals("DUPLICATE", result(deliver(M2MoneyPayloads.reversal("payout.transfer.reversed", "m2money-ooo-2", "\"80.00\""))));

        PayoutRecord r = record("m2money-ooo-2");
        assertEquals(PayoutStatus.REVERSED, r.state().status());
        assertEquals(1, r.state().version());
        assertEquals(0, r.state().anomalies());
        assertEquals(false, r.state().flaggedForReview());
        assertEquals(List.of(PayoutStatus.REVERSED, PayoutStatus.PAID), r.history().stream().map(HistoryEntry::reported).toList());
        assertEquals(List.of(ApplyResult.APPLIED, ApplyResult.STALE), r.history().stream().map(HistoryEntry::result).toList());
    }

    // --- quarantine ------------------------------------------------------------------------------

    @Test
    void malformedAuthenticatedBodyIs400AndQuarantinedByteExact() throws Exception {
        String body = "{\"event\":\"payout.transfer.success\",\"code\":\"0x0200\",\"data\":{\"clientRefId\":\"m2money-bad-1\","
                + "\"amount\":1.5e3,\"status\":\"processed\",\"note\":\"a\\/b \\u00e9\"}}";
        String signature = M2MoneyPayloads.signature(body);
        APIGatewayV2HTTPResponse answer = handler.handleRequest(ApiRequests.post(PATH, body, "Signature", signature), null);
        assertEquals(400, answer.getStatusCode());
        assertEquals("malformed", json(answer).path("error").asText());

        List<Quarantine.Entry> entries = quarantine().list("m2money");
        assertEquals(1, entries.size());
        Quarantine.Entry entry = entries.get(0);
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), entry.rawBody());
        assertEquals("MALFORMED", entry.reason());
        assertEquals(json(answer).path("quarantineId").asText(), entry.id());
        assertEquals(signature, entry.headers().get("Signature"), "kept so the replay can be verified");
        assertTrue(M2MoneyCallbacks.SIGNATURE.verify(entry.rawBody(), entry.headers().get("Signature"),
                SharedSecrets.parse(M2MoneyPayloads.SECRET)));
        assertTrue(ledger.read("m2money-bad-1").isEmpty(), "no payout state from a quarantined body");
    }

    @Test
    void unknownEventIsQuarantinedAndAcknowledgedSoTheSenderStopsRetrying() throws Exception {
        String body = M2MoneyPayloads.custom("payout.transfer.onhold", "0x0206", "queued", "m2money-unk-1", "\"5.00\"");
        APIGatewayV2HTTPResponse answer = deliver(body);
        assertEquals(200, answer.getStatusCode());
        assertEquals("unknown_event", json(answer).path("reason").asText());
        assertEquals("QUARANTINED", json(answer).path("result").asText());
        List<Quarantine.Entry> entries = quarantine().list("m2money");
        assertEquals(1, entries.size());
        assertEquals("UNKNOWN_EVENT", entries.get(0).reason());
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), entries.get(0).rawBody());
        assertTrue(ledger.read("m2money-unk-1").isEmpty());
    }

    @Test
    void contradictoryEventAndCodeIsQuarantinedAsUnmapped() throws Exception {
        String body = M2MoneyPayloads.custom("payout.transfer.success", "0x0202", "processed", "m2money-unk-2", "\"5.00\"");
        APIGatewayV2HTTPResponse answer = deliver(body);
        assertEquals(200, answer.getStatusCode());
        assertEquals("unmapped_status", json(answer).path("reason").asText());
        assertEquals("UNMAPPED_STATUS", quarantine().list("m2money").get(0).reason());
        assertTrue(ledger.read("m2money-unk-2").isEmpty());
    }

    // --- personal data -----------------------------------------------------------------------------

    @Test
    void personalDataReachesNeitherStoredHistoryNorLogs() throws Exception {
        String reason = "\"Beneficiary Testpayee Fakesurname (50100999888777) rejected\"";
        assertEquals("APPLIED", result(deliver(M2MoneyPayloads.success("m2money-pii-1", "\"10.00\""))));
        assertEquals("APPLIED", result(deliver(M2MoneyPayloads.failed("m2money-pii-2", "\"10.00\"", reason))));
        assertEquals("APPLIED", result(deliver(M2MoneyPayloads.reversal("payout.transfer.reverse", "m2money-pii-1", "\"10.00\""))));

        String log = logged.toString(StandardCharsets.UTF_8);
        assertEquals(3, log.lines().count(), "one line per callback");
        for (String reference : List.of("m2money-pii-1", "m2money-pii-2")) {
            PayoutRecord r = record(reference);
            for (HistoryEntry h : r.history()) {
                assertTrue(h.rawPayload().contains("\"firstName\":\"***\""), "the stored payload is the masked one");
                for (String value : M2MoneyPayloads.PERSONAL_VALUES) {
                    assertFalse(h.rawPayload().contains(value), reference + " history payload leaks " + value);
                    assertFalse(String.valueOf(h.failureReason()).contains(value), reference + " reason leaks " + value);
                }
            }
        }
        List<Map<String, AttributeValue>> items = TestTables.scan(table);
        assertFalse(items.isEmpty());
        for (Map<String, AttributeValue> item : items) {
            String stored = item.toString();
            for (String value : M2MoneyPayloads.PERSONAL_VALUES) {
                assertFalse(stored.contains(value), "table item " + item.get("sk") + " leaks " + value);
                assertFalse(log.contains(value), "log leaks " + value);
            }
        }
        assertTrue(log.contains("m2money-pii-1"), "the log still names the payout");
    }

    @Test
    void theSameSuccessWithOtherMoneyOrAnotherTransferIsAConflictNeverADuplicate() throws Exception {
        assertEquals("APPLIED", result(deliver(M2MoneyPayloads.success("m2money-dis-1", "\"1500.00\""))));
        APIGatewayV2HTTPResponse more = deliver(M2MoneyPayloads.success("m2money-dis-1", "\"1600.00\""));
        assertEquals("CONFLICT", result(more));
        assertTrue(json(more).path("anomaly").asText().startsWith("amount_mismatch"), more.getBody());
        assertEquals("DUPLICATE", result(deliver(M2MoneyPayloads.success("m2money-dis-1", "\"1600.00\""))),
                "the same disagreement again");
        assertEquals("DUPLICATE", result(deliver(M2MoneyPayloads.success("m2money-dis-1", "1500"))),
                "the agreeing copy (a number this time) is the success again");
        // Another M2Money order (orderRefId) and UTR completing for this reference: money may be out twice.
        String secondOrder = M2MoneyPayloads.success("m2money-dis-1", "\"1500.00\"")
                .replace("\"orderRefId\":\"REF", "\"orderRefId\":\"OTHER").replace("412345678901", "499999999999");
        APIGatewayV2HTTPResponse second = deliver(secondOrder);
        assertEquals("CONFLICT", result(second));
        assertTrue(json(second).path("anomaly").asText().startsWith("duplicate_provider_payout"), second.getBody());
        PayoutRecord r = record("m2money-dis-1");
        assertEquals("1500.00", r.state().amount().amountText(), "known values kept");
        assertEquals("412345678901", r.state().bankReference());
        assertEquals(1, r.state().version());
        assertTrue(r.state().flaggedForReview());
    }
}
