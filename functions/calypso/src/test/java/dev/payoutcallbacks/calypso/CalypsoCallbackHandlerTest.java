package dev.payoutcallbacks.calypso;

import static dev.payoutcallbacks.calypso.CalypsoWebhooks.envelope;
import static dev.payoutcallbacks.calypso.CalypsoWebhooks.flat;
import static dev.payoutcallbacks.calypso.CalypsoWebhooks.flatStatus;
import static dev.payoutcallbacks.calypso.CalypsoWebhooks.sign;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.core.config.SharedSecrets;
import dev.payoutcallbacks.core.lambda.CallbackReceiver;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.Quarantine;
import dev.payoutcallbacks.core.payout.ApplyResult;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutRecord;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.CallbackRequest;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.provider.ProviderCallbacks;
import dev.payoutcallbacks.core.provider.Translation;
import dev.payoutcallbacks.core.testing.ApiRequests;
import dev.payoutcallbacks.core.testing.TestTables;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handler end to end against DynamoDB Local: verify → translate → apply → respond. */
class CalypsoCallbackHandlerTest {
    private static final String PATH = "/callbacks/calypso";
    private static final String SECRET = "handler-calypso-secret";

    private String table;
    private CalypsoCallbackHandler handler;
    private PayoutLedger ledger;

    @BeforeEach
    void freshTable() {
        table = TestTables.freshPayoutsTable();
        handler = new CalypsoCallbackHandler(TestTables.environment(table,
                "CALYPSO_WEBHOOK_SECRETS", "retired-secret," + SECRET,
                "CALYPSO_SUBSCRIPTION_KEYS", CalypsoWebhooks.PUBLIC_KEY));
        ledger = TestTables.ledger(table);
    }

    private APIGatewayV2HTTPResponse send(String body) {
        return handler.handleRequest(ApiRequests.post(PATH, body, "Sign", sign(body, SECRET),
                "Key", CalypsoWebhooks.PUBLIC_KEY), null);
    }

    private static JsonNode answer(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.MAPPER.readTree(response.getBody());
    }

    private String result(String body) throws Exception {
        APIGatewayV2HTTPResponse response = send(body);
        assertEquals(200, response.getStatusCode(), response.getBody());
        return answer(response).path("result").asText();
    }

    private PayoutRecord payout(String reference) {
        TestTables.settleHistory(table);
        return ledger.read(reference).orElseThrow();
    }

    private List<Quarantine.Entry> quarantined() {
        return new Quarantine(TestTables.table(table), Clock.systemUTC()).list("calypso");
    }

    @Test
    void unauthenticatedCallbacksAre401AndStoreNothing() {
        String body = flatStatus("calypso-h-auth", "COMPLETED");
        String good = sign(body, SECRET);
        List<APIGatewayV2HTTPResponse> answers = List.of(
                handler.handleRequest(ApiRequests.post(PATH, body, "Sign", sign(body, "wrong-secret"),
                        "Key", CalypsoWebhooks.PUBLIC_KEY), null),
                handler.handleRequest(ApiRequests.post(PATH, body.replace("COMPLETED", "FAILED"), "Sign", good,
                        "Key", CalypsoWebhooks.PUBLIC_KEY), null),
                handler.handleRequest(ApiRequests.post(PATH, body, "Key", CalypsoWebhooks.PUBLIC_KEY), null),
                handler.handleRequest(ApiRequests.post(PATH, body, "Sign", good), null),
                // A good signature with a Key that is not one of CALYPSO_SUBSCRIPTION_KEYS (issue 12, item 7)
                handler.handleRequest(ApiRequests.post(PATH, body, "Sign", good, "Key", "pk-not-ours"), null),
                // Unknown events are not quarantined either when unsigned.
                handler.handleRequest(ApiRequests.post(PATH, envelope("PAYOUT_EXPIRED", "{}"), "Sign", good,
                        "Key", CalypsoWebhooks.PUBLIC_KEY), null));
        for (APIGatewayV2HTTPResponse answer : answers) {
            assertEquals(401, answer.getStatusCode(), answer.getBody());
        }
        assertEquals(List.of(), TestTables.scan(table));
    }

