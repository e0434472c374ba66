package dev.payoutcallbacks.payouts;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.RuntimeSecrets;
import dev.payoutcallbacks.core.lambda.HttpAnswers;
import dev.payoutcallbacks.core.lambda.PayoutViews;
import dev.payoutcallbacks.core.lambda.SnapStartPriming;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.payout.PayoutRecord;
import dev.payoutcallbacks.core.provider.InternalAuth;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * GET /payouts/{reference}: the payout's state and history. Internal: the X-Internal-Secret header
 * must carry one of INTERNAL_SECRETS.
 */
public final class PayoutQueryHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final PayoutLedger ledger;
    private final RuntimeSecrets secrets;
    private final InternalAuth callers;

    public PayoutQueryHandler() {
        this(System.getenv());
    }

    /** For runtimes that host several functions in one JVM (the local run, tests). */
    public PayoutQueryHandler(Map<String, String> environment) {
        FunctionEnvironment env = new FunctionEnvironment(environment);
        this.secrets = RuntimeSecrets.fromEnvironment(env);
        this.callers = InternalCaller.fromEnvironment(env, secrets);
        this.ledger = PayoutLedger.fromEnvironment(env, Clock.systemUTC());
        // Granted Query only.
        SnapStartPriming.register(ledger, EnumSet.of(SnapStartPriming.Call.QUERY), null);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        InternalCaller.Admission admission = InternalCaller.admit(event, callers, secrets);
        if (admission.refusal() != null) {
            return admission.refusal();
        }
        String reference = event.getPathParameters() == null ? null : event.getPathParameters().get("reference");
        if (reference == null || reference.isBlank()) {
            return HttpAnswers.error(400, "malformed", "path parameter reference is required");
        }
        try {
            Optional<PayoutRecord> record = ledger.read(reference);
            return record.map(r -> HttpAnswers.json(200, PayoutViews.payout(r)))
                    .orElseGet(() -> HttpAnswers.error(404, "not_found", "no payout " + reference));
        } catch (SdkException e) {
            return HttpAnswers.error(503, "unavailable", "could not read the payout; retry later");
        }
    }
}
