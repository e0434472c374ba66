package dev.payoutcallbacks.calypso;

import static dev.payoutcallbacks.calypso.CalypsoWebhooks.envelope;
import static dev.payoutcallbacks.calypso.CalypsoWebhooks.flat;
import static dev.payoutcallbacks.calypso.CalypsoWebhooks.flatStatus;
import static dev.payoutcallbacks.calypso.CalypsoWebhooks.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payoutcallbacks.core.config.SharedSecrets;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.CallbackRejected.Reason;
import dev.payoutcallbacks.core.provider.Translation;
import dev.payoutcallbacks.core.testing.RejectionAnswers;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Translation only: no DynamoDB. */
class CalypsoCallbacksTest {
    private final CalypsoCallbacks calypso = new CalypsoCallbacks(SharedSecrets.parse(CalypsoWebhooks.SECRET));

    private PayoutOutcome only(String body) throws CallbackRejected {
        Translation translation = calypso.translate(request(body));
        assertNull(translation.batchNotice());
        assertEquals(1, translation.outcomes().size());
        return translation.outcomes().get(0);
    }

    private CallbackRejected rejected(String body) {
        return assertThrows(CallbackRejected.class, () -> calypso.translate(request(body)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // The documented payoutStatus enum.
            "CREATION_IN_PROGRESS, PENDING,        CREATION_IN_PROGRESS",
            "CREATED,              PENDING,        CREATED",
            "PENDING_CONFIRMATION, PENDING,        PENDING_CONFIRMATION",
            "CONFIRMED,            PENDING,        CONFIRMED",
            "IN_PROGRESS,          PENDING,        IN_PROGRESS",
            "COMPLETED,            PAID,           COMPLETED",
            "FAILED,               FAILED,         FAILED",
            "CANCELED,             CANCELLED,      CANCELED",
            "PARTIAL,              PARTIALLY_PAID, PARTIAL",
            // The spellings of the docs' event table.
            "In Progress,          PENDING,        IN_PROGRESS",
            "Canceled,             CANCELLED,      CANCELED",
            "Failed,               FAILED,         FAILED",
            "Partial,              PARTIALLY_PAID, PARTIAL",
            "Completed,            PAID,           COMPLETED",
    })
    void everyPayoutStatusMaps(String calypsoStatus, PayoutStatus expected, String stage) throws CallbackRejected {
        PayoutOutcome outcome = only(flatStatus("calypso-map-1", calypsoStatus));
        assertEquals(expected, outcome.status());
        assertEquals(stage, outcome.stage());
        assertEquals("calypso-map-1", outcome.payoutReference());
        assertEquals("calypso", outcome.provider());
        assertEquals("0x7f3a9c", outcome.bankReference());
        assertNull(outcome.amount(), "status events carry no amount: the core keeps the known one");
    }

    @Test
    void theEnumTableCoversEveryDocumentedStatus() {
        assertEquals(Set.of("CREATION_IN_PROGRESS", "CREATED", "PENDING_CONFIRMATION", "CONFIRMED",
                "IN_PROGRESS", "COMPLETED", "FAILED", "CANCELED", "PARTIAL"), CalypsoCallbacks.PAYOUT_STATUSES.keySet());
    }

    @Test
    void humanAndEnumSpellingsAreTheSameOutcome() throws CallbackRejected {
        assertEquals(only(flatStatus("calypso-map-2", "IN_PROGRESS")).dedupKey(),
                only(flatStatus("calypso-map-2", "In Progress")).dedupKey());
        assertEquals(only(flatStatus("calypso-map-2", "CANCELED")).dedupKey(),
                only(flatStatus("calypso-map-2", "Canceled")).dedupKey());
    }

    @Test
    void openStatusesAreDistinctOutcomes() throws CallbackRejected {
        String created = only(flatStatus("calypso-map-3", "CREATED")).dedupKey();
        String inProgress = only(flatStatus("calypso-map-3", "IN_PROGRESS")).dedupKey();
        String hash = only(flat(CalypsoCallbacks.PAYOUT_HASH_RECEIVED, "calypso-map-3",
                "\"hash\":\"0xabc\",\"payoutStatus\":\"IN_PROGRESS\"")).dedupKey();
        String confirmed = only(flat(CalypsoCallbacks.PAYOUT_CONFIRMED, "calypso-map-3", "\"approved\":[]")).dedupKey();
        assertEquals(4, Set.of(created, inProgress, hash, confirmed).size());
    }

    @Test
    void payoutConfirmedIsOpenAndTheSameFactAsStatusConfirmed() throws CallbackRejected {
        PayoutOutcome confirmed = only(flat(CalypsoCallbacks.PAYOUT_CONFIRMED, "calypso-conf-1",
                "\"approved\":[\"alice@example.com\",\"bob@example.com\"]"));
        assertEquals(PayoutStatus.PENDING, confirmed.status());
        assertEquals("CONFIRMED", confirmed.stage());
        assertEquals(only(flatStatus("calypso-conf-1", "CONFIRMED")).dedupKey(), confirmed.dedupKey());
    }

    @Test
    void approversAreMaskedInTheStoredPayload() throws CallbackRejected {
        PayoutOutcome confirmed = only(flat(CalypsoCallbacks.PAYOUT_CONFIRMED, "calypso-conf-2",
                "\"approved\":[\"alice@example.com\",{\"email\":\"bob@example.com\"}]"));
        assertFalse(confirmed.rawPayload().contains("alice"), confirmed.rawPayload());
        assertFalse(confirmed.rawPayload().contains("bob"), confirmed.rawPayload());
        assertTrue(confirmed.rawPayload().contains("calypso-conf-2"), "the rest of the payload is kept");
    }

    @Test
    void hashReceivedKeepsTheHashAsChainReference() throws CallbackRejected {
        PayoutOutcome hash = only(flat(CalypsoCallbacks.PAYOUT_HASH_RECEIVED, "calypso-hash-1",
                "\"hash\":\"0xdeadbeef01\",\"payoutStatus\":\"IN_PROGRESS\""));
        assertEquals(PayoutStatus.PENDING, hash.status());
        assertEquals("HASH_RECEIVED", hash.stage());
        assertEquals("0xdeadbeef01", hash.bankReference());
        assertNull(hash.amount());
    }

    @Test
    void hashReceivedWithAFinalPayoutStatusKeepsThatFinalWord() throws CallbackRejected {
        PayoutOutcome hash = only(flat(CalypsoCallbacks.PAYOUT_HASH_RECEIVED, "calypso-hash-2",
                "\"hash\":\"0xdeadbeef02\",\"payoutStatus\":\"COMPLETED\""));
        assertEquals(PayoutStatus.PAID, hash.status());
        assertEquals("0xdeadbeef02", hash.bankReference());
    }

    @Test
    void hashReceivedWithoutAHashIsMalformed() {
        CallbackRejected e = rejected(flat(CalypsoCallbacks.PAYOUT_HASH_RECEIVED, "calypso-hash-3",
                "\"payoutStatus\":\"IN_PROGRESS\""));
        assertEquals(CallbackRejected.Reason.MALFORMED, e.reason());
        assertEquals(400, calypso.rejectionAnswer(e));
    }

    @Test
    void validationErrorIsOpenWithItsReasonAndOneStagePerWithdrawal() throws CallbackRejected {
        PayoutOutcome first = only(flat(CalypsoCallbacks.PAYOUT_VALIDATION_ERROR, "calypso-val-1",
                "\"message\":\"Insufficient funds on the balance\",\"dealWithdrawalId\":771,"
                        + "\"validationStatus\":\"INSUFFICIENT_FUNDS\""));
        assertEquals(PayoutStatus.PENDING, first.status());
        assertEquals("VALIDATION_ERROR/771", first.stage());
        assertEquals("INSUFFICIENT_FUNDS: Insufficient funds on the balance", first.failureReason());
        PayoutOutcome second = only(flat(CalypsoCallbacks.PAYOUT_VALIDATION_ERROR, "calypso-val-1",
                "\"message\":\"Address is invalid\",\"dealWithdrawalId\":772,\"validationStatus\":\"INVALID_ADDRESS\""));
        assertNotEquals(first.dedupKey(), second.dedupKey());
    }

    @Test
    void envelopeAndFlatShapesTranslateAlike() throws CallbackRejected {
        String data = flatStatus("calypso-env-1", "COMPLETED");
        PayoutOutcome fromFlat = only(data);
        PayoutOutcome fromEnvelope = only(envelope(CalypsoCallbacks.PAYOUT_CHANGE_STATUS, data));
        assertEquals(fromFlat.dedupKey(), fromEnvelope.dedupKey());
        assertEquals(fromFlat.providerPayoutId(), fromEnvelope.providerPayoutId());
        assertEquals(fromFlat.bankReference(), fromEnvelope.bankReference());
    }

    @Test
    void envelopeWithoutTypeInsideDataUsesEventType() throws CallbackRejected {
        String data = "{\"parentExternalId\":1,\"payoutStatus\":\"FAILED\",\"externalId\":\"calypso-env-2\"}";
        assertEquals(PayoutStatus.FAILED, only(envelope(CalypsoCallbacks.PAYOUT_CHANGE_STATUS, data)).status());
    }

    @Test
    void envelopeWhoseTypesDisagreeIsMalformed() {
        String data = flatStatus("calypso-env-3", "COMPLETED");
        assertEquals(CallbackRejected.Reason.MALFORMED,
                rejected(envelope(CalypsoCallbacks.PAYOUT_CONFIRMED, data)).reason());
    }

    @Test
    void createdDateWithoutZoneIsReadAsUtc() throws CallbackRejected {
        assertEquals(Instant.parse("2022-03-15T12:13:05.909616Z"), only(flatStatus("calypso-time-1", "CREATED")).eventTime());
        // The envelope's own createdDate (when the event was raised) wins over the payout's creation date.
        assertEquals(Instant.parse("2022-03-15T12:14:00.000001Z"),
                only(envelope(CalypsoCallbacks.PAYOUT_CHANGE_STATUS, flatStatus("calypso-time-1", "CREATED"))).eventTime());
    }

    @Test
    void createdDateWithAnOffsetKeepsIt() throws CallbackRejected {
        assertEquals(Instant.parse("2022-03-15T09:13:05Z"), CalypsoCallbacks.eventTime("2022-03-15T12:13:05+03:00"));
        assertEquals(CallbackRejected.Reason.MALFORMED,
                assertThrows(CallbackRejected.class, () -> CalypsoCallbacks.eventTime("15/03/2022 12:13")).reason());
    }

    @Test
    void parentExternalIdKeepsItsExactDigits() throws CallbackRejected {
        String body = "{\"type\":\"PAYOUT_CHANGE_STATUS\",\"parentExternalId\":123456789012345678901234567890,"
                + "\"payoutStatus\":\"COMPLETED\",\"externalId\":\"calypso-id-1\"}";
        assertEquals("123456789012345678901234567890", only(body).providerPayoutId());
        String asString = body.replace("123456789012345678901234567890", "\"98765\"");
        assertEquals("98765", only(asString).providerPayoutId());
    }

    @Test
    void withoutExternalIdThePayoutIsNamedByCalypsosOwnIdNeverByTheIdempotencyKey() throws CallbackRejected {
        String body = "{\"type\":\"PAYOUT_CHANGE_STATUS\",\"parentExternalId\":5,\"payoutStatus\":\"COMPLETED\","
                + "\"idempotencyKey\":\"calypso-idem-1\",\"externalId\":null}";
        PayoutOutcome o = only(body);
        assertEquals(null, o.payoutReference(), "the ledger resolves parentExternalId to the payout's reference");
        assertEquals("5", o.providerPayoutId());
        assertTrue(o.identifiedByProviderPayoutId());
    }

    @Test
    void aPayoutWithNeitherExternalIdNorParentExternalIdIsMalformed() {
        String body = "{\"type\":\"PAYOUT_CHANGE_STATUS\",\"idempotencyKey\":\"k\",\"payoutStatus\":\"COMPLETED\"}";
        assertEquals(CallbackRejected.Reason.MALFORMED, rejected(body).reason());
    }

    @Test
    void statusChangeWithoutStatusIsMalformed() {
        CallbackRejected e = rejected(flat(CalypsoCallbacks.PAYOUT_CHANGE_STATUS, "calypso-bad-1", null));
        assertEquals(CallbackRejected.Reason.MALFORMED, e.reason());
        assertEquals(400, calypso.rejectionAnswer(e));
    }

    @Test
    void malformedBodiesAreRejected() {
        for (String body : new String[] {"not json", "[]", "{\"externalId\":\"calypso-bad-2\"}",
                "{\"eventType\":\"PAYOUT_CONFIRMED\",\"data\":\"calypso-bad-3\"}",
                "{\"type\":\"PAYOUT_CONFIRMED\",\"externalId\":{\"id\":1}}"}) {
            CallbackRejected e = rejected(body);
            assertEquals(CallbackRejected.Reason.MALFORMED, e.reason(), body);
            assertEquals(400, calypso.rejectionAnswer(e), body);
        }
    }

    @Test
    void unknownEventIsRejectedWithA200SoCalypsoDoesNotRetryOrBlock() {
        CallbackRejected e = rejected(envelope("PAYOUT_EXPIRED", "{\"externalId\":\"calypso-unknown-1\"}"));
        assertEquals(CallbackRejected.Reason.UNKNOWN_EVENT, e.reason());
        assertEquals(200, calypso.rejectionAnswer(e));
        assertTrue(e.getMessage().contains("PAYOUT_EXPIRED"));
    }

    @Test
    void unknownPayoutStatusIsRejectedNotGuessed() {
        CallbackRejected e = rejected(flatStatus("calypso-unknown-2", "REFUNDED"));
        assertEquals(CallbackRejected.Reason.UNMAPPED_STATUS, e.reason());
        assertEquals(200, calypso.rejectionAnswer(e));
    }

    @Test
    void rejectionsDoNotEchoLongInput() {
        String longType = "X".repeat(500);
        assertTrue(rejected(flat(longType, "calypso-unknown-3", null)).getMessage().length() < 100);
    }

    @Test
    void keepsSignAndKeyForReplay() {
        assertEquals(Set.of("Sign", "Key"), calypso.replayHeaders());
    }

    /**
     * Calypso: 200 for what it sent that we cannot map and for the core's rejections no retry fixes; 400 for its
     * malformed bodies and for an unknown payout (a retry delivers it once the payout is known).
     */
    @Test
    void theAnswerPolicyForEveryRejection() {
        Map<Reason, Integer> own = Map.of(Reason.MALFORMED, 400, Reason.UNKNOWN_EVENT, 200,
                Reason.UNMAPPED_STATUS, 200, Reason.UNKNOWN_PAYOUT, 400);
        Map<Reason, Integer> byCore = Map.of(Reason.MALFORMED, 200, Reason.UNKNOWN_EVENT, 200,
                Reason.UNMAPPED_STATUS, 200, Reason.UNKNOWN_PAYOUT, 400);
        RejectionAnswers.assertAnswers(calypso, own, byCore);
    }
}