    @Test
    void aRotatedSecretStillVerifies() throws Exception {
        String body = flatStatus("calypso-h-rotate", "IN_PROGRESS");
        APIGatewayV2HTTPResponse response = handler.handleRequest(ApiRequests.post(PATH, body,
                "Sign", sign(body, "retired-secret"), "Key", CalypsoWebhooks.PUBLIC_KEY), null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("APPLIED", answer(response).path("result").asText());
    }

    @Test
    void aCompletedPayoutIsPaidWithItsChainReference() throws Exception {
        String body = envelope(CalypsoCallbacks.PAYOUT_CHANGE_STATUS, flatStatus("calypso-h-paid", "Completed"));
        APIGatewayV2HTTPResponse response = send(body);
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("paid", answer(response).path("status").asText());
        PayoutRecord record = payout("calypso-h-paid");
        assertEquals(PayoutStatus.PAID, record.state().status());
        assertEquals("0x7f3a9c", record.state().bankReference());
        assertEquals("2849201733301", record.state().providerPayoutId());
        assertNull(record.state().amount());
        assertEquals("2022-03-15T12:14:00.000001Z", record.history().get(0).eventTime());
    }

    @Test
    void statusEventsKeepTheAmountAlreadyKnown() throws Exception {
        // The amount comes from elsewhere (the submit, or a poll of Calypso's status API).
        ledger.apply(PayoutOutcome.builder("calypso-h-amount", PayoutStatus.PENDING).provider("calypso")
                .stage("SUBMITTED").amount(Money.parse("125.123456789012345678", "USDT_TRX"))
                .receivedAt(Instant.parse("2026-01-31T11:00:00Z")).build());
        assertEquals("APPLIED", result(flatStatus("calypso-h-amount", "COMPLETED")));
        PayoutRecord record = payout("calypso-h-amount");
        assertEquals(PayoutStatus.PAID, record.state().status());
        assertEquals("125.123456789012345678", record.state().amount().amountText());
    }

    @Test
    void aDuplicateDeliveryIsAppliedOnce() throws Exception {
        String body = flatStatus("calypso-h-dup", "COMPLETED");
        assertEquals("APPLIED", result(body));
        assertEquals("DUPLICATE", result(body));
        // The same fact in the envelope shape is the same outcome.
        assertEquals("DUPLICATE", result(envelope(CalypsoCallbacks.PAYOUT_CHANGE_STATUS, body)));
        PayoutRecord record = payout("calypso-h-dup");
        assertEquals(1, record.state().version());
        assertEquals(1, record.history().size());
    }

    @Test
    void theLifecycleInOrderAppliesEveryStage() throws Exception {
        String ref = "calypso-h-life";
        assertEquals("APPLIED", result(flatStatus(ref, "CREATED")));
        assertEquals("APPLIED", result(flat(CalypsoCallbacks.PAYOUT_CONFIRMED, ref, "\"approved\":[\"ops@example.com\"]")));
        assertEquals("APPLIED", result(flatStatus(ref, "IN_PROGRESS")));
        assertEquals("APPLIED", result(flat(CalypsoCallbacks.PAYOUT_HASH_RECEIVED, ref,
                "\"hash\":\"0xfeed01\",\"payoutStatus\":\"IN_PROGRESS\"")));
        assertEquals("APPLIED", result(flatStatus(ref, "COMPLETED")));
        PayoutRecord record = payout(ref);
        assertEquals(PayoutStatus.PAID, record.state().status());
        assertEquals(5, record.state().version());
        assertTrue(record.history().stream().noneMatch(h -> h.rawPayload().contains("ops@example.com")));
    }

    @Test
    void inProgressAfterCompletedIsStale() throws Exception {
        assertEquals("APPLIED", result(flatStatus("calypso-h-late", "COMPLETED")));
        assertEquals("STALE", result(flatStatus("calypso-h-late", "In Progress")));
        assertEquals(PayoutStatus.PAID, payout("calypso-h-late").state().status());
    }

    @Test
    void hashReceivedAfterCompletedIsStale() throws Exception {
        String ref = "calypso-h-hash-late";
        assertEquals("APPLIED", result(flatStatus(ref, "COMPLETED")));
        assertEquals("STALE", result(flat(CalypsoCallbacks.PAYOUT_HASH_RECEIVED, ref,
                "\"hash\":\"0x7f3a9c\",\"payoutStatus\":\"IN_PROGRESS\"")));
        PayoutRecord record = payout(ref);
        assertEquals(PayoutStatus.PAID, record.state().status());
        assertEquals(1, record.state().version());
        assertEquals(2, record.history().size(), "the late outcome is kept in history");
    }

    @Test
    void failedAfterCompletedIsAConflictFlaggedForReview() throws Exception {
        String ref = "calypso-h-conflict";
        assertEquals("APPLIED", result(flatStatus(ref, "COMPLETED")));
        assertEquals("CONFLICT", result(flatStatus(ref, "FAILED")));
        PayoutRecord record = payout(ref);
        assertEquals(PayoutStatus.PAID, record.state().status());
        assertTrue(record.state().flaggedForReview());
    }

    @Test
    void aValidationErrorDoesNotFailThePayoutAndAPartialOutcomeStillApplies() throws Exception {
        String ref = "calypso-h-partial";
        assertEquals("APPLIED", result(flat(CalypsoCallbacks.PAYOUT_VALIDATION_ERROR, ref,
                "\"message\":\"Address is invalid\",\"dealWithdrawalId\":90210,\"validationStatus\":\"INVALID_ADDRESS\"")));
        assertEquals(PayoutStatus.PENDING, payout(ref).state().status());
        assertEquals("APPLIED", result(flatStatus(ref, "PARTIAL")));
        PayoutRecord record = payout(ref);
        assertEquals(PayoutStatus.PARTIALLY_PAID, record.state().status());
        assertEquals("INVALID_ADDRESS: Address is invalid", record.history().stream()
                .filter(h -> h.stage().startsWith("VALIDATION_ERROR")).findFirst().orElseThrow().failureReason());
    }

    @Test
    void anAuthenticatedMalformedBodyIs400AndQuarantinedByteExact() throws Exception {
        String body = "{\"type\":\"PAYOUT_CHANGE_STATUS\",\"externalId\":\"calypso-h-bad\",\"payoutStatus\":";
        APIGatewayV2HTTPResponse response = send(body);
        assertEquals(400, response.getStatusCode(), response.getBody());
        assertEquals("malformed", answer(response).path("error").asText());
        List<Quarantine.Entry> entries = quarantined();
        assertEquals(1, entries.size());
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), entries.get(0).rawBody());
        assertEquals(sign(body, SECRET), entries.get(0).headers().get("Sign"));
        assertEquals(CalypsoWebhooks.PUBLIC_KEY, entries.get(0).headers().get("Key"));
        assertTrue(ledger.read("calypso-h-bad").isEmpty());
    }

    @Test
    void anUnknownEventIsQuarantinedAndAnswered200SoCalypsoNeitherRetriesNorBlocks() throws Exception {
        String body = envelope("PAYOUT_EXPIRED", "{\"externalId\":\"calypso-h-unknown\",\"parentExternalId\":77}");
        APIGatewayV2HTTPResponse response = send(body);
        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode answer = answer(response);
        assertEquals("unknown_event", answer.path("reason").asText());
        assertEquals("QUARANTINED", answer.path("result").asText());
        assertTrue(answer.hasNonNull("quarantineId"));
        List<Quarantine.Entry> entries = quarantined();
        assertEquals(1, entries.size());
        assertEquals("UNKNOWN_EVENT", entries.get(0).reason());
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), entries.get(0).rawBody());
        assertTrue(ledger.read("calypso-h-unknown").isEmpty(), "nothing applied");
    }

    @Test
    void anUnmappedStatusIsQuarantinedToo() throws Exception {
        String body = flatStatus("calypso-h-unmapped", "EXPIRED");
        APIGatewayV2HTTPResponse response = send(body);
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("unmapped_status", answer(response).path("reason").asText());
        assertEquals("UNMAPPED_STATUS", quarantined().get(0).reason());
        assertTrue(ledger.read("calypso-h-unmapped").isEmpty());
    }

    @Test
    void theAnswerNamesThePayoutItsResultAndCanonicalStatus() throws Exception {
        JsonNode answer = answer(send(flatStatus("calypso-h-answer", "CANCELED")));
        assertEquals(ApplyResult.APPLIED.name(), answer.path("result").asText());
        assertEquals("calypso-h-answer", answer.path("reference").asText());
        assertEquals("cancelled", answer.path("status").asText());
    }

    private static String byCalypsoId(String type, long parentExternalId, String extra) {
        return "{\"type\":\"" + type + "\",\"parentExternalId\":" + parentExternalId
                + ",\"createdDate\":\"2022-03-15T12:13:05.909616\",\"idempotencyKey\":\"idem-" + parentExternalId + "\","
                + "\"currency\":\"USDT_TRX\"" + (extra == null ? "" : "," + extra) + "}";
    }

    @Test
    void eventsOfOnePayoutWithAndWithoutExternalIdMakeOneRecord() throws Exception {
        // Calypso's id not yet known: refused (400, quarantined; Calypso retries), never a record of its own.
        String early = byCalypsoId(CalypsoCallbacks.PAYOUT_CONFIRMED, 580777, null);
        APIGatewayV2HTTPResponse refused = send(early);
        assertEquals(400, refused.getStatusCode(), refused.getBody());
        assertEquals("unknown_payout", answer(refused).path("error").asText());
        assertTrue(ledger.read("idem-580777").isEmpty(), "the idempotencyKey is not a reference");

        String withReference = "{\"type\":\"PAYOUT_CHANGE_STATUS\",\"parentExternalId\":580777,\"externalId\":\"calypso-one\","
                + "\"idempotencyKey\":\"idem-580777\",\"currency\":\"USDT_TRX\",\"payoutStatus\":\"In Progress\"}";
        assertEquals("APPLIED", result(withReference));
        assertEquals("APPLIED", result(byCalypsoId(CalypsoCallbacks.PAYOUT_CHANGE_STATUS, 580777,
                "\"payoutStatus\":\"Completed\"")));
        // The hash arrives after the completion: stale, but the payout gets its chain reference.
        assertEquals("STALE", result(byCalypsoId(CalypsoCallbacks.PAYOUT_HASH_RECEIVED, 580777,
                "\"hash\":\"0xfeed\",\"payoutStatus\":\"In Progress\"")));
        // The early event, replayed (or retried by Calypso), now finds the payout.
        assertEquals("STALE", result(early));
        PayoutRecord record = payout("calypso-one");
        assertEquals(PayoutStatus.PAID, record.state().status());
        assertEquals("0xfeed", record.state().bankReference());
        assertEquals("580777", record.state().providerPayoutId());
        assertTrue(ledger.read("idem-580777").isEmpty());
        long records = TestTables.dynamo().client().scanPaginator(b -> b.tableName(table)).items().stream()
                .filter(i -> i.get("sk").s().equals("STATE")).count();
        assertEquals(1, records, "one payout, one record");
    }

    /**
     * The core's own rejections are answered by Calypso's policy, over the HTTP path: a callback that translates to
     * no outcome, or whose translation breaks, is quarantined and answered 200 (an error would count towards the
     * 100 in 10 minutes that block the subscription). Calypso's translation never yields nothing, so the receiver
     * here runs Calypso's own authentication and policy around a translation that does.
     */
    @Test
    void theCoresOwnRejectionsAreAnswered200AndQuarantined() throws Exception {
        CalypsoCallbacks calypso = new CalypsoCallbacks(SharedSecrets.parse(SECRET),
                SharedSecrets.parse(CalypsoWebhooks.PUBLIC_KEY));
        CallbackReceiver receiver = new CallbackReceiver(new ProviderCallbacks() {
            @Override
            public String provider() {
                return calypso.provider();
            }

            @Override
            public boolean authentic(CallbackRequest request) {
                return calypso.authentic(request);
            }

            @Override
            public Translation translate(CallbackRequest request) {
                if (request.bodyText().contains("calypso-breaks")) {
                    throw new IllegalStateException("a translation bug");
                }
                return Translation.of();
            }

            @Override
            public int rejectionAnswer(CallbackRejected rejected) {
                return calypso.rejectionAnswer(rejected);
            }
        }, ledger, new Quarantine(TestTables.table(table), Clock.systemUTC()), 64 * 1024, Clock.systemUTC());

        for (String reference : List.of("calypso-nothing", "calypso-breaks")) {
            String body = flatStatus(reference, "COMPLETED");
            APIGatewayV2HTTPResponse response = receiver.receive(ApiRequests.post(PATH, body, "Sign", sign(body, SECRET),
                    "Key", CalypsoWebhooks.PUBLIC_KEY), null);
            assertEquals(200, response.getStatusCode(), response.getBody());
            assertEquals("QUARANTINED", answer(response).path("result").asText(), response.getBody());
        }
        assertEquals(List.of("MALFORMED", "UNMAPPED_STATUS"),
                quarantined().stream().map(Quarantine.Entry::reason).sorted().toList());
        assertTrue(ledger.read("calypso-nothing").isEmpty() && ledger.read("calypso-breaks").isEmpty());

        String unsigned = flatStatus("calypso-nothing", "COMPLETED");
        assertEquals(401, receiver.receive(ApiRequests.post(PATH, unsigned, "Sign", sign(unsigned, "not-the-secret"),
                "Key", CalypsoWebhooks.PUBLIC_KEY), null).getStatusCode(), "still Calypso's authentication");
    }
}
