package dev.payoutcallbacks.m2money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payoutcallbacks.core.config.SharedSecrets;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.CallbackRejected.Reason;
import dev.payoutcallbacks.core.provider.CallbackRequest;
import dev.payoutcallbacks.core.provider.Translation;
import dev.payoutcallbacks.core.testing.RejectionAnswers;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Translation only: no signature, no DynamoDB. */
class M2MoneyCallbacksTest {
    private final M2MoneyCallbacks callbacks = new M2MoneyCallbacks(SharedSecrets.parse(M2MoneyPayloads.SECRET));

    private static CallbackRequest request(String body) {
        return new CallbackRequest(body.getBytes(StandardCharsets.UTF_8),
                Map.of("signature", M2MoneyPayloads.signature(body)), "203.0.113.10", "req-1",
                Instant.parse("2026-11-21T08:00:00Z"));
    }

    private PayoutOutcome single(String body) throws CallbackRejected {
        Translation translation = callbacks.translate(request(body));
        assertEquals(1, translation.outcomes().size());
        assertNull(translation.batchNotice());
        return translation.outcomes().get(0);
    }

    private CallbackRejected rejected(String body) {
        return assertThrows(CallbackRejected.class, () -> callbacks.translate(request(body)));
    }

    @Test
    void successIsPaidKeyedByClientRefWithUtr() throws Exception {
        PayoutOutcome o = single(M2MoneyPayloads.success("m2money-po-1", "\"1250.50\""));
        assertEquals(PayoutStatus.PAID, o.status());
        assertEquals("m2money-po-1", o.payoutReference());
        assertEquals("REF" + Math.abs("m2money-po-1".hashCode()), o.providerPayoutId());
        assertEquals("412345678901", o.bankReference());
        assertTrue(new Money(new BigDecimal("1250.50"), "INR").sameAs(o.amount()));
        assertEquals("1250.50", o.amount().amountText());
        assertEquals("m2money", o.provider());
        assertEquals("payout.transfer.success/processed", o.stage());
        assertNull(o.failureReason());
        assertNull(o.adjustmentAmount());
        assertEquals("m2money-po-1|PAID", o.dedupKey());
    }

    @Test
    void failedKeepsTheReason() throws Exception {
        PayoutOutcome o = single(M2MoneyPayloads.failed("m2money-po-2", "5100", "\"Invalid beneficiary account\""));
        assertEquals(PayoutStatus.FAILED, o.status());
        assertEquals("Invalid beneficiary account", o.failureReason());
        assertEquals("5100", o.amount().amountText());
        assertNull(o.bankReference());
    }

    @Test
    void failedEventWithCancelledStatusIsCancelled() throws Exception {
        PayoutOutcome o = single(M2MoneyPayloads.custom("payout.transfer.failed", "0x0202", "cancelled", "m2money-po-3", "\"10\""));
        assertEquals(PayoutStatus.CANCELLED, o.status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"payout.transfer.reverse", "payout.transfer.reversed"})
    void bothReversalSpellingsAreReversedWithTheAmountAsAdjustment(String event) throws Exception {
        PayoutOutcome o = single(M2MoneyPayloads.reversal(event, "m2money-po-4", "\"99.90\""));
        assertEquals(PayoutStatus.REVERSED, o.status());
        assertEquals("99.90", o.adjustmentAmount().amountText());
        assertEquals("INR", o.adjustmentAmount().currency());
        assertTrue(o.adjustmentAmount().sameAs(o.amount()));
        assertEquals("Credit returned by beneficiary bank", o.failureReason());
        assertEquals("m2money-po-4|REVERSED", o.dedupKey());
    }

    @Test
    void reversalWithoutAmountIsMalformed() {
        String body = M2MoneyPayloads.envelope("payout.transfer.reverse", "0x0207", "Transaction Reversed",
                "\"clientRefId\":\"m2money-po-5\",\"status\":\"reversed\"");
        assertEquals(CallbackRejected.Reason.MALFORMED, rejected(body).reason());
    }

    @Test
    void amountAsNumberEqualsAmountAsString() throws Exception {
        Money asNumber = single(M2MoneyPayloads.success("m2money-po-6", "50000.5")).amount();
        Money asString = single(M2MoneyPayloads.success("m2money-po-6", "\"50000.50\"")).amount();
        assertTrue(asNumber.sameAs(asString));
        assertEquals("50000.5", asNumber.amountText()); // the exact text received, no binary rounding
    }

