package dev.payoutcallbacks.calypso;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.RuntimeSecrets;
import dev.payoutcallbacks.core.config.SharedSecrets;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.CallbackRequest;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.provider.PersonalData;
import dev.payoutcallbacks.core.provider.ProviderCallbacks;
import dev.payoutcallbacks.core.provider.Translation;
import dev.payoutcallbacks.core.provider.WebhookSignature;
import dev.payoutcallbacks.core.provider.WireText;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Calypso (crypto) payout webhooks (seed 002; docs.calypso.money payouts/payout-webhooks).
 *
 * <p>Two body shapes are accepted: the documented envelope {@code {requestId, id, createdDate, level,
 * service, eventType, data{...}}} and the flat shape of the payout-webhooks page (the same fields at
 * top level, the event in {@code type}). Status events carry no amount: outcomes leave it null and the
 * core keeps the amount it already has.
 *
 * <p>Unknown event types and payout statuses are quarantined and answered <b>200</b>, not 400: Calypso
 * retries anything but 200 nineteen times over ~34 h, and more than 100 errors in 10 minutes blocks the
 * whole subscription (valid payout updates included) until someone unblocks it, which then re-sends every
 * failed webhook at once. A retry cannot succeed before we ship a mapping; the quarantine keeps the
 * byte-exact body with {@code Sign} and {@code Key} for replay after the fix.
 */
public final class CalypsoCallbacks implements ProviderCallbacks {
    public static final String PROVIDER = "calypso";
    static final String PAYOUT_CHANGE_STATUS = "PAYOUT_CHANGE_STATUS";
    static final String PAYOUT_CONFIRMED = "PAYOUT_CONFIRMED";
    static final String PAYOUT_HASH_RECEIVED = "PAYOUT_HASH_RECEIVED";
    static final String PAYOUT_VALIDATION_ERROR = "PAYOUT_VALIDATION_ERROR";

    /** HTTP status for an authenticated callback we cannot map or apply (see the class comment). */
    static final int UNMAPPABLE_ANSWER = 200;
    /** HTTP status for a malformed body of Calypso's, and for an unknown payout (see {@link #rejectionAnswer}). */
    static final int MALFORMED_ANSWER = 400;

    /**
     * The documented payoutStatus enum, keyed by normalised name ("In Progress" → IN_PROGRESS), so the
     * human spellings of the event table map too. Open states stay PENDING; their name is the stage.
     */
    static final Map<String, PayoutStatus> PAYOUT_STATUSES = Map.of(
            "CREATION_IN_PROGRESS", PayoutStatus.PENDING,
            "CREATED", PayoutStatus.PENDING,
            "PENDING_CONFIRMATION", PayoutStatus.PENDING,
            "CONFIRMED", PayoutStatus.PENDING,
            "IN_PROGRESS", PayoutStatus.PENDING,
            "COMPLETED", PayoutStatus.PAID,
            "FAILED", PayoutStatus.FAILED,
            "CANCELED", PayoutStatus.CANCELLED,
            // A mass payout in which some items failed.
            "PARTIAL", PayoutStatus.PARTIALLY_PAID);

    static final String STAGE_CONFIRMED = "CONFIRMED";
    static final String STAGE_HASH_RECEIVED = "HASH_RECEIVED";
    static final String STAGE_VALIDATION_ERROR = "VALIDATION_ERROR";

    /** PAYOUT_CONFIRMED lists the users who approved the payout: personal data. */
    static final Set<String> PERSONAL_FIELDS;

    static {
        Set<String> fields = new HashSet<>(PersonalData.COMMON_FIELDS);
        fields.add("approved");
        PERSONAL_FIELDS = Set.copyOf(fields);
    }

    private static final int MAX_REASON_LENGTH = 500;

    /**
     * Calypso's webhook signature (docs.calypso.money, webhook-subscriptions/sign-check): {@code Sign} is the hex
     * HMAC-SHA512 of the raw body keyed with the subscription's {@code secretKey}. No timestamp is signed, so there
     * is no replay window to check: replays are absorbed by the ledger's dedup. Status API requests are signed so too.
     */
    static final WebhookSignature SIGN = WebhookSignature.hmac("HmacSHA512", "Sign", WebhookSignature.Encoding.HEX);
    /** The subscription's public key. */
    static final String KEY_HEADER = "Key";

