package dev.payoutcallbacks.pivot;

import static dev.payoutcallbacks.core.testing.PollAnswers.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payoutcallbacks.core.payout.OutcomeSource;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.PollRequest;
import dev.payoutcallbacks.core.provider.ProviderStatusApi.PollAnswer;
import dev.payoutcallbacks.core.testing.MutableClock;
import dev.payoutcallbacks.core.testing.StubServer;
import dev.payoutcallbacks.core.testing.StubServer.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pivot's status API against a loopback stub: token, translation, and every answer that must settle nothing. */
class PivotStatusApiTest {
    private PivotStub stubs;
    private MutableClock clock;
    private PivotStatusApi api;

    @BeforeEach
    void start() throws Exception {
        stubs = new PivotStub();
        clock = new MutableClock(Instant.parse("2026-11-21T08:00:00Z"));
        api = stubs.pivotApi(clock);
    }

    @AfterEach
    void stop() {
        stubs.close();
    }

    @Test
    void aSuccessIsPaidWithItsAmountMarkedPollAndThePayloadMasked() {
        stubs.pivot.put("pv-1", PivotStub.pivotItem("pv-1", "SUCCESS", "150000", null));
        PayoutOutcome o = only(api.poll(new PollRequest("pv-1", null, null)));
        assertEquals(PayoutStatus.PAID, o.status());
        assertEquals(OutcomeSource.POLL, o.source());
        assertEquals("pivot", o.provider());
        assertEquals("150000 IDR", o.amount().toString());
        assertEquals("pv-1|PAID", o.dedupKey(), "the same key a webhook's success has");
        assertFalse(o.rawPayload().contains("Budi"), "personal data masked before storage");
        assertFalse(o.rawPayload().contains("1234567890"));
        // The request: bearer token from the documented token call, GET ?type=single.
        StubServer.Request get = stubs.server.requests("/pivot/v1/payouts/").get(0);
        assertEquals("type=single", get.query());
        assertEquals("Bearer tok-1", get.header("Authorization"));
    }

    @Test
    void itemStatusesMapWithTheWebhooksTable() {
        stubs.pivot.put("a", PivotStub.pivotItem("a", "APPROVED", "10", null));
        stubs.pivot.put("f", PivotStub.pivotItem("f", "FAILED", "10", "Invalid Account"));
        stubs.pivot.put("c", PivotStub.pivotItem("c", "CANCELLED", "10", null));
        assertEquals(PayoutStatus.PENDING, only(api.poll(new PollRequest("a", null, null))).status());
        PayoutOutcome failed = only(api.poll(new PollRequest("f", null, null)));
        assertEquals(PayoutStatus.FAILED, failed.status());
        assertEquals("Invalid Account", failed.failureReason());
        assertEquals(PayoutStatus.CANCELLED, only(api.poll(new PollRequest("c", null, null))).status());
    }

