package dev.payoutcallbacks.m2money;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.RuntimeSecrets;
import dev.payoutcallbacks.core.config.SharedSecrets;
import dev.payoutcallbacks.core.payout.Money;
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
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * M2Money (Xettle engine; India, INR) payout callbacks (seed 003).
 *
 * <p>Envelope {@code {event, code, message, data}}. The event says what happened; {@code code} and
 * {@code data.status} must agree with it, otherwise the callback is quarantined rather than guessed at:
 * <pre>
 *   payout.transfer.success                          0x0200  status processed        → PAID (utr kept)
 *   payout.transfer.failed                           0x0202  status failed|cancelled → FAILED|CANCELLED
 *   payout.transfer.reverse | payout.transfer.reversed 0x0207  status reversed       → REVERSED
 * </pre>
 *
 * <p>The payout is keyed by {@code data.clientRefId}: it is the merchant's own reference, sent when the
 * payout was created, so it is the key every other route (Slate, the reconciler, the read API) knows.
 * {@code data.orderRefId} is M2Money's id for the same order and is kept as providerPayoutId.
 *
 * <p>Unknown events and unmapped or contradictory event/code/status combinations are quarantined and,
 * by default, answered 200: M2Money gives up after three tries within about two minutes (back-off 10 s,
 * 100 s) and treats any non-2xx as a failure to retry, so a 4xx or 5xx would only store two more copies
 * of a body no retry can fix. The quarantined body (with its {@code Signature}) waits for a fix and
 * replay. A body we cannot read at all is still a 400.
 */
public final class M2MoneyCallbacks implements ProviderCallbacks {
    public static final String PROVIDER = "m2money";
    public static final String CURRENCY = "INR";
    /** What an unknown event or an unmapped status is answered with after quarantine; see the class note. */
    public static final int DEFAULT_UNTRANSLATABLE_HTTP_STATUS = 200;

    /** The events M2Money sends for a payout, with the code each must carry. */
    enum TransferEvent {
        SUCCESS("0x0200", Set.of(PayoutStatus.PAID)),
        FAILED("0x0202", Set.of(PayoutStatus.FAILED, PayoutStatus.CANCELLED)),
        REVERSED("0x0207", Set.of(PayoutStatus.REVERSED));

        final String code;
        /** The canonical statuses {@code data.status} may name under this event; the first is the default. */
        final Set<PayoutStatus> allows;

        TransferEvent(String code, Set<PayoutStatus> allows) {
            this.code = code;
            this.allows = allows;
        }

        PayoutStatus defaultStatus() {
            return switch (this) {
                case SUCCESS -> PayoutStatus.PAID;
                case FAILED -> PayoutStatus.FAILED;
                case REVERSED -> PayoutStatus.REVERSED;
            };
        }
    }

    /** Event names. The reversal is seen under both spellings in integrators' code. */
    static final Map<String, TransferEvent> EVENTS = Map.of(
            "payout.transfer.success", TransferEvent.SUCCESS,
            "payout.transfer.failed", TransferEvent.FAILED,
            "payout.transfer.reverse", TransferEvent.REVERSED,
            "payout.transfer.reversed", TransferEvent.REVERSED);

    /**
     * Every payout status M2Money documents (callback samples and the status API), compared lower-case.
     * queued/processing/pending are mapped so the table is complete, but no callback event may carry them.
     */
    static final Map<String, PayoutStatus> STATUSES = Map.of(
            "queued", PayoutStatus.PENDING,
            "pending", PayoutStatus.PENDING,
            "processing", PayoutStatus.PENDING,
            "processed", PayoutStatus.PAID,
            "failed", PayoutStatus.FAILED,
            "cancelled", PayoutStatus.CANCELLED,
            "reversed", PayoutStatus.REVERSED);

    /**
     * Personal fields masked before anything is stored: the common names plus Xettle's own
     * ({@code accountIFSC}, and {@code card} for card payouts). {@code contactId} is NOT masked: it is an
     * opaque id in the merchant's M2Money contact book, useless without M2Money access, and needed to
     * trace a payout with their support.
     */
    static final Set<String> PERSONAL_FIELDS;

    static {
        Set<String> fields = new HashSet<>(PersonalData.COMMON_FIELDS);
        fields.addAll(Set.of("accountIFSC", "card", "cardNumber", "vpaAddress", "accountHolderName"));
        PERSONAL_FIELDS = Set.copyOf(fields);
    }

    /** Free-text fields that may quote the beneficiary ("Beneficiary name mismatch: ..."): scrubbed. */
    private static final List<String> FREE_TEXT = List.of("message", "reason");
    /** Digit runs as long as a phone or account number, scrubbed from free text whatever the field said. */
    private static final Pattern LONG_DIGITS = Pattern.compile("\\d{9,}");
    /** Rupees with at most 2 decimals: no sign, no exponent, no separators. */
    private static final Pattern RUPEES = Pattern.compile("\\d{1,15}(\\.\\d{1,2})?");
    private static final String AMOUNT_POINTER = "/data/amount";
    private static final String MASK = "***";