    @ParameterizedTest
    @ValueSource(strings = {"5e4", "5E+4", "1.5e1", "\"5e4\"", "\"-10.00\"", "-10", "\"10.005\"", "10.005",
            "\"1,000.00\"", "\"\"", "\"ten\"", "true", "{\"value\":\"10\"}", "\"+10\"", "\".5\""})
    void refusesAmountsThatAreNotPlainRupees(String amountJson) {
        CallbackRejected e = rejected(M2MoneyPayloads.success("m2money-po-7", amountJson));
        assertEquals(CallbackRejected.Reason.MALFORMED, e.reason());
        assertEquals(400, callbacks.rejectionAnswer(e));
    }

    @Test
    void amountMayBeAbsentOutsideReversals() throws Exception {
        String body = M2MoneyPayloads.envelope("payout.transfer.success", "0x0200", "Transaction Successful",
                "\"clientRefId\":\"m2money-po-8\",\"status\":\"processed\",\"utr\":\"1\"");
        assertNull(single(body).amount());
    }

    @Test
    void missingStatusTakesTheEventsAndMissingCodeIsAccepted() throws Exception {
        PayoutOutcome o = single(M2MoneyPayloads.custom("payout.transfer.failed", null, null, "m2money-po-9", "\"1\""));
        assertEquals(PayoutStatus.FAILED, o.status());
        assertEquals("payout.transfer.failed/-", o.stage());
    }

    @Test
    void statusAndCodeAreReadCaseInsensitively() throws Exception {
        PayoutOutcome o = single(M2MoneyPayloads.custom("payout.transfer.success", "0X0200", "Processed", "m2money-po-10", "\"1\""));
        assertEquals(PayoutStatus.PAID, o.status());
    }

    /** Every documented status is in the table; each event accepts exactly its own. */
    @ParameterizedTest
    @CsvSource({
            "payout.transfer.success,  0x0200, processed,  PAID",
            "payout.transfer.success,  0x0200, failed,     REJECT",
            "payout.transfer.success,  0x0200, reversed,   REJECT",
            "payout.transfer.success,  0x0200, queued,     REJECT",
            "payout.transfer.success,  0x0200, processing, REJECT",
            "payout.transfer.success,  0x0200, pending,    REJECT",
            "payout.transfer.failed,   0x0202, failed,     FAILED",
            "payout.transfer.failed,   0x0202, cancelled,  CANCELLED",
            "payout.transfer.failed,   0x0202, processed,  REJECT",
            "payout.transfer.failed,   0x0202, queued,     REJECT",
            "payout.transfer.reverse,  0x0207, reversed,   REVERSED",
            "payout.transfer.reversed, 0x0207, reversed,   REVERSED",
            "payout.transfer.reverse,  0x0207, processed,  REJECT",
            "payout.transfer.reverse,  0x0207, failed,     REJECT",
            "payout.transfer.success,  0x0200, on_hold,    REJECT",
            "payout.transfer.failed,   0x0202, expired,    REJECT",
    })
    void eventAndStatusMapping(String event, String code, String status, String expected) throws Exception {
        String body = M2MoneyPayloads.custom(event, code, status, "m2money-po-11", "\"100.00\"");
        if (expected.equals("REJECT")) {
            CallbackRejected e = rejected(body);
            assertEquals(CallbackRejected.Reason.UNMAPPED_STATUS, e.reason());
            assertEquals(M2MoneyCallbacks.DEFAULT_UNTRANSLATABLE_HTTP_STATUS, callbacks.rejectionAnswer(e));
        } else {
            assertEquals(PayoutStatus.valueOf(expected), single(body).status());
        }
    }

    @Test
    void statusTableCoversEveryDocumentedStatus() {
        assertEquals(Set.of("queued", "pending", "processing", "processed", "failed", "cancelled", "reversed"),
                M2MoneyCallbacks.STATUSES.keySet());
    }

    @ParameterizedTest
    @CsvSource({
            "payout.transfer.success,  0x0202",
            "payout.transfer.success,  0x0207",
            "payout.transfer.failed,   0x0200",
            "payout.transfer.reversed, 0x0202",
            "payout.transfer.reverse,  0x0206",
    })
    void eventAndCodeDisagreeingIsQuarantinedNotGuessed(String event, String code) {
        CallbackRejected e = rejected(M2MoneyPayloads.custom(event, code, null, "m2money-po-12", "\"1\""));
        assertEquals(CallbackRejected.Reason.UNMAPPED_STATUS, e.reason());
        assertTrue(e.getMessage().contains(code));
    }

