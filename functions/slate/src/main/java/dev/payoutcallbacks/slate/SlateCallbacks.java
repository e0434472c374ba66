package dev.payoutcallbacks.slate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.RuntimeSecrets;
import dev.payoutcallbacks.core.config.SharedSecrets;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.OutcomeSource;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.CallbackRequest;
import dev.payoutcallbacks.core.provider.InternalAuth;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.provider.PersonalData;
import dev.payoutcallbacks.core.provider.ProviderCallbacks;
import dev.payoutcallbacks.core.provider.Translation;
import dev.payoutcallbacks.core.provider.WireText;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Slate's canonical payout-callback body: {payout_reference?, order_key?, status, amount?, currency?,
 * failure_reason?, gateway_payload?}, plus optional canonical extensions (provider, provider_payout_id,
 * bank_reference, event_time, source, stage, adjustment_amount, adjustment_id) so internal services
 * and the reconciler can say everything a canonical outcome holds. Authenticated by an internal secret.
 */
public final class SlateCallbacks implements ProviderCallbacks {
    public static final String SECRET_HEADER = "X-Internal-Secret";

    private final InternalAuth callers;

    /**
     * Its settings: INTERNAL_AUTH ({@link InternalAuth}: the IAM principal in deployments; the INTERNAL_SECRETS
     * secret, comma-separated, locally or when opted in).
     */
    public static SlateCallbacks fromEnvironment(FunctionEnvironment env, RuntimeSecrets secrets) {
        return new SlateCallbacks(InternalAuth.fromEnvironment(env, secrets));
    }

    public SlateCallbacks(InternalAuth callers) {
        this.callers = callers;
    }

    /** Callers present one of {@code secrets} in {@value #SECRET_HEADER} (the local run, tests). */
    public SlateCallbacks(SharedSecrets secrets) {
        this(InternalAuth.sharedSecret(secrets));
    }

    @Override
    public String provider() {
        return "slate";
    }

    @Override
    public boolean authentic(CallbackRequest request) {
        return callers.verify(request);
    }

    @Override
    public Translation translate(CallbackRequest request) throws CallbackRejected {
        ObjectNode body = Json.object(request.body());
        // Either names the payout; one naming only its order key is found through the order key's alias
        // (registered, or first seen with both) by the ledger, or refused: never a payout of its own.
        String reference = firstText(body, "payout_reference");
        if (reference == null && firstText(body, "order_key") == null) {
            throw CallbackRejected.malformed("payout_reference or order_key is required");
        }
        String statusText = Json.text(body, "status");
        if (statusText == null) {
            throw CallbackRejected.malformed("status is required (paid | failed | submit_not_received | ...)");
        }
        PayoutStatus status = PayoutStatus.fromWireName(statusText);
        if (status == null) {
            throw CallbackRejected.malformed("unknown status \"" + WireText.clip(statusText) + "\"");
        }
        OutcomeSource source = OutcomeSource.INTERNAL;
        String sourceText = Json.text(body, "source");
        if (sourceText != null) {
            source = OutcomeSource.fromWireName(sourceText);
            if (source == null) {
                throw CallbackRejected.malformed("source must be webhook, poll or internal");
            }
        }
        String currency = Json.text(body, "currency");
        try {
            PayoutOutcome outcome = PayoutOutcome.builder(reference, status)
                    .orderKey(firstText(body, "order_key"))
                    .provider(body.hasNonNull("provider") ? Json.text(body, "provider") : provider())
                    .providerPayoutId(Json.text(body, "provider_payout_id"))
                    .stage(Json.text(body, "stage"))
                    .amount(money(body.get("amount"), currency, "amount"))
                    .adjustmentAmount(money(body.get("adjustment_amount"), currency, "adjustment_amount"))
                    .adjustmentId(Json.text(body, "adjustment_id"))
                    .failureReason(Json.text(body, "failure_reason"))
                    .bankReference(Json.text(body, "bank_reference"))
                    .eventTime(instant(Json.text(body, "event_time")))
                    .receivedAt(request.receivedAt())
                    .source(source)
                    .rawPayload(Json.masked(body, PersonalData.COMMON_FIELDS))
                    .build();
            return Translation.of(outcome);
        } catch (IllegalArgumentException invalid) {
            throw CallbackRejected.malformed(invalid.getMessage());
        }
    }

    private static Money money(JsonNode node, String currency, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (currency == null) {
            throw new IllegalArgumentException("currency is required with " + field);
        }
        String text = Json.scalarText(node);
        if (text == null) {
            throw new IllegalArgumentException(field + " must be a decimal string such as \"12.50\"");
        }
        try {
            return Money.parse(text, currency);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage());
        }
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("event_time must be ISO-8601 UTC, e.g. 2026-01-31T12:00:00Z");
        }
    }

    private static String firstText(ObjectNode body, String... fields) {
        for (String field : fields) {
            String value = Json.text(body, field);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

}