    @Test
    void theTokenIsCachedUntilShortlyBeforeItExpiresAndRenewedOnA401() {
        stubs.pivot.put("t", PivotStub.pivotItem("t", "PENDING", "10", null));
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(PollAnswer.Found.class, api.poll(new PollRequest("t", null, null)));
        }
        assertEquals(1, stubs.tokensIssued.get(), "one token for three polls");
        clock.advance(Duration.ofSeconds(839));
        api.poll(new PollRequest("t", null, null));
        assertEquals(1, stubs.tokensIssued.get(), "still valid 61 s before expiry");
        clock.advance(Duration.ofSeconds(2));
        api.poll(new PollRequest("t", null, null));
        assertEquals(2, stubs.tokensIssued.get(), "renewed within the last minute of its 900 s");
        stubs.revokePivotTokens();
        assertInstanceOf(PollAnswer.Found.class, api.poll(new PollRequest("t", null, null)), "a 401 renews the token once");
        assertEquals(3, stubs.tokensIssued.get());
    }

    @Test
    void only404WithPivotsEnvelopeIsNotFound() {
        stubs.pivot.put("gone", PivotStub.pivotNotFound());
        stubs.pivot.put("gateway-404", Reply.text(404, "<html>Not Found</html>"));
        PollAnswer.NotFound nf = assertInstanceOf(PollAnswer.NotFound.class, api.poll(new PollRequest("gone", null, null)));
        assertTrue(nf.evidence().startsWith("pivot: HTTP 404"));
        assertInstanceOf(PollAnswer.Unavailable.class, api.poll(new PollRequest("gateway-404", null, null)));
    }

    @Test
    void slowErroringMalformedAndStrangeAnswersAreUnavailable() {
        stubs.pivot.put("slow", Reply.slowJson("{}"));
        stubs.pivot.put("err", Reply.json(503, "{\"message\":\"busy\"}"));
        stubs.pivot.put("bad-json", Reply.json(200, "{\"code\":\"00\",\"data\":{\"referenceId\":"));
        stubs.pivot.put("code", Reply.json(200, "{\"code\":\"99\",\"message\":\"general error\",\"data\":null}"));
        stubs.pivot.put("unknown", PivotStub.pivotItem("unknown", "TELEPORTED", "10", null));
        stubs.pivot.put("other", PivotStub.pivotItem("someone-else", "SUCCESS", "10", null));
        stubs.pivot.put("exponent", Reply.json(200, "{\"code\":\"00\",\"data\":{\"referenceId\":\"exponent\","
                + "\"amount\":{\"currency\":\"IDR\",\"value\":1e5},\"status\":\"SUCCESS\"}}"));
        for (String ref : List.of("slow", "err", "bad-json", "code", "unknown", "other", "exponent", "unscripted")) {
            PollAnswer answer = api.poll(new PollRequest(ref, null, null));
            assertInstanceOf(PollAnswer.Unavailable.class, answer, ref + ": " + answer);
        }
    }

    @Test
    void refusedCredentialsAreUnavailableNotNotFound() {
        PivotStatusApi wrong = PivotStatusApi.create(stubs.server.base("/pivot"), "merchant-7", "wrong-secret",
                PivotStatusApi.DEFAULT_BULK_ITEMS_PATH, 1000, 700, clock);
        stubs.pivot.put("x", PivotStub.pivotNotFound());
        PollAnswer answer = wrong.poll(new PollRequest("x", null, null));
        PollAnswer.Unavailable u = assertInstanceOf(PollAnswer.Unavailable.class, answer);
        assertFalse(u.reason().contains("wrong-secret"), "no secret in the reason");
    }

    @Test
    void aBulkPayoutsItemsAreFetchedFromTheInferredEndpoint() {
        stubs.pivotBulk.put("batch-9", Reply.json(200, "{\"code\":\"00\",\"message\":\"Success\",\"data\":{\"uuid\":\"batch-9\","
                + "\"payouts\":[{\"referenceId\":\"b1\",\"amount\":{\"currency\":\"IDR\",\"value\":\"1000\"},\"status\":\"SUCCESS\"},"
                + "{\"referenceId\":\"b2\",\"amount\":{\"currency\":\"IDR\",\"value\":\"2000\"},\"status\":\"FAILED\",\"reason\":\"Dormant Account\"}]}}"));
        PollAnswer.Found found = assertInstanceOf(PollAnswer.Found.class, api.batchItems("batch-9"));
        assertEquals(List.of("b1|PAID", "b2|FAILED"), found.outcomes().stream().map(PayoutOutcome::dedupKey).toList());
        assertTrue(found.outcomes().stream().allMatch(o -> o.source() == OutcomeSource.POLL));
        assertEquals("type=bulk", stubs.server.requests("/pivot/v1/payouts/batch-9").get(0).query());
        assertInstanceOf(PollAnswer.Unavailable.class, api.batchItems("unscripted-batch"));
        assertNull(stubs.pivotBulk.get("unscripted-batch"));
    }
}
