package dev.payoutcallbacks.commpix;

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
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Authentication rules and the translation of every notification type. No database. */
class CommPixCallbacksTest {
    private static final Instant T = Instant.parse("2026-11-21T08:00:00Z");
    private static final String TOKEN = "unit-token";
    private static final String HMAC = "unit-hmac";

    private final CommPixCallbacks callbacks = new CommPixCallbacks(
            CommPixSenderAllowList.parse("203.0.113.0/24,2001:db8::/32"), SharedSecrets.parse(TOKEN),
            SharedSecrets.parse(""));
    private final CommPixCallbacks signed = new CommPixCallbacks(
            CommPixSenderAllowList.parse("203.0.113.0/24"), SharedSecrets.parse(TOKEN), SharedSecrets.parse(HMAC));

    static String payout(String type, String reference, String amountJson) {
        return "{\"type\":\"" + type + "\",\"data\":{\"id\":\"c0eb14aa-ef4a-4b36-97cf-f95fffd23d67\","
                + "\"accountId\":\"acc_01\",\"type\":\"PIX\",\"amount\":" + amountJson + ",\"status\":\"ANY\","
                + "\"externalId\":\"" + reference + "\",\"transactionId\":\"tx-1\","
                + "\"transactionEndToEndId\":\"E1234567820261121080000000000001\"}}";
    }

    static String refund(String reference, String originalJson, String refundJson, String refundId) {
        return "{\"type\":\"PAYOUT_REFUNDED\",\"data\":{\"accountId\":\"acc_01\",\"originalPayout\":{"
                + "\"id\":\"c0eb14aa-ef4a-4b36-97cf-f95fffd23d67\",\"type\":\"PIX\",\"amount\":" + originalJson
                + ",\"status\":\"REFUNDED\",\"externalId\":\"" + reference + "\",\"transactionId\":\"tx-1\","
                + "\"transactionEndToEndId\":\"E1234567820261121080000000000001\"},\"refundData\":{\"amount\":"
                + refundJson + ",\"transactionId\":\"" + refundId + "\",\"transactionEndToEndId\":\"D99\"}}}";
    }

