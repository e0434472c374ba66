package dev.payoutcallbacks.commpix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Comm.Pix (Brazil, PIX, BRL) payout notifications (seed 004): {@code {type, data}}.
 *
 * <p>Auth: Comm.Pix sends from fixed IPs and publishes no signature, so a callback is authentic only when
 * (1) API Gateway's source IP (never X-Forwarded-For, which the sender writes) is in the allow list,
 * (2) the token header holds one of the configured tokens, and (3) when HMAC secrets are configured, the
 * signature header holds the HMAC-SHA256 of the raw body. All three are evaluated every time.
 *
 * <p>The notification type alone decides the status. {@code data.status} is typed "string" but its values
 * are not published, so mapping it would mean guessing; each type's meaning is documented, and Comm.Pix
 * tells receivers to process "based on their unique IDs and type". data.status stays in the stored payload.
 *
 * <p>Unknown types from an authenticated sender are quarantined and answered 200: Comm.Pix retries any
 * non-success answer 10 times over about a day, and no retry can succeed before our code learns the type,
 * so a 4xx would only store ten quarantined copies. The quarantined raw body is replayed after a fix.
 */
public final class CommPixCallbacks implements ProviderCallbacks {
    public static final String DEFAULT_TOKEN_HEADER = "X-Webhook-Token";
    public static final String DEFAULT_SIGNATURE_HEADER = "X-Signature";
    public static final String CURRENCY = "BRL";
    /** Amounts are integer centavos: 1000 = 10.00. */
    private static final int CENTS_SCALE = 2;
    static final int UNKNOWN_TYPE_HTTP_STATUS = 200;

    /** The documented notification types; PAYOUT_REFUNDED is handled apart (it names an earlier payout). */
    static final Map<String, PayoutStatus> PAYOUT_TYPES = Map.of(
            "PAYOUT_CREATED", PayoutStatus.PENDING,
            "PAYOUT_COMPLETED", PayoutStatus.PAID,
            "PAYOUT_FAILED", PayoutStatus.FAILED);
    static final String REFUNDED_TYPE = "PAYOUT_REFUNDED";

    /** PIX payloads may name the receiver and their key or CPF/CNPJ under these names too. */
    static final Set<String> PERSONAL_FIELDS;

    static {
        Set<String> fields = new HashSet<>(PersonalData.COMMON_FIELDS);
        fields.addAll(Set.of("key", "pixKeyValue", "receiverName", "receiverDocument", "receiverKey",
                "holderName", "holderDocument", "documentNumber", "payerName", "payerDocument"));
        PERSONAL_FIELDS = Set.copyOf(fields);
    }

    /**
     * The optional body signature: hex HMAC-SHA256 of the raw body in {@code header}. Comm.Pix publishes no
     * signature scheme (its docs say to validate "signature, headers, or source"), so it is only enforced when
     * secrets are configured, for a deployment that agreed one with Comm.Pix.
     */
    static WebhookSignature scheme(String header) {
        return WebhookSignature.hmac("HmacSHA256", header, WebhookSignature.Encoding.HEX);
    }

    /** The scheme under the default header. */
    public static final WebhookSignature SIGNATURE = scheme(DEFAULT_SIGNATURE_HEADER);

    private final CommPixSenderAllowList senders;
    private final SharedSecrets tokens;
    private final SharedSecrets hmacSecrets;
    private final String tokenHeader;
    private final WebhookSignature signature;

    /**
     * Its settings. Env: COMMPIX_ALLOWED_IPS (comma-separated IPs/CIDRs, IPv4 and IPv6), optional
     * COMMPIX_TOKEN_HEADER (default X-Webhook-Token) and COMMPIX_SIGNATURE_HEADER (default X-Signature). Secrets (see
     * {@link RuntimeSecrets}): COMMPIX_TOKENS (comma-separated), COMMPIX_HMAC_SECRETS (comma-separated; absent,
     * empty or "none": no signature required).
     */
    public static CommPixCallbacks fromEnvironment(FunctionEnvironment env, RuntimeSecrets secrets) {
        secrets.refuseInEnvironment(env, "COMMPIX_TOKENS", "COMMPIX_HMAC_SECRETS");
        return new CommPixCallbacks(CommPixSenderAllowList.parse(env.require("COMMPIX_ALLOWED_IPS")),
                secrets.keys("COMMPIX_TOKENS", true), secrets.keys("COMMPIX_HMAC_SECRETS", false),
                env.getOrDefault("COMMPIX_TOKEN_HEADER", DEFAULT_TOKEN_HEADER),
                env.getOrDefault("COMMPIX_SIGNATURE_HEADER", DEFAULT_SIGNATURE_HEADER));
    }

