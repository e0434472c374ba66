package dev.payoutcallbacks.payouts;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.RuntimeSecrets;
import dev.payoutcallbacks.core.lambda.HttpAnswers;
import dev.payoutcallbacks.core.lambda.LambdaRequests;
import dev.payoutcallbacks.core.lambda.SnapStartPriming;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.PayoutRegistrations;
import dev.payoutcallbacks.core.payout.ApplyContention;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.Registration;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.InternalAuth;
import dev.payoutcallbacks.core.provider.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * POST /payouts: the payout service registers a payout when it submits it, so callbacks can be checked
 * against what was sent and the reconciler knows what to look for.
 *
 * <p>Body: {payout_reference, provider, amount, currency, submitted_at?, order_key?, provider_payout_id?}.
 * 201 REGISTERED; 200 ALREADY_REGISTERED for the same registration again; 409 when it differs from the
 * first registration; 400 malformed; 401 without the internal secret; 503 when DynamoDB fails.
 */
public final class PayoutRegistrationHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final RuntimeSecrets secrets;
    private final InternalAuth callers;
    private final PayoutRegistrations registrations;

    public PayoutRegistrationHandler() {
        this(System.getenv());
    }

    /** For runtimes that host several functions in one JVM (the local run, tests). */
    public PayoutRegistrationHandler(Map<String, String> environment) {
        FunctionEnvironment env = new FunctionEnvironment(environment);
        this.secrets = RuntimeSecrets.fromEnvironment(env);
        this.callers = InternalCaller.fromEnvironment(env, secrets);
        PayoutLedger ledger = PayoutLedger.fromEnvironment(env, Clock.systemUTC());
        this.registrations = new PayoutRegistrations(ledger);
        // Granted GetItem and PutItem only: warmed with a GetItem of a key that never exists.
        SnapStartPriming.register(ledger, EnumSet.of(SnapStartPriming.Call.GET_ITEM), null);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        InternalCaller.Admission admission = InternalCaller.admit(event, callers, secrets);
        if (admission.refusal() != null) {
            return admission.refusal();
        }
        Registration registration;
        try {
            registration = parse(LambdaRequests.callbackRequest(event, Instant.now()).body());
        } catch (CallbackRejected e) {
            return HttpAnswers.error(400, "malformed", e.getMessage());
        } catch (IllegalArgumentException e) {
            return HttpAnswers.error(400, "malformed", e.getMessage());
        }
        try {
            PayoutRegistrations.Registered r = registrations.register(registration);
            ObjectNode body = Json.newObject()
                    .put("result", r.result().name())
                    .put("reference", registration.reference());
            if (r.state().status() != null) {
                body.put("status", r.state().status().wireName());
            }
            if (r.anomaly() != null) {
                body.put("anomaly", r.anomaly());
            }
            int status = switch (r.result()) {
                case REGISTERED -> 201;
                case ALREADY_REGISTERED -> 200;
                case DIFFERS_FROM_REGISTRATION -> 409;
            };
            return HttpAnswers.json(status, body);
        } catch (SdkException | ApplyContention e) {
            return HttpAnswers.error(503, "unavailable", "could not register the payout; retry later");
        }
    }

    static Registration parse(byte[] raw) throws CallbackRejected {
        ObjectNode body = Json.object(raw);
        String reference = Json.text(body, "payout_reference");
        String provider = Json.text(body, "provider");
        String amount = Json.scalarText(body.get("amount"));
        String currency = Json.text(body, "currency");
        if (reference == null || reference.isBlank() || reference.length() > 256) {
            throw CallbackRejected.malformed("payout_reference is required (at most 256 characters)");
        }
        if (provider == null || !provider.matches("[a-z0-9_-]{1,40}")) {
            throw CallbackRejected.malformed("provider is required, e.g. pivot");
        }
        if (amount == null || currency == null) {
            throw CallbackRejected.malformed("amount and currency are required");
        }
        for (String field : new String[] {reference, Json.text(body, "order_key"), Json.text(body, "provider_payout_id")}) {
            if (field != null && field.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw CallbackRejected.malformed("payout_reference, order_key and provider_payout_id must not contain control characters");
            }
        }
        Instant submitted = null;
        String submittedText = Json.text(body, "submitted_at");
        if (submittedText != null) {
            try {
                submitted = Instant.parse(submittedText);
            } catch (DateTimeParseException e) {
                throw CallbackRejected.malformed("submitted_at must be ISO-8601 UTC, e.g. 2026-11-21T08:00:00Z");
            }
        }
        try {
            return new Registration(reference, provider, Money.parse(amount, currency), Json.text(body, "order_key"),
                    Json.text(body, "provider_payout_id"), submitted);
        } catch (IllegalArgumentException e) {
            throw CallbackRejected.malformed(e.getMessage());
        }
    }
}