    private static CallbackRequest request(String body, String sourceIp, String... headerPairs) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        return new CallbackRequest(body.getBytes(StandardCharsets.UTF_8), headers, sourceIp, "req-1", T);
    }

    private PayoutOutcome only(String body) throws CallbackRejected {
        Translation t = callbacks.translate(request(body, "203.0.113.10"));
        assertEquals(1, t.outcomes().size());
        assertNull(t.batchNotice());
        return t.outcomes().get(0);
    }

    private static Money brl(String amount) {
        return Money.parse(amount, "BRL");
    }

    // --- authentication ---

    @Test
    void authenticNeedsAnAllowedSourceAndTheToken() {
        String body = payout("PAYOUT_COMPLETED", "r", "\"1000\"");
        assertTrue(callbacks.authentic(request(body, "203.0.113.10", "X-Webhook-Token", TOKEN)));
        assertTrue(callbacks.authentic(request(body, "2001:db8::5", "x-webhook-token", TOKEN)));
        assertFalse(callbacks.authentic(request(body, "198.51.100.1", "X-Webhook-Token", TOKEN)), "wrong IP");
        assertFalse(callbacks.authentic(request(body, "203.0.113.10", "X-Webhook-Token", "nope")), "wrong token");
        assertFalse(callbacks.authentic(request(body, "203.0.113.10")), "missing token");
        assertFalse(callbacks.authentic(request(body, null, "X-Webhook-Token", TOKEN)), "no source IP");
        assertFalse(callbacks.authentic(request(body, "198.51.100.1", "X-Webhook-Token", TOKEN,
                "X-Forwarded-For", "203.0.113.10")), "X-Forwarded-For is written by the sender, never trusted");
    }

    @Test
    void configuredHmacIsRequiredOnTopOfSourceAndToken() {
        String body = payout("PAYOUT_COMPLETED", "r", "\"1000\"");
        String mac = CommPixCallbacks.SIGNATURE.sign(body.getBytes(StandardCharsets.UTF_8), HMAC.getBytes(StandardCharsets.UTF_8));
        assertTrue(signed.authentic(request(body, "203.0.113.10", "X-Webhook-Token", TOKEN, "X-Signature", mac)));
        assertFalse(signed.authentic(request(body, "203.0.113.10", "X-Webhook-Token", TOKEN)), "missing signature");
        assertFalse(signed.authentic(request(body.replace("1000", "9000"), "203.0.113.10",
                "X-Webhook-Token", TOKEN, "X-Signature", mac)), "tampered body");
        assertFalse(signed.authentic(request(body, "203.0.113.10", "X-Signature", mac)), "signature without token");
        assertFalse(signed.authentic(request(body, "198.51.100.1", "X-Webhook-Token", TOKEN, "X-Signature", mac)));
        assertEquals(Set.of("X-Signature"), signed.replayHeaders());
        assertEquals(Set.of(), callbacks.replayHeaders(), "the token is a secret: never kept");
    }

    @Test
    void headerNamesAreConfigurable() {
        CommPixCallbacks custom = new CommPixCallbacks(CommPixSenderAllowList.parse("203.0.113.0/24"),
                SharedSecrets.parse(TOKEN), SharedSecrets.parse(""), "Authorization-Token", "X-Other");
        String body = payout("PAYOUT_COMPLETED", "r", "\"1000\"");
        assertTrue(custom.authentic(request(body, "203.0.113.10", "Authorization-Token", TOKEN)));
        assertFalse(custom.authentic(request(body, "203.0.113.10", "X-Webhook-Token", TOKEN)));
    }

    @Test
    void atLeastOneTokenIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> new CommPixCallbacks(
                CommPixSenderAllowList.parse("203.0.113.0/24"), SharedSecrets.parse(" "), SharedSecrets.parse("")));
    }

    // --- mapping ---

    @Test
    void createdIsPendingWithTheTypeAsStage() throws CallbackRejected {
        PayoutOutcome o = only(payout("PAYOUT_CREATED", "commpix-1", "\"1000\""));
        assertEquals(PayoutStatus.PENDING, o.status());
        assertEquals("commpix-1", o.payoutReference());
        assertEquals("c0eb14aa-ef4a-4b36-97cf-f95fffd23d67", o.providerPayoutId());
        assertEquals("PAYOUT_CREATED", o.stage());
        assertTrue(brl("10.00").sameAs(o.amount()));
        assertNull(o.bankReference());
        assertEquals("commpix", o.provider());
        assertEquals(T, o.receivedAt());
    }

    @Test
    void completedIsPaidWithTheEndToEndIdAsBankReference() throws CallbackRejected {
        PayoutOutcome o = only(payout("PAYOUT_COMPLETED", "commpix-1", "\"1000\""));
        assertEquals(PayoutStatus.PAID, o.status());
        assertEquals("E1234567820261121080000000000001", o.bankReference());
        assertTrue(brl("10.00").sameAs(o.amount()));
        assertEquals("commpix-1|PAID", o.dedupKey());
    }

    @Test
    void failedIsFailed() throws CallbackRejected {
        PayoutOutcome o = only(payout("PAYOUT_FAILED", "commpix-1", "\"1000\""));
        assertEquals(PayoutStatus.FAILED, o.status());
        assertNull(o.bankReference());
        PayoutOutcome withReason = only(payout("PAYOUT_FAILED", "commpix-1", "\"1000\"")
                .replace("\"status\":\"ANY\"", "\"status\":\"ANY\",\"reason\":\"account inactive\""));
        assertEquals("account inactive", withReason.failureReason());
    }

    @Test
    void aTypeContradictedByItsOwnDataStatusIsRefused() throws CallbackRejected {
        String body = payout("PAYOUT_COMPLETED", "commpix-1", "\"1000\"");
        CallbackRejected contradiction = assertThrows(CallbackRejected.class,
                () -> callbacks.translate(request(body.replace("\"ANY\"", "\"FAILED\""), "203.0.113.10",
                        "X-Webhook-Token", TOKEN)));
        assertEquals(CallbackRejected.Reason.MALFORMED, contradiction.reason());
        assertThrows(CallbackRejected.class, () -> only(payout("PAYOUT_FAILED", "commpix-1", "\"1000\"")
                .replace("\"ANY\"", "\"completed\"")));
        // Agreeing, absent or unknown words leave the type to decide; a creation may already say its end.
        assertEquals(PayoutStatus.PAID, only(body.replace("\"ANY\"", "\"COMPLETED\"")).status());
        assertEquals(PayoutStatus.PAID, only(body.replace(",\"status\":\"ANY\"", "")).status());
        assertEquals(PayoutStatus.PAID, only(body).status());
        assertEquals(PayoutStatus.PENDING, only(payout("PAYOUT_CREATED", "commpix-1", "\"1000\"")
                .replace("\"ANY\"", "\"COMPLETED\"")).status());
    }

    @Test
    void partialRefundNamesTheOriginalPayoutAndItsOwnTransaction() throws CallbackRejected {
        PayoutOutcome o = only(refund("commpix-1", "1000", "300", "refund-tx-1"));
        assertEquals(PayoutStatus.PARTIALLY_REFUNDED, o.status());
        assertEquals("commpix-1", o.payoutReference());
        assertEquals("refund-tx-1", o.adjustmentId());
        assertTrue(brl("3.00").sameAs(o.adjustmentAmount()));
        assertTrue(brl("10.00").sameAs(o.amount()));
        assertEquals("c0eb14aa-ef4a-4b36-97cf-f95fffd23d67", o.providerPayoutId());
        assertEquals("E1234567820261121080000000000001", o.bankReference(),
                "the original payout's end-to-end id (a fact it may lack), never the refund's own (D99)");
        assertEquals("commpix-1|REFUND|refund-tx-1", o.dedupKey());
        assertEquals("PAYOUT_REFUNDED", o.stage());
    }

    @Test
    void fullRefundIsDistinguishableFromPartial() throws CallbackRejected {
        PayoutOutcome full = only(refund("commpix-1", "1000", "\"1000\"", "refund-tx-9"));
        PayoutOutcome partial = only(refund("commpix-1", "1000", "\"999\"", "refund-tx-8"));
        assertEquals(PayoutStatus.REFUNDED, full.status());
        assertEquals(PayoutStatus.PARTIALLY_REFUNDED, partial.status());
        assertEquals(0, new BigDecimal("9.99").compareTo(partial.adjustmentAmount().amount()));
    }

    @Test
    void amountsAreExactCentsAsStringOrNumber() throws CallbackRejected {
        PayoutOutcome asString = only(payout("PAYOUT_COMPLETED", "r", "\"123456789012345678901\""));
        PayoutOutcome asNumber = only(payout("PAYOUT_COMPLETED", "r", "123456789012345678901"));
        assertEquals("1234567890123456789.01", asString.amount().amountText());
        assertTrue(asString.amount().sameAs(asNumber.amount()));
        assertEquals("BRL", asNumber.amount().currency());
        assertEquals("0.01", only(payout("PAYOUT_COMPLETED", "r", "1")).amount().amountText());
        PayoutOutcome refundAsString = only(refund("r", "\"1000\"", "\"700\"", "t"));
        PayoutOutcome refundAsNumber = only(refund("r", "1000", "700", "t"));
        assertTrue(refundAsString.adjustmentAmount().sameAs(refundAsNumber.adjustmentAmount()));
        assertEquals("7.00", refundAsNumber.adjustmentAmount().amountText());
    }

    @Test
    void amountIsOptionalOnPayoutEvents() throws CallbackRejected {
        assertNull(only(payout("PAYOUT_CREATED", "r", "null")).amount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.5", "\"10.5\"", "1000.0", "\"1000.00\"", "1e3", "1E3", "\"1e3\"", "-1000", "\"-1000\"",
            "\"+1000\"", "\" 1000\"", "\"1,000\"", "\"\"", "0", "\"0\"", "true", "{}", "[1000]"})
    void fractionsExponentsSignsZeroAndOtherShapesAreMalformed(String amountJson) {
        CallbackRejected onPayout = assertThrows(CallbackRejected.class,
                () -> callbacks.translate(request(payout("PAYOUT_COMPLETED", "r", amountJson), "203.0.113.10")));
        assertEquals(CallbackRejected.Reason.MALFORMED, onPayout.reason());
        assertEquals(400, callbacks.rejectionAnswer(onPayout));
        CallbackRejected onRefund = assertThrows(CallbackRejected.class,
                () -> callbacks.translate(request(refund("r", "1000", amountJson, "t"), "203.0.113.10")));
        assertEquals(CallbackRejected.Reason.MALFORMED, onRefund.reason());
        CallbackRejected onOriginal = assertThrows(CallbackRejected.class,
                () -> callbacks.translate(request(refund("r", amountJson, "100", "t"), "203.0.113.10")));
        assertEquals(CallbackRejected.Reason.MALFORMED, onOriginal.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "[]",
            "{\"data\":{\"externalId\":\"r\"}}",
            "{\"type\":\"PAYOUT_COMPLETED\"}",
            "{\"type\":\"PAYOUT_COMPLETED\",\"data\":\"x\"}",
            "{\"type\":\"PAYOUT_COMPLETED\",\"data\":{\"amount\":\"1000\"}}",
            "{\"type\":\"PAYOUT_COMPLETED\",\"data\":{\"externalId\":\"  \"}}",
            "{\"type\":\"PAYOUT_COMPLETED\",\"data\":{\"externalId\":12}}",
            "{\"type\":\"PAYOUT_COMPLETED\",\"type\":\"PAYOUT_FAILED\",\"data\":{\"externalId\":\"r\"}}",
            "{\"type\":\"PAYOUT_REFUNDED\",\"data\":{\"originalPayout\":{\"externalId\":\"r\",\"amount\":1000}}}",
            "{\"type\":\"PAYOUT_REFUNDED\",\"data\":{\"originalPayout\":{\"externalId\":\"r\",\"amount\":1000},"
                    + "\"refundData\":{\"amount\":100}}}",
            "{\"type\":\"PAYOUT_REFUNDED\",\"data\":{\"originalPayout\":{\"externalId\":\"r\"},"
                    + "\"refundData\":{\"amount\":100,\"transactionId\":\"t\"}}}",
            "{\"type\":\"PAYOUT_REFUNDED\",\"data\":{\"externalId\":\"r\",\"amount\":\"1000\"}}"})
    void malformedBodiesAreRejectedAsMalformed(String body) {
        CallbackRejected rejected = assertThrows(CallbackRejected.class,
                () -> callbacks.translate(request(body, "203.0.113.10")));
        assertEquals(CallbackRejected.Reason.MALFORMED, rejected.reason());
        assertEquals(400, callbacks.rejectionAnswer(rejected));
    }

    @Test
    void unknownTypeIsRejectedAsUnknownEventWithTheChosenStatus() {
        CallbackRejected rejected = assertThrows(CallbackRejected.class, () -> callbacks.translate(
                request(payout("PAYOUT_REVERSED", "r", "\"1000\""), "203.0.113.10")));
        assertEquals(CallbackRejected.Reason.UNKNOWN_EVENT, rejected.reason());
        assertEquals(CommPixCallbacks.UNKNOWN_TYPE_HTTP_STATUS, callbacks.rejectionAnswer(rejected));
        assertTrue(rejected.getMessage().contains("PAYOUT_REVERSED"));
    }

    @Test
    void personalDataIsMaskedInTheStoredPayload() throws CallbackRejected {
        String body = payout("PAYOUT_COMPLETED", "commpix-1", "\"1000\"").replace("\"accountId\"",
                "\"receiver\":{\"name\":\"Maria Silva\",\"cpf\":\"12345678909\",\"pixKey\":\"maria@example.com\","
                        + "\"key\":\"+5511999999999\"},\"accountId\"");
        String raw = only(body).rawPayload();
        assertFalse(raw.contains("Maria"), raw);
        assertFalse(raw.contains("12345678909"), raw);
        assertFalse(raw.contains("maria@example.com"), raw);
        assertFalse(raw.contains("5511999999999"), raw);
        assertTrue(raw.contains("commpix-1"), "non-personal fields stay for audit");
        assertFalse(callbacks.toString().contains(TOKEN));
        assertFalse(signed.toString().contains(HMAC));
    }

    /** Comm.Pix: its unknown types 200 (it retries anything else), every other rejection 400. */
    @Test
    void theAnswerPolicyForEveryRejection() {
        Map<Reason, Integer> own = Map.of(Reason.MALFORMED, 400, Reason.UNKNOWN_EVENT, 200,
                Reason.UNMAPPED_STATUS, 400, Reason.UNKNOWN_PAYOUT, 400);
        Map<Reason, Integer> byCore = Map.of(Reason.MALFORMED, 400, Reason.UNKNOWN_EVENT, 400,
                Reason.UNMAPPED_STATUS, 400, Reason.UNKNOWN_PAYOUT, 400);
        RejectionAnswers.assertAnswers(callbacks, own, byCore);
    }
}
