package dev.payoutcallbacks.m2money;

import static dev.payoutcallbacks.core.testing.PollAnswers.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payoutcallbacks.core.payout.OutcomeSource;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.PollRequest;
import dev.payoutcallbacks.core.provider.ProviderStatusApi.PollAnswer;
import dev.payoutcallbacks.core.testing.MutableClock;
import dev.payoutcallbacks.core.testing.StubServer.Reply;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** M2Money's status API against a loopback stub, the "No orders found" trap above all. */
class M2MoneyStatusApiTest {
    private M2MoneyStub stubs;
    private M2MoneyStatusApi api;

    @BeforeEach
    void start() throws Exception {
        stubs = new M2MoneyStub();
        api = stubs.m2moneyApi(new MutableClock(Instant.parse("2026-11-21T08:00:00Z")));
    }

    @AfterEach
    void stop() {
        stubs.close();
    }

    @Test
    void aProcessedOrderIsPaidWithItsUtrAndNoPersonalDataStored() {
        stubs.m2money.put("m-1", M2MoneyStub.m2Order("m-1", "processed", "\"500.00\"", "UTR123"));
        PayoutOutcome o = only(api.poll(new PollRequest("m-1", null, null))); // the stub refuses unless Basic auth and Signature verify
        assertEquals(PayoutStatus.PAID, o.status());
        assertEquals(OutcomeSource.POLL, o.source());
        assertEquals("500.00 INR", o.amount().toString());
        assertEquals("UTR123", o.bankReference());
        assertEquals("ord-m-1", o.providerPayoutId());
        assertEquals("m-1|PAID", o.dedupKey());
        assertFalse(o.rawPayload().contains("9876543210"));
        assertFalse(o.rawPayload().contains("Asha"));
        assertEquals("/m2money/v1/service/payout/orders/m-1", stubs.server.requests("/m2money/").get(0).path());
    }

    @Test
    void orderStatusesMapWithTheCallbacksTable() {
        stubs.m2money.put("q", M2MoneyStub.m2Order("0x0206", "PENDING", "q", "processing", "500", null));
        stubs.m2money.put("f", M2MoneyStub.m2Order("0x0202", "FAILURE", "f", "failed", "\"500.00\"", null));
        stubs.m2money.put("r", M2MoneyStub.m2Order("r", "reversed", "500", "UTR9"));
        assertEquals(PayoutStatus.PENDING, only(api.poll(new PollRequest("q", null, null))).status());
        PayoutOutcome failed = only(api.poll(new PollRequest("f", null, null)));
        assertEquals(PayoutStatus.FAILED, failed.status(), "a failed ORDER (data.status) is failed");
        assertEquals("Beneficiary bank down", failed.failureReason());
        PayoutOutcome reversed = only(api.poll(new PollRequest("r", null, null)));
        assertEquals(PayoutStatus.REVERSED, reversed.status());
        assertEquals("500 INR", reversed.adjustmentAmount().toString());
        assertEquals("r|REVERSED", reversed.dedupKey(), "the key a reversal callback has");
    }

    @Test
    void noOrdersFoundIsNotFoundAndNeverFailed() {
        stubs.m2money.put("nf", M2MoneyStub.m2NoOrdersFound());
        stubs.m2money.put("nf404", Reply.json(404, "{\"code\":\"0x0202\",\"status\":\"FAILURE\",\"message\":\"No orders found.\"}"));
        PollAnswer.NotFound nf = assertInstanceOf(PollAnswer.NotFound.class, api.poll(new PollRequest("nf", null, null)));
        assertTrue(nf.evidence().contains("No orders found"));
        assertInstanceOf(PollAnswer.NotFound.class, api.poll(new PollRequest("nf404", null, null)));
    }

    @Test
    void everyOtherFailureEnvelopeSettlesNothing() {
        // A failure envelope that is not the documented not-found phrase: not failed, not not-found.
        stubs.m2money.put("other-failure", Reply.json(200, "{\"code\":\"0x0202\",\"status\":\"FAILURE\",\"message\":\"Transaction Failed\"}"));
        // The not-found phrase with a 5xx, or with a code that is not the failure code: not definitive.
        stubs.m2money.put("nf-500", Reply.json(500, "{\"code\":\"0x0202\",\"status\":\"FAILURE\",\"message\":\"No orders found\"}"));
        stubs.m2money.put("nf-timeout-code", Reply.json(200, "{\"code\":\"0x0204\",\"status\":\"FAILURE\",\"message\":\"No orders found\"}"));
        stubs.m2money.put("went-wrong", Reply.json(200, "{\"code\":\"0x0205\",\"status\":\"FAILURE\",\"message\":\"Something went wrong\"}"));
        // A failure envelope wrapped around an order that says processed: contradictory.
        stubs.m2money.put("contradiction", M2MoneyStub.m2Order("0x0202", "FAILURE", "contradiction", "processed", "500", "U1"));
        stubs.m2money.put("unmapped", M2MoneyStub.m2Order("unmapped", "on_hold", "500", null));
        stubs.m2money.put("other-ref", M2MoneyStub.m2Order("someone-else", "processed", "500", "U2"));
        stubs.m2money.put("reversal-no-amount", M2MoneyStub.m2Order("reversal-no-amount", "reversed", "null", null));
        stubs.m2money.put("malformed", Reply.json(200, "{\"code\":\"0x0202\",\"message\":\"No orders found\""));
        stubs.m2money.put("html", Reply.text(200, "<html>maintenance</html>"));
        stubs.m2money.put("slow", Reply.slowJson("{}"));
        for (String ref : List.of("other-failure", "nf-500", "nf-timeout-code", "went-wrong", "contradiction", "unmapped",
                "other-ref", "reversal-no-amount", "malformed", "html", "slow", "unscripted")) {
            PollAnswer answer = api.poll(new PollRequest(ref, null, null));
            assertInstanceOf(PollAnswer.Unavailable.class, answer, ref + ": " + answer);
        }
    }

    @Test
    void anUnauthenticatedAnswerIsNeverNotFound() {
        M2MoneyStatusApi wrong = M2MoneyStatusApi.create(stubs.server.base("/m2money"), M2MoneyStub.M2_USER,
                M2MoneyStub.M2_PASSWORD, "wrong-signature-secret", 1000, 700, new MutableClock(Instant.EPOCH));
        stubs.m2money.put("nf", M2MoneyStub.m2NoOrdersFound());
        PollAnswer.Unavailable u = assertInstanceOf(PollAnswer.Unavailable.class, wrong.poll(new PollRequest("nf", null, null)));
        assertTrue(u.reason().contains("0x0201"), u.reason());
    }

    @Test
    void theNotFoundPhrasesAreConfigurableAndCanBeTurnedOff() {
        stubs.m2money.put("nf", M2MoneyStub.m2NoOrdersFound());
        M2MoneyStatusApi never = M2MoneyStatusApi.create(stubs.server.base("/m2money"), M2MoneyStub.M2_USER,
                M2MoneyStub.M2_PASSWORD, M2MoneyStub.M2_SIGNATURE_SECRET, M2MoneyStatusApi.SCHEME_HMAC_PATH, "",
                1000, 700, new MutableClock(Instant.EPOCH));
        assertInstanceOf(PollAnswer.Unavailable.class, never.poll(new PollRequest("nf", null, null)));
    }
}