    /**
     * M2Money's callback signature (inferred from the Xettle engine, which signs with the standard Laravel
     * webhook-server signer): {@code Signature} = hex HMAC-SHA256 of the body keyed with the merchant's webhook
     * secret. No timestamp is signed; replays are absorbed by the ledger's dedup. The MAC covers the body bytes
     * exactly as received: the sender's JSON escapes {@code /} as {@code \/} (and non-ASCII as {@code \\uXXXX}),
     * and a re-serialisation would break every genuine signature.
     */
    public static final WebhookSignature SIGNATURE =
            WebhookSignature.hmac("HmacSHA256", "Signature", WebhookSignature.Encoding.HEX);

    private final SharedSecrets webhookSecrets;
    private final int untranslatableHttpStatus;

    /**
     * Its settings. Secret (see {@link RuntimeSecrets}): M2MONEY_WEBHOOK_SECRETS (comma-separated, for rotation).
     * Env: optional M2MONEY_UNTRANSLATABLE_HTTP_STATUS (answer to a quarantined unknown event or status, default 200).
     */
    public static M2MoneyCallbacks fromEnvironment(FunctionEnvironment env, RuntimeSecrets secrets) {
        secrets.refuseInEnvironment(env, "M2MONEY_WEBHOOK_SECRETS");
        return new M2MoneyCallbacks(secrets.keys("M2MONEY_WEBHOOK_SECRETS", true),
                env.intOrDefault("M2MONEY_UNTRANSLATABLE_HTTP_STATUS", DEFAULT_UNTRANSLATABLE_HTTP_STATUS));
    }

    public M2MoneyCallbacks(SharedSecrets webhookSecrets) {
        this(webhookSecrets, DEFAULT_UNTRANSLATABLE_HTTP_STATUS);
    }

    public M2MoneyCallbacks(SharedSecrets webhookSecrets, int untranslatableHttpStatus) {
        if (untranslatableHttpStatus < 200 || untranslatableHttpStatus > 599) {
            throw new IllegalArgumentException("untranslatable HTTP status must be 200-599");
        }
        this.webhookSecrets = webhookSecrets;
        this.untranslatableHttpStatus = untranslatableHttpStatus;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public boolean authentic(CallbackRequest request) {
        return SIGNATURE.verify(request, webhookSecrets);
    }

    /**
     * The configured status (M2MONEY_UNTRANSLATABLE_HTTP_STATUS, default 200) for an event or status of M2Money's we
     * cannot map; 400 for a malformed body and for the core's own rejections.
     */
    @Override
    public int rejectionAnswer(CallbackRejected rejected) {
        boolean unmappable = rejected.reason() == CallbackRejected.Reason.UNKNOWN_EVENT
                || rejected.reason() == CallbackRejected.Reason.UNMAPPED_STATUS;
        return unmappable && !rejected.byCore() ? untranslatableHttpStatus : 400;
    }

    /** The signature lets a quarantined body be verified again on replay; it is not itself a secret. */
    @Override
    public Set<String> replayHeaders() {
        return Set.of(SIGNATURE.header());
    }

    @Override
    public Translation translate(CallbackRequest request) throws CallbackRejected {
        ObjectNode body = Json.object(request.body());
        String eventName = Json.text(body, "event");
        if (eventName == null || eventName.isBlank()) {
            throw CallbackRejected.malformed("event is required");
        }
        TransferEvent event = EVENTS.get(eventName);
        if (event == null) {
            throw new CallbackRejected(CallbackRejected.Reason.UNKNOWN_EVENT,
                    "unknown event \"" + WireText.clip(eventName) + "\"");
        }
        JsonNode data = body.get("data");
        if (data == null || !data.isObject()) {
            throw CallbackRejected.malformed("data must be an object");
        }
        String code = Json.text(body, "code");
        if (code != null && !event.code.equalsIgnoreCase(code.trim())) {
            // A success with a failure code (or the reverse) cannot be settled by guessing: money is at stake.
            throw unmapped(eventName + " arrived with code \"" + WireText.clip(code) + "\", expected " + event.code);
        }
        String reference = Json.text(data, "clientRefId");
        if (reference == null || reference.isBlank()) {
            // Never fall back to orderRefId: that would open a second payout record under M2Money's id.
            throw CallbackRejected.malformed("data.clientRefId is required");
        }
        String statusText = Json.text(data, "status");
        PayoutStatus status = event.defaultStatus();
        if (statusText != null) {
            status = orderStatus(statusText);
            if (status == null) {
                throw unmapped("unmapped payout status \"" + WireText.clip(statusText) + "\"");
            }
            if (!event.allows.contains(status)) {
                throw unmapped(eventName + " cannot carry status \"" + WireText.clip(statusText) + "\"");
            }
        }
        try {
            return Translation.of(orderOutcome(body, request.body(), data, reference.trim(), status)
                    .stage(eventName + "/" + (statusText == null ? "-" : statusText.trim()))
                    .receivedAt(request.receivedAt())
                    .build());
        } catch (IllegalArgumentException invalid) {
            throw CallbackRejected.malformed(invalid.getMessage());
        }
    }

    /** A documented order status (callback or status API), compared lower-case; null when unknown. */
    static PayoutStatus orderStatus(String statusText) {
        return statusText == null ? null : STATUSES.get(statusText.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * The outcome one order's {@code data} describes, whoever delivers it: callbacks and the status API
     * ({@link M2MoneyStatusApi}) carry the same fields (orderRefId, clientRefId, amount, status, utr, reason),
     * read here once: the exact amount, the reversal's adjustment, the UTR, the reason scrubbed of personal
     * data and the payload masked. The caller adds stage, time and source.
     *
     * @throws IllegalArgumentException when the amount is unreadable or a reversal carries none
     */
    static PayoutOutcome.Builder orderOutcome(ObjectNode body, byte[] rawBody, JsonNode data, String reference,
                                              PayoutStatus status) {
        Set<String> personalValues = personalValues(data);
        Money amount = amount(rawBody, data);
        if (status == PayoutStatus.REVERSED && amount == null) {
            throw new IllegalArgumentException("a reversal needs data.amount");
        }
        String reason = scrub(Json.text(data, "reason"), personalValues);
        return PayoutOutcome.builder(reference, status)
                .provider(PROVIDER)
                .providerPayoutId(Json.text(data, "orderRefId"))
                .amount(amount)
                // A reversal returns the whole transfer: the adjustment is the transfer amount.
                .adjustmentAmount(status == PayoutStatus.REVERSED ? amount : null)
                .bankReference(Json.text(data, "utr"))
                .failureReason(status == PayoutStatus.PAID ? null : reason)
                .rawPayload(maskedPayload(body, personalValues));
    }

    /**
     * {@code data.amount}: rupees as a string ("500.00") or a JSON number (50000). A number is read from its
     * raw token so an exponent ("5e4") is refused rather than silently expanded. Null when absent.
     */
    static Money amount(byte[] rawBody, JsonNode data) {
        JsonNode node = data.get("amount");
        if (node == null || node.isNull()) {
            return null;
        }
        String text;
        if (node.isTextual()) {
            text = node.textValue(); // " 500.00" is refused with a clear 400, not trimmed into an amount
        } else if (node.isNumber()) {
            text = rawNumberToken(rawBody, AMOUNT_POINTER);
        } else {
            throw new IllegalArgumentException("data.amount must be a string or a number");
        }
        if (text == null || !RUPEES.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    "data.amount must be rupees with at most 2 decimals, such as \"500.00\" (no sign, no exponent)");
        }
        return Money.parse(text, CURRENCY);
    }

    /** The number exactly as written in the body at {@code pointer} (the tree has already rejected duplicates). */
    private static String rawNumberToken(byte[] rawBody, String pointer) {
        try (JsonParser parser = Json.MAPPER.createParser(rawBody)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token.isNumeric() && pointer.equals(parser.getParsingContext().pathAsPointer().toString())) {
                    return parser.getText();
                }
            }
            return null;
        } catch (IOException unreadable) {
            return null; // cannot happen after the tree parse succeeded; refused as a bad amount
        }
    }