    /** A fixed HMAC secret setting as {@link #fromEnvironment} reads it: absent or "none" is no signature. */
    static SharedSecrets hmacSecrets(String configured) {
        return configured == null || configured.trim().equalsIgnoreCase("none")
                ? SharedSecrets.parse(null) : SharedSecrets.parse(configured);
    }

    /**
     * @param hmacSecrets empty: no signature required (Comm.Pix documents none)
     */
    public CommPixCallbacks(CommPixSenderAllowList senders, SharedSecrets tokens, SharedSecrets hmacSecrets,
                            String tokenHeader, String signatureHeader) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("at least one Comm.Pix token is required");
        }
        this.senders = senders;
        this.tokens = tokens;
        this.hmacSecrets = hmacSecrets;
        this.tokenHeader = tokenHeader;
        this.signature = scheme(signatureHeader);
    }

    public CommPixCallbacks(CommPixSenderAllowList senders, SharedSecrets tokens, SharedSecrets hmacSecrets) {
        this(senders, tokens, hmacSecrets, DEFAULT_TOKEN_HEADER, DEFAULT_SIGNATURE_HEADER);
    }

    @Override
    public String provider() {
        return "commpix";
    }

    @Override
    public boolean authentic(CallbackRequest request) {
        // Non-short-circuit: every check runs, so timing does not tell which one failed.
        boolean fromComm = senders.allows(request.sourceIp());
        boolean tokenOk = tokens.matches(request.header(tokenHeader));
        boolean signatureOk = hmacSecrets.isEmpty()
                || signature.verify(request, hmacSecrets);
        return fromComm & tokenOk & signatureOk;
    }

    /** 200 (quarantined) for a type of Comm.Pix's we do not know (see the class comment); 400 otherwise. */
    @Override
    public int rejectionAnswer(CallbackRejected rejected) {
        return rejected.reason() == CallbackRejected.Reason.UNKNOWN_EVENT && !rejected.byCore()
                ? UNKNOWN_TYPE_HTTP_STATUS : 400;
    }

    /** The signature (a MAC, not a secret) is kept so a quarantined body can be verified on replay; the token is not. */
    @Override
    public Set<String> replayHeaders() {
        return hmacSecrets.isEmpty() ? Set.of() : Set.of(signature.header());
    }

    @Override
    public Translation translate(CallbackRequest request) throws CallbackRejected {
        ObjectNode body = Json.object(request.body());
        String type = Json.text(body, "type");
        if (type == null || type.isBlank()) {
            throw CallbackRejected.malformed("type is required");
        }
        JsonNode data = body.get("data");
        if (data == null || !data.isObject()) {
            throw CallbackRejected.malformed("data must be an object");
        }
        String masked = Json.masked(body, PERSONAL_FIELDS);
        PayoutStatus status = PAYOUT_TYPES.get(type);
        if (status != null) {
            return Translation.of(payout(type, status, data, request, masked));
        }
        if (REFUNDED_TYPE.equals(type)) {
            return Translation.of(refund(data, request, masked));
        }
        throw new CallbackRejected(CallbackRejected.Reason.UNKNOWN_EVENT,
                "unknown notification type \"" + WireText.clip(type) + "\"; quarantined for replay");
    }

    /** PAYOUT_CREATED | COMPLETED | FAILED: the payout itself, {@code data.externalId} is our reference. */
    private PayoutOutcome payout(String type, PayoutStatus status, JsonNode data, CallbackRequest request,
                                 String masked) throws CallbackRejected {
        String reference = required(data, "externalId", "data.externalId");
        refuseContradiction(type, status, Json.text(data, "status"));
        PayoutOutcome.Builder outcome = PayoutOutcome.builder(reference, status)
                .provider(provider())
                .providerPayoutId(Json.text(data, "id"))
                .stage(type)
                .amount(cents(data.get("amount"), "data.amount", false))
                .receivedAt(request.receivedAt())
                .rawPayload(masked);
        if (status == PayoutStatus.PAID) {
            outcome.bankReference(Json.text(data, "transactionEndToEndId")); // the PIX end-to-end id
        }
        if (status == PayoutStatus.FAILED) {
            // No reason field is documented; keep one if Comm.Pix sends it.
            outcome.failureReason(Json.text(data, "reason"));
        }
        return build(outcome);
    }

    /** data.status words that name an outcome; any other word (or none) leaves the type to decide. */
    static final Map<String, PayoutStatus> DATA_STATUSES = Map.ofEntries(
            Map.entry("COMPLETED", PayoutStatus.PAID), Map.entry("PAID", PayoutStatus.PAID),
            Map.entry("SUCCESS", PayoutStatus.PAID), Map.entry("CONFIRMED", PayoutStatus.PAID),
            Map.entry("FAILED", PayoutStatus.FAILED), Map.entry("ERROR", PayoutStatus.FAILED),
            Map.entry("REJECTED", PayoutStatus.FAILED), Map.entry("CANCELED", PayoutStatus.FAILED),
            Map.entry("CANCELLED", PayoutStatus.FAILED));

    /**
     * The notification type and its own {@code data.status} must tell one story: a PAYOUT_COMPLETED whose
     * data.status is FAILED (or the reverse) cannot be applied either way, so it is refused (400, quarantined
     * for an operator), as Pivot and M2Money refuse their contradictions. PAYOUT_CREATED may already carry a
     * final data.status (the status when sent): the final notification decides, nothing is contradicted.
     */
    static void refuseContradiction(String type, PayoutStatus typeStatus, String dataStatus) throws CallbackRejected {
        if (dataStatus == null || !typeStatus.terminal()) {
            return;
        }
        PayoutStatus said = DATA_STATUSES.get(dataStatus.trim().toUpperCase(Locale.ROOT));
        if (said != null && said != typeStatus) {
            throw CallbackRejected.malformed(type + " contradicts its data.status \"" + WireText.clip(dataStatus) + "\"");
        }
    }

    /**
     * PAYOUT_REFUNDED: a PIX refund received after completion, partial or full. Each refund has its own
     * {@code refundData.transactionId}, which is the dedup identity, so several partial refunds each apply
     * once. The core adds them up against the paid amount; the status here is the provider's own word
     * (the whole original amount came back or not) for when the core does not know the paid amount.
     */
    private PayoutOutcome refund(JsonNode data, CallbackRequest request, String masked) throws CallbackRejected {
        JsonNode original = object(data, "originalPayout");
        JsonNode refundData = object(data, "refundData");
        String reference = required(original, "externalId", "data.originalPayout.externalId");
        String refundId = required(refundData, "transactionId", "data.refundData.transactionId");
        Money paid = cents(original.get("amount"), "data.originalPayout.amount", true);
        Money refunded = cents(refundData.get("amount"), "data.refundData.amount", true);
        // A refund over the original amount is not rejected here: the core records it as a conflict.
        PayoutStatus status = refunded.amount().compareTo(paid.amount()) >= 0
                ? PayoutStatus.REFUNDED : PayoutStatus.PARTIALLY_REFUNDED;
        return build(PayoutOutcome.builder(reference, status)
                .provider(provider())
                .providerPayoutId(Json.text(original, "id"))
                .stage(REFUNDED_TYPE)
                .amount(paid)
                .adjustmentAmount(refunded)
                .adjustmentId(refundId)
                // The original payout's end-to-end id (a fact the payout may lack), not the refund's own.
                .bankReference(Json.text(original, "transactionEndToEndId"))
                .receivedAt(request.receivedAt())
                .rawPayload(masked));
    }

    /**
     * Integer centavos, as a JSON string in some events and a number in others. Exact: no fractions,
     * exponents, signs or zero (a PIX transfer moves at least one centavo).
     */
    static Money cents(JsonNode node, String field, boolean required) throws CallbackRejected {
        if (node == null || node.isNull()) {
            if (required) {
                throw CallbackRejected.malformed(field + " is required");
            }
            return null;
        }
        String text;
        if (node.isTextual()) {
            text = node.textValue();
        } else if (node.isIntegralNumber()) {
            text = node.asText(); // 1e3 and 10.0 are decimal nodes, never integral
        } else {
            throw CallbackRejected.malformed(field + " must be a whole number of centavos, e.g. 1000 for 10.00");
        }
        Money money;
        try {
            money = Money.ofMinorUnits(text, CENTS_SCALE, CURRENCY);
        } catch (IllegalArgumentException invalid) {
            throw CallbackRejected.malformed(field + " must be a whole number of centavos, e.g. 1000 for 10.00");
        }
        if (money.amount().signum() == 0) {
            throw CallbackRejected.malformed(field + " must be at least one centavo");
        }
        return money;
    }

    private static JsonNode object(JsonNode parent, String field) throws CallbackRejected {
        JsonNode node = parent.get(field);
        if (node == null || !node.isObject()) {
            throw CallbackRejected.malformed("data." + field + " must be an object");
        }
        return node;
    }

    private static String required(JsonNode parent, String field, String path) throws CallbackRejected {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual() || node.textValue().isBlank()) {
            throw CallbackRejected.malformed(path + " is required (a string)");
        }
        return node.textValue();
    }

    private static PayoutOutcome build(PayoutOutcome.Builder outcome) throws CallbackRejected {
        try {
            return outcome.build();
        } catch (IllegalArgumentException invalid) {
            throw CallbackRejected.malformed(invalid.getMessage());
        }
    }


    @Override
    public String toString() {
        return "CommPixCallbacks[" + senders + ", tokens: " + tokens.all().size() + ", hmac secrets: "
                + hmacSecrets.all().size() + "]";
    }
}
