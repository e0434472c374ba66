package dev.payoutcallbacks.payouts;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.RuntimeSecrets;
import dev.payoutcallbacks.core.lambda.HttpAnswers;
import dev.payoutcallbacks.core.lambda.LambdaRequests;
import dev.payoutcallbacks.core.lambda.SnapStartPriming;
import dev.payoutcallbacks.core.ledger.Cursor;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.Quarantine;
import dev.payoutcallbacks.core.ledger.ReviewQueue;
import dev.payoutcallbacks.core.payout.Applied;
import dev.payoutcallbacks.core.payout.ApplyContention;
import dev.payoutcallbacks.core.payout.ApplyResult;
import dev.payoutcallbacks.core.payout.OutcomeSource;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutRecord;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.InternalAuth;
import dev.payoutcallbacks.core.provider.Json;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Operators' routes (internal secret):
 * <ul>
 *   <li>GET /review: payouts flagged for review (conflicts, anomalies, reconciler give-ups), oldest first;</li>
 *   <li>POST /payouts/{reference}/resolve {status, reason, operator, resolution_id}: force a flagged or stuck
 *       payout to a terminal status (Slate's force-resolve), recorded in history with who and why, once per
 *       resolution_id;</li>
 *   <li>GET /quarantine/{provider}?reason=...: quarantined callbacks with reason codes (replay is
 *       POST /callbacks/{provider}/replay, served by the provider's own function).</li>
 * </ul>
 */
public final class PayoutOperationsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final Set<PayoutStatus> RESOLUTIONS = Set.of(PayoutStatus.FAILED, PayoutStatus.PAID, PayoutStatus.CANCELLED);

    private final RuntimeSecrets secrets;
    private final InternalAuth callers;
    private final PayoutLedger ledger;
    private final ReviewQueue review;
    private final Quarantine quarantine;

    public PayoutOperationsHandler() {
        this(System.getenv());
    }

    /** For runtimes that host several functions in one JVM (the local run, tests). */
    public PayoutOperationsHandler(Map<String, String> environment) {
        FunctionEnvironment env = new FunctionEnvironment(environment);
        this.secrets = RuntimeSecrets.fromEnvironment(env);
        this.callers = InternalCaller.fromEnvironment(env, secrets);
        this.ledger = PayoutLedger.fromEnvironment(env, Clock.systemUTC());
        this.review = new ReviewQueue(ledger.table());
        // Granted Query, GetItem, PutItem and UpdateItem (a resolution is an apply).
        SnapStartPriming.register(ledger, EnumSet.of(SnapStartPriming.Call.QUERY, SnapStartPriming.Call.GET_ITEM,
                SnapStartPriming.Call.UPDATE_ITEM), null);
        this.quarantine = new Quarantine(ledger.table(), ledger.clock());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        InternalCaller.Admission admission = InternalCaller.admit(event, callers, secrets);
        if (admission.refusal() != null) {
            return admission.refusal();
        }
        String caller = admission.caller();
        String route = event.getRouteKey() == null ? "" : event.getRouteKey();
        Map<String, String> path = event.getPathParameters() == null ? Map.of() : event.getPathParameters();
        try {
            return switch (route) {
                case "GET /review" -> listReview();
                case "POST /payouts/{reference}/resolve" -> resolve(path.get("reference"), event, caller);
                case "GET /quarantine/{provider}" -> listQuarantine(path.get("provider"),
                        event.getQueryStringParameters() == null ? null : event.getQueryStringParameters().get("reason"));
                default -> HttpAnswers.error(404, "not_found", "no route " + route);
            };
        } catch (SdkException | ApplyContention e) {
            return HttpAnswers.error(503, "unavailable", "could not complete; retry later");
        }
    }

    private APIGatewayV2HTTPResponse listReview() {
        ObjectNode body = Json.newObject();
        ArrayNode items = body.putArray("flagged");
        Cursor start = null;
        int pages = 0;
        do {
            ReviewQueue.Page page = review.list(100, start);
            for (ReviewQueue.Flagged f : page.flagged()) {
                items.addObject().put("reference", f.reference()).put("provider", f.provider())
                        .put("status", f.status()).put("reviewReason", f.reviewReason()).put("flaggedAt", f.flaggedAt());
            }
            start = page.next();
        } while (start != null && ++pages < 10);
        body.put("complete", start == null);
        return HttpAnswers.json(200, body);
    }

    /**
     * The operator recorded is the authenticated caller: the IAM principal's ARN where internal routes are under
     * AWS_IAM (a body "operator" is then ignored). Only with the shared secret alone (the local run) is the body's
     * "operator" taken as given, since the secret does not tell one person from another.
     */
    private APIGatewayV2HTTPResponse resolve(String reference, APIGatewayV2HTTPEvent event, String caller) {
        String statusText;
        String reason;
        String operator;
        String resolutionId;
        try {
            ObjectNode body = Json.object(LambdaRequests.callbackRequest(event, ledger.clock().instant()).body());
            statusText = Json.text(body, "status");
            reason = Json.text(body, "reason");
            operator = callers.mode() == InternalAuth.Mode.SHARED_SECRET ? Json.text(body, "operator") : caller;
            resolutionId = Json.text(body, "resolution_id");
        } catch (CallbackRejected e) {
            return HttpAnswers.error(400, "malformed", e.getMessage());
        }
        PayoutStatus status = PayoutStatus.fromWireName(statusText);
        if (status == null || !RESOLUTIONS.contains(status)) {
            return HttpAnswers.error(400, "malformed", "status must be failed, paid or cancelled");
        }
        if (reason == null || reason.isBlank() || operator == null || operator.isBlank()
                || resolutionId == null || resolutionId.isBlank()) {
            return HttpAnswers.error(400, "malformed", callers.mode() == InternalAuth.Mode.SHARED_SECRET
                    ? "reason, operator and resolution_id are required" : "reason and resolution_id are required");
        }
        Optional<PayoutRecord> record = ledger.read(reference);
        if (record.isEmpty()) {
            return HttpAnswers.error(404, "not_found", "no payout " + reference);
        }
        String provider = record.get().state().provider() != null ? record.get().state().provider() : "operator";
        Applied applied = ledger.apply(PayoutOutcome.builder(reference, status)
                .provider(provider)
                .source(OutcomeSource.INTERNAL)
                .stage("resolved by " + operator + ": " + reason)
                .failureReason(status == PayoutStatus.PAID ? null : reason)
                .receivedAt(ledger.clock().instant())
                .resolvedBy(operator, resolutionId)
                .build());
        if (applied.result() == ApplyResult.STALE) {
            return HttpAnswers.error(409, "settled", "payout " + reference + " is settled and not flagged for review");
        }
        ObjectNode body = Json.newObject()
                .put("result", applied.result() == ApplyResult.APPLIED ? "RESOLVED" : applied.result().name())
                .put("reference", reference)
                .put("status", applied.state().status() == null ? null : applied.state().status().wireName())
                .put("version", applied.state().version());
        return HttpAnswers.json(200, body);
    }

    private APIGatewayV2HTTPResponse listQuarantine(String provider, String reason) {
        if (provider == null || !provider.matches("[a-z0-9_-]{1,40}")) {
            return HttpAnswers.error(400, "malformed", "provider is required");
        }
        ObjectNode body = Json.newObject();
        ArrayNode items = body.putArray("quarantined");
        for (Quarantine.Entry e : quarantine.list(provider)) {
            if (reason != null && !reason.equals(e.reason())) {
                continue;
            }
            // Reason and bookkeeping only: the raw body may hold personal data; it stays sealed in the table (and
            // this function cannot open it).
            ObjectNode item = items.addObject().put("id", e.id()).put("reason", e.reason()).put("message", e.message())
                    .put("receivedAt", e.receivedAt()).put("deliveries", e.deliveries()).put("bytes", e.bodyBytes());
            if (e.replayed()) {
                item.put("replayedAt", e.replayedAt()).put("replayResult", e.replayResult());
            }
        }
        return HttpAnswers.json(200, body);
    }
}