    private final SharedSecrets webhookSecrets;
    private final SharedSecrets subscriptionKeys;

    /**
     * Its settings. Secrets (see {@link RuntimeSecrets}): CALYPSO_WEBHOOK_SECRETS (the subscriptions' secretKey, HMAC
     * of Sign) and CALYPSO_SUBSCRIPTION_KEYS (the expected Key header values), each comma-separated for rotation.
     */
    public static CalypsoCallbacks fromEnvironment(FunctionEnvironment env, RuntimeSecrets secrets) {
        secrets.refuseInEnvironment(env, "CALYPSO_WEBHOOK_SECRETS", "CALYPSO_SUBSCRIPTION_KEYS");
        return new CalypsoCallbacks(secrets.keys("CALYPSO_WEBHOOK_SECRETS", true),
                secrets.keys("CALYPSO_SUBSCRIPTION_KEYS", true));
    }

    /** The {@code Key} header's value is checked against {@code subscriptionKeys} (CALYPSO_SUBSCRIPTION_KEYS). */
    public CalypsoCallbacks(SharedSecrets webhookSecrets, SharedSecrets subscriptionKeys) {
        this.webhookSecrets = webhookSecrets;
        this.subscriptionKeys = subscriptionKeys;
    }

    /** Signature only: {@code Key} must be present, its value is not checked (tests of translation). */
    public CalypsoCallbacks(SharedSecrets webhookSecrets) {
        this(webhookSecrets, null);
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    /**
     * True when {@code Key} is one of the configured subscription keys (constant time, several during a rotation)
     * and {@code Sign} is the HMAC of the body as received under one of the accepted secrets. Both checks always run.
     */
    @Override
    public boolean authentic(CallbackRequest request) {
        String key = request.header(KEY_HEADER);
        boolean keyOk = subscriptionKeys == null ? key != null && !key.isBlank() : subscriptionKeys.matches(key);
        boolean signOk = SIGN.verify(request, webhookSecrets);
        return signOk & keyOk;
    }

    /**
     * 200 (quarantined) for what we cannot map and for the core's own rejections that no retry can fix (no outcome,
     * a translation or storage refusal): a non-200 counts towards the 100 errors in 10 minutes that block the whole
     * subscription, valid payout updates included. Two stay 400: a body Calypso sent malformed
     * (events/CalypsoCallbackFunction/18), and an event naming only a payout id nobody knows yet, which Calypso's
     * retry delivers once the payout is known (its event with externalId, or its registration, may simply be late).
     */
    @Override
    public int rejectionAnswer(CallbackRejected rejected) {
        boolean retryCanHelp = rejected.reason() == CallbackRejected.Reason.UNKNOWN_PAYOUT;
        boolean ownMalformed = rejected.reason() == CallbackRejected.Reason.MALFORMED && !rejected.byCore();
        return retryCanHelp || ownMalformed ? MALFORMED_ANSWER : UNMAPPABLE_ANSWER;
    }

    /** Sign and Key let a quarantined callback be verified again on replay; neither is a secret. */
    @Override
    public Set<String> replayHeaders() {
        return Set.of(SIGN.header(), KEY_HEADER);
    }

    @Override
    public Translation translate(CallbackRequest request) throws CallbackRejected {
        ObjectNode body = Json.object(request.body());
        Shape shape = shape(body);
        switch (shape.event()) {
            case PAYOUT_CHANGE_STATUS, PAYOUT_CONFIRMED, PAYOUT_HASH_RECEIVED, PAYOUT_VALIDATION_ERROR -> { }
            default -> throw new CallbackRejected(CallbackRejected.Reason.UNKNOWN_EVENT,
                    "unknown eventType \"" + WireText.clip(shape.event()) + "\"");
        }
        JsonNode fields = shape.fields();
        PayoutOutcome.Builder outcome = switch (shape.event()) {
            case PAYOUT_CHANGE_STATUS -> statusChange(fields);
            case PAYOUT_CONFIRMED -> PayoutOutcome.builder(null, PayoutStatus.PENDING).stage(STAGE_CONFIRMED);
            case PAYOUT_HASH_RECEIVED -> hashReceived(fields);
            default -> validationError(fields);
        };
        try {
            String reference = reference(fields);
            String payoutId = providerPayoutId(fields);
            if (reference == null && payoutId == null) {
                throw CallbackRejected.malformed("externalId or parentExternalId is required");
            }
            return Translation.of(outcome
                    .payoutReference(reference)
                    .provider(provider())
                    .providerPayoutId(payoutId)
                    // Calypso's parentExternalId names the payout in every event; externalId may be absent.
                    .identifiedByProviderPayoutId()
                    .eventTime(eventTime(shape.createdDate()))
                    .receivedAt(request.receivedAt())
                    .rawPayload(Json.masked(body, PERSONAL_FIELDS))
                    .build());
        } catch (IllegalArgumentException invalid) {
            throw CallbackRejected.malformed(invalid.getMessage());
        }
    }

    /** The event, its fields and the event time, from either body shape. */
    record Shape(String event, JsonNode fields, String createdDate) {
    }

    static Shape shape(ObjectNode body) throws CallbackRejected {
        JsonNode data = body.get("data");
        if (data != null && !data.isNull()) {
            if (!data.isObject()) {
                throw CallbackRejected.malformed("data must be an object");
            }
            String outer = Json.text(body, "eventType");
            String inner = Json.text(data, "type");
            if (outer != null && inner != null && !outer.equals(inner)) {
                throw CallbackRejected.malformed("eventType and data.type disagree");
            }
            String event = outer != null ? outer : inner;
            if (event == null || event.isBlank()) {
                throw CallbackRejected.malformed("eventType is required");
            }
            // The envelope's createdDate is when the event was raised; data.createdDate is the payout's creation.
            String created = Json.text(body, "createdDate");
            return new Shape(event, data, created != null ? created : Json.text(data, "createdDate"));
        }
        String event = Json.text(body, "type");
        if (event == null) {
            event = Json.text(body, "eventType");
        }
        if (event == null || event.isBlank()) {
            throw CallbackRejected.malformed("type (flat body) or eventType with data (envelope) is required");
        }
        // Flat bodies carry only the payout's createdDate: the best event time there is.
        return new Shape(event, body, Json.text(body, "createdDate"));
    }

    private static PayoutOutcome.Builder statusChange(JsonNode fields) throws CallbackRejected {
        return statusOutcome(payoutStatus(fields, true)).bankReference(hash(fields));
    }

    /**
     * A hash is on chain but not all confirmations are in: still open, with the hash as chain reference.
     * Should the payload's own payoutStatus already be final, that final word is kept rather than lost.
     */
    private static PayoutOutcome.Builder hashReceived(JsonNode fields) throws CallbackRejected {
        String hash = hash(fields);
        if (hash == null) {
            throw CallbackRejected.malformed("hash is required for " + PAYOUT_HASH_RECEIVED);
        }
        String calypsoStatus = payoutStatus(fields, false);
        PayoutStatus status = calypsoStatus == null ? PayoutStatus.PENDING : PAYOUT_STATUSES.get(calypsoStatus);
        return status.terminal()
                ? PayoutOutcome.builder(null, status).stage(calypsoStatus).bankReference(hash)
                : PayoutOutcome.builder(null, PayoutStatus.PENDING).stage(STAGE_HASH_RECEIVED).bankReference(hash);
    }

    /**
     * A validation error on one withdrawal (dealWithdrawalId) of the payout. Not a payout status of
     * Calypso's enum and not final: a mass payout may still complete or end PARTIAL, and a failed payout
     * is announced by PAYOUT_CHANGE_STATUS FAILED. Mapping it to FAILED would re-credit the sender
     * (Slate "failed") for money that may still go out, and turn the later success into a conflict.
     * So it is PENDING, one distinct stage per withdrawal, with the reason kept in history.
     */
    private static PayoutOutcome.Builder validationError(JsonNode fields) throws CallbackRejected {
        String withdrawal = scalar(fields, "dealWithdrawalId");
        String validationStatus = Json.text(fields, "validationStatus");
        String message = Json.text(fields, "message");
        String subject = withdrawal != null ? withdrawal : validationStatus;
        StringBuilder reason = new StringBuilder();
        if (validationStatus != null) {
            reason.append(validationStatus);
        }
        if (message != null) {
            reason.append(reason.length() > 0 ? ": " : "").append(message);
        }
        return PayoutOutcome.builder(null, PayoutStatus.PENDING)
                .stage(STAGE_VALIDATION_ERROR + (subject == null ? "" : "/" + subject))
                .failureReason(reason.length() == 0 ? "validation error" : WireText.clip(reason.toString(), MAX_REASON_LENGTH));
    }

    /** The documented payoutStatus, normalised; UNMAPPED_STATUS (quarantined, 200) when unknown. */
    private static String payoutStatus(JsonNode fields, boolean required) throws CallbackRejected {
        String raw = Json.text(fields, "payoutStatus");
        if (raw == null || raw.isBlank()) {
            if (required) {
                throw CallbackRejected.malformed("payoutStatus is required for " + PAYOUT_CHANGE_STATUS);
            }
            return null;
        }
        return knownStatus(raw);
    }

    /**
     * A Calypso payout status (a webhook's payoutStatus, the status API's state) normalised to the documented
     * enum; UNMAPPED_STATUS when it is not one of them.
     */
    static String knownStatus(String raw) throws CallbackRejected {
        String normalised = normalise(raw);
        if (!PAYOUT_STATUSES.containsKey(normalised)) {
            throw new CallbackRejected(CallbackRejected.Reason.UNMAPPED_STATUS,
                    "unmapped payoutStatus \"" + WireText.clip(raw) + "\"");
        }
        return normalised;
    }

    /**
     * The outcome a Calypso payout status means, whoever reports it: PAYOUT_CHANGE_STATUS webhooks and the
     * status API ({@link CalypsoStatusApi}) share this table and this stage naming, so the same state seen
     * on both paths is one outcome (open states dedupe by stage, final ones by status).
     */
    static PayoutOutcome.Builder statusOutcome(String rawStatus) throws CallbackRejected {
        String status = knownStatus(rawStatus);
        return PayoutOutcome.builder(null, PAYOUT_STATUSES.get(status)).stage(status);
    }

    /** "In Progress" and IN_PROGRESS are one status (the docs use both spellings). */
    static String normalise(String status) {
        return status.trim().replaceAll("[\\s-]+", "_").toUpperCase(Locale.ROOT);
    }

    /**
     * The merchant's externalId, or null: the payout is then found by Calypso's own id (parentExternalId),
     * which the ledger maps to the reference it was first seen or registered with, or refused while
     * unknown. Never the idempotencyKey: events of one payout with and without externalId would otherwise
     * land in two records (one payout, two references).
     */
    private static String reference(JsonNode fields) throws CallbackRejected {
        String value = scalar(fields, "externalId");
        return value == null || value.isBlank() ? null : value;
    }

    /** Calypso's own id: a JSON number, kept as its exact text. */
    private static String providerPayoutId(JsonNode fields) throws CallbackRejected {
        return scalar(fields, "parentExternalId");
    }

    private static String hash(JsonNode fields) throws CallbackRejected {
        String hash = scalar(fields, "hash");
        return hash == null || hash.isBlank() ? null : hash;
    }

    /** A string or number field as exact text; null when absent; malformed when an object, array or boolean. */
    private static String scalar(JsonNode fields, String field) throws CallbackRejected {
        JsonNode node = fields.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        String text = Json.scalarText(node);
        if (text == null) {
            throw CallbackRejected.malformed(field + " must be a string or a number");
        }
        return text;
    }

    /**
     * createdDate has no zone (e.g. 2022-03-15T12:13:05.909616). Calypso documents none; we read it as
     * UTC, the usual server clock. An offset, when one is sent, is honoured.
     */
    static Instant eventTime(String createdDate) throws CallbackRejected {
        if (createdDate == null || createdDate.isBlank()) {
            return null;
        }
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(createdDate.trim(),
                    ZonedDateTime::from, LocalDateTime::from);
            return parsed instanceof ZonedDateTime zoned
                    ? zoned.toInstant()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw CallbackRejected.malformed("createdDate must be ISO-8601, e.g. 2022-03-15T12:13:05.909616");
        }
    }

}