    /** Values of personal fields in {@code data} (at any depth), to be scrubbed from free text. */
    private static Set<String> personalValues(JsonNode data) {
        Set<String> values = new HashSet<>();
        collectPersonal(data, values);
        return values;
    }

    private static void collectPersonal(JsonNode node, Set<String> into) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (PERSONAL_FIELDS.contains(field.getKey()) && value.isValueNode()) {
                    String text = value.asText().trim();
                    if (text.length() >= 3) { // shorter values would mangle unrelated words
                        into.add(text);
                    }
                } else {
                    collectPersonal(value, into);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectPersonal(child, into));
        }
    }

    /** Free text with any personal value it quotes, and any phone- or account-length digit run, masked. */
    static String scrub(String text, Set<String> personalValues) {
        if (text == null) {
            return null;
        }
        String scrubbed = text;
        for (String value : personalValues) {
            scrubbed = Pattern.compile(Pattern.quote(value), Pattern.CASE_INSENSITIVE)
                    .matcher(scrubbed).replaceAll(Matcher.quoteReplacement(MASK));
        }
        return LONG_DIGITS.matcher(scrubbed).replaceAll(MASK);
    }

    /** The payload as stored: personal fields masked, free-text fields scrubbed. */
    private static String maskedPayload(ObjectNode body, Set<String> personalValues) {
        ObjectNode copy = body.deepCopy();
        scrubFreeText(copy, personalValues);
        JsonNode data = copy.get("data");
        if (data != null && data.isObject()) {
            scrubFreeText((ObjectNode) data, personalValues);
        }
        return Json.masked(copy, PERSONAL_FIELDS);
    }

    private static void scrubFreeText(ObjectNode node, Set<String> personalValues) {
        for (String field : FREE_TEXT) {
            JsonNode value = node.get(field);
            if (value != null && value.isTextual()) {
                node.set(field, TextNode.valueOf(scrub(value.textValue(), personalValues)));
            }
        }
    }

    private CallbackRejected unmapped(String message) {
        return new CallbackRejected(CallbackRejected.Reason.UNMAPPED_STATUS, message);
    }

}
