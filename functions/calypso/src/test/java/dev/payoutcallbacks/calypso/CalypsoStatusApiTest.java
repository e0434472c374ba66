package dev.payoutcallbacks.calypso;

import static dev.payoutcallbacks.core.testing.PollAnswers.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.core.payout.OutcomeSource;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.provider.PollRequest;
import dev.payoutcallbacks.core.provider.ProviderStatusApi.PollAnswer;
import dev.payoutcallbacks.core.testing.MutableClock;
import dev.payoutcallbacks.core.testing.StubServer.Reply;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calypso's status API against a loopback stub that checks the request signature itself. */
class CalypsoStatusApiTest {
    private static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");
    private CalypsoStub stubs;
    private CalypsoStatusApi api;

    @BeforeEach
    void start() throws Exception {
        stubs = new CalypsoStub();
        api = stubs.calypsoApi(new MutableClock(NOW));
    }

    @AfterEach
    void stop() {
        stubs.close();
    }

    @Test
    void theRequestIsTheDocumentedSignedBody() throws Exception {
        stubs.calypso.put("cx-1", CalypsoStub.calypsoState("cx-1", "IN_PROGRESS", "1", null));
        only(api.poll(new PollRequest("cx-1", null, null))); // the stub answers 401 unless Key and Sign verify
        JsonNode sent = Json.MAPPER.readTree(stubs.server.requests("/calypso/").get(0).body());
        assertEquals(CalypsoStub.CALYPSO_ACCOUNT, sent.path("account").asText());
        assertEquals(NOW.toEpochMilli(), sent.path("timestamp").asLong());
        assertEquals("cx-1", sent.path("payload").path("idempotencyKey").asText());
    }

    @Test
    void aCompletedPayoutIsPaidWithItsExactAmountAndChainReference() {
        stubs.calypso.put("cx-2", CalypsoStub.calypsoState("cx-2", "COMPLETED", "12.345678901234567891", "0xabc"));
        PayoutOutcome o = only(api.poll(new PollRequest("cx-2", null, null)));
        assertEquals(PayoutStatus.PAID, o.status());
        assertEquals(OutcomeSource.POLL, o.source());
        assertEquals(0, new BigDecimal("12.345678901234567891").compareTo(o.amount().amount()), "never a double");
        assertEquals("12.345678901234567891", o.amount().amountText());
        assertEquals("USDT_TRX", o.amount().currency());
        assertEquals("0xabc", o.bankReference());
        assertEquals("2849201733301", o.providerPayoutId());
        assertEquals("cx-2|PAID", o.dedupKey());
    }

    @Test
    void statesMapWithTheWebhooksTableAndStageNaming() {
        stubs.calypso.put("p", CalypsoStub.calypsoState("p", "In Progress", "1", null));
        stubs.calypso.put("part", CalypsoStub.calypsoState("part", "PARTIAL", "1", null));
        stubs.calypso.put("f", Reply.json(200, "{\"externalId\":\"f\",\"state\":\"FAILED\",\"amount\":1,"
                + "\"currency\":\"USDT_TRX\",\"errors\":[\"insufficient balance\"]}"));
        PayoutOutcome pending = only(api.poll(new PollRequest("p", null, null)));
        assertEquals(PayoutStatus.PENDING, pending.status());
        assertEquals("p|PENDING|IN_PROGRESS", pending.dedupKey(), "the stage a PAYOUT_CHANGE_STATUS webhook gives");
        assertEquals(PayoutStatus.PARTIALLY_PAID, only(api.poll(new PollRequest("part", null, null))).status());
        PayoutOutcome failed = only(api.poll(new PollRequest("f", null, null)));
        assertEquals(PayoutStatus.FAILED, failed.status());
        assertTrue(failed.failureReason().contains("insufficient balance"));
    }

    @Test
    void onlyErrorsNamingAMissingPayoutAreNotFound() {
        stubs.calypso.put("gone", CalypsoStub.calypsoErrors(404, "[{\"code\":\"NOT_FOUND\",\"message\":\"Payout not found\"}]"));
        stubs.calypso.put("acct", CalypsoStub.calypsoErrors(400, "[\"Account not found\"]"));
        stubs.calypso.put("vague", CalypsoStub.calypsoErrors(200, "[\"Something went wrong\"]"));
        assertInstanceOf(PollAnswer.NotFound.class, api.poll(new PollRequest("gone", null, null)));
        assertInstanceOf(PollAnswer.Unavailable.class, api.poll(new PollRequest("acct", null, null)), "our account, not their payout");
        assertInstanceOf(PollAnswer.Unavailable.class, api.poll(new PollRequest("vague", null, null)));
    }

    @Test
    void slowErroringRefusedAndMalformedAnswersAreUnavailable() {
        stubs.calypso.put("slow", Reply.slowJson("{}"));
        stubs.calypso.put("err", Reply.json(502, "<html>bad gateway</html>"));
        stubs.calypso.put("refused", CalypsoStub.calypsoErrors(403, "[\"Payout not found\"]"));
        stubs.calypso.put("bad", Reply.json(200, "not json"));
        stubs.calypso.put("exp", CalypsoStub.calypsoState("exp", "COMPLETED", "1.2E+3", null));
        stubs.calypso.put("unmapped", CalypsoStub.calypsoState("unmapped", "VANISHED", "1", null));
        stubs.calypso.put("other", CalypsoStub.calypsoState("someone-else", "COMPLETED", "1", null));
        stubs.calypso.put("nostate", Reply.json(200, "{\"amount\":1,\"currency\":\"USDT_TRX\"}"));
        for (String ref : List.of("slow", "err", "refused", "bad", "exp", "unmapped", "other", "nostate")) {
            PollAnswer answer = api.poll(new PollRequest(ref, null, null));
            assertInstanceOf(PollAnswer.Unavailable.class, answer, ref + ": " + answer);
        }
        CalypsoStatusApi wrongSecret = CalypsoStatusApi.create(stubs.server.base("/calypso"),
                CalypsoStub.CALYPSO_ACCOUNT, CalypsoStub.CALYPSO_KEY, "not-the-secret", 1000, 700, new MutableClock(NOW));
        stubs.calypso.put("signed", CalypsoStub.calypsoState("signed", "COMPLETED", "1", null));
        assertInstanceOf(PollAnswer.Unavailable.class, wrongSecret.poll(new PollRequest("signed", null, null)),
                "a bad signature is refused, and refused is not an answer");
    }
}