    @Test
    void unknownEventIsRejectedWithTheConfiguredStatus() {
        String body = M2MoneyPayloads.custom("payout.transfer.hold", "0x0206", "queued", "m2money-po-13", "\"1\"");
        CallbackRejected e = rejected(body);
        assertEquals(CallbackRejected.Reason.UNKNOWN_EVENT, e.reason());
        assertEquals(200, callbacks.rejectionAnswer(e));

        M2MoneyCallbacks strict = new M2MoneyCallbacks(SharedSecrets.parse(M2MoneyPayloads.SECRET), 400);
        CallbackRejected e400 = assertThrows(CallbackRejected.class, () -> strict.translate(request(body)));
        assertEquals(400, strict.rejectionAnswer(e400));
    }

    @Test
    void clientRefIdIsRequiredEvenWhenOrderRefIdIsThere() {
        String body = M2MoneyPayloads.envelope("payout.transfer.success", "0x0200", "Transaction Successful",
                "\"orderRefId\":\"REF1\",\"amount\":\"1\",\"status\":\"processed\"");
        CallbackRejected e = rejected(body);
        assertEquals(CallbackRejected.Reason.MALFORMED, e.reason());
        assertEquals(400, callbacks.rejectionAnswer(e));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "{\"event\":\"payout.transfer.success\"}",
            "{\"event\":\"payout.transfer.success\",\"data\":[]}", "{\"code\":\"0x0200\",\"data\":{}}",
            "{\"event\":\"payout.transfer.success\",\"data\":{\"clientRefId\":\"a\"},\"data\":{\"clientRefId\":\"b\"}}"})
    void unreadableBodiesAreMalformed(String body) {
        CallbackRejected e = rejected(body);
        assertEquals(CallbackRejected.Reason.MALFORMED, e.reason());
        assertEquals(400, callbacks.rejectionAnswer(e));
    }

    @Test
    void storedPayloadAndReasonCarryNoPersonalData() throws Exception {
        String reason = "\"Name mismatch: Testpayee FAKESURNAME, a\\/c 50100999888777, call 9876501234\"";
        PayoutOutcome o = single(M2MoneyPayloads.failed("m2money-po-14", "\"10.00\"", reason));
        for (String value : M2MoneyPayloads.PERSONAL_VALUES) {
            assertFalse(o.rawPayload().contains(value), "raw payload leaks " + value);
            assertFalse(o.failureReason().contains(value), "failure reason leaks " + value);
        }
        assertFalse(o.failureReason().toLowerCase().contains("fakesurname"), "scrubbing ignores case");
        assertEquals("Name mismatch: *** ***, a/c ***, call ***", o.failureReason());
        // Ids stay readable: they are what operators search by.
        assertTrue(o.rawPayload().contains("\"clientRefId\":\"m2money-po-14\""));
        assertTrue(o.rawPayload().contains("\"contactId\":\"CONT_0001TEST\""));
        assertTrue(o.rawPayload().contains("\"firstName\":\"***\""));
        assertTrue(o.rawPayload().contains("\"accountIFSC\":\"***\""));
    }

    @Test
    void vpaAndCardAreMasked() throws Exception {
        String body = M2MoneyPayloads.envelope("payout.transfer.success", "0x0200", "Transaction Successful",
                "\"clientRefId\":\"m2money-po-15\",\"amount\":\"1\",\"status\":\"processed\",\"vpa\":\"fakepayee@upi\","
                        + "\"card\":\"4111111111111111\"");
        PayoutOutcome o = single(body);
        assertFalse(o.rawPayload().contains("fakepayee@upi"));
        assertFalse(o.rawPayload().contains("4111111111111111"));
    }

    @Test
    void outcomeTextDoesNotExposeThePayload() throws Exception {
        PayoutOutcome o = single(M2MoneyPayloads.success("m2money-po-16", "\"1\""));
        for (String value : M2MoneyPayloads.PERSONAL_VALUES) {
            assertFalse(o.toString().contains(value));
        }
    }

    /** M2Money: its unknown events and statuses get the configured answer (200 by default), every other rejection 400. */
    @Test
    void theAnswerPolicyForEveryRejection() {
        Map<Reason, Integer> own = Map.of(Reason.MALFORMED, 400, Reason.UNKNOWN_EVENT, 200,
                Reason.UNMAPPED_STATUS, 200, Reason.UNKNOWN_PAYOUT, 400);
        Map<Reason, Integer> byCore = Map.of(Reason.MALFORMED, 400, Reason.UNKNOWN_EVENT, 400,
                Reason.UNMAPPED_STATUS, 400, Reason.UNKNOWN_PAYOUT, 400);
        RejectionAnswers.assertAnswers(callbacks, own, byCore);
    }
}
