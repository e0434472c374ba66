package dev.payoutcallbacks.core.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.RuntimeSecrets;
import dev.payoutcallbacks.core.config.SecretsUnavailable;
import dev.payoutcallbacks.core.config.SharedSecrets;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.Quarantine;
import dev.payoutcallbacks.core.payout.Applied;
import dev.payoutcallbacks.core.payout.ApplyContention;
import dev.payoutcallbacks.core.payout.BatchNotice;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.UnknownPayout;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.CallbackRequest;
import dev.payoutcallbacks.core.provider.InternalAuth;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.provider.ProviderCallbacks;
import dev.payoutcallbacks.core.provider.Translation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one write path every provider function shares: verify → translate → apply → respond.
 *
 * <ul>
 *   <li>413 over the size limit, 401 when not authentic (nothing stored);</li>
 *   <li>the provider's answer ({@link ProviderCallbacks#rejectionAnswer}, 400 by default) for an authenticated
 *       callback we cannot translate or apply, after quarantining its raw body;</li>
 *   <li>200 naming the result only once the outcome is durably recorded;</li>
 *   <li>503 when DynamoDB fails or contention outlasts the retry bound, so the provider retries.</li>
 * </ul>
 */
public final class CallbackReceiver {
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    private final ProviderCallbacks provider;
    private final PayoutLedger ledger;
    private final Quarantine quarantine;
    private final int maxBodyBytes;
    private final Clock clock;
    private final InternalAuth operators;
    private final RuntimeSecrets secrets;

    public CallbackReceiver(ProviderCallbacks provider, PayoutLedger ledger, Quarantine quarantine, int maxBodyBytes,
                            Clock clock, InternalAuth operators, RuntimeSecrets secrets) {
        this.provider = provider;
        this.ledger = ledger;
        this.quarantine = quarantine;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
        this.operators = operators;
        this.secrets = secrets;
    }

    public CallbackReceiver(ProviderCallbacks provider, PayoutLedger ledger, Quarantine quarantine, int maxBodyBytes,
                            Clock clock, SharedSecrets operators) {
        this(provider, ledger, quarantine, maxBodyBytes, clock, InternalAuth.sharedSecret(operators), null);
    }

    public CallbackReceiver(ProviderCallbacks provider, PayoutLedger ledger, Quarantine quarantine, int maxBodyBytes,
                            Clock clock) {
        this(provider, ledger, quarantine, maxBodyBytes, clock, SharedSecrets.parse(null));
    }

    /**
     * Wires a receiver from the function's environment (see {@link PayoutLedger#fromEnvironment}), MAX_BODY_BYTES,
     * INTERNAL_AUTH (the replay route) and the function's {@code secrets}, which the provider's key sets read from:
     * a presented key matching none of them makes the secrets be read again once (rate-limited) before a 401.
     */
    public static CallbackReceiver create(ProviderCallbacks provider, FunctionEnvironment env, RuntimeSecrets secrets) {
        Clock clock = Clock.systemUTC();
        PayoutLedger ledger = PayoutLedger.fromEnvironment(env, clock);
        CallbackReceiver receiver = new CallbackReceiver(provider, ledger,
                Quarantine.fromEnvironment(env, ledger.table(), clock),
                env.intOrDefault("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES), clock,
                InternalAuth.fromEnvironment(env, secrets), secrets);
        // Receivers are granted GetItem, PutItem, UpdateItem and Query on the table.
        SnapStartPriming.register(ledger, EnumSet.of(SnapStartPriming.Call.QUERY, SnapStartPriming.Call.UPDATE_ITEM),
                receiver::primeTranslation);
        return receiver;
    }

    public static CallbackReceiver create(ProviderCallbacks provider, FunctionEnvironment env) {
        return create(provider, env, RuntimeSecrets.fromEnvironment(env));
    }

    /**
     * Runs the provider's authenticate and translate on an empty callback (rejected, never applied). Secrets read
     * as placeholders meanwhile: nothing is fetched before the snapshot, nothing secret is in it.
     */
    void primeTranslation() {
        CallbackRequest sample = new CallbackRequest("{}".getBytes(StandardCharsets.UTF_8),
                Map.of(), "127.0.0.1", "priming", clock.instant());
        RuntimeSecrets.priming(() -> {
            try {
                provider.authentic(sample);
            } catch (RuntimeException notConfigured) {
                // priming only loads classes
            }
        });
        try {
            provider.translate(sample);
        } catch (CallbackRejected expected) {
            // an empty body is rejected: the parse and translation classes are loaded all the same
        }
    }

    public PayoutLedger ledger() {
        return ledger;
    }

    public APIGatewayV2HTTPResponse receive(APIGatewayV2HTTPEvent event, Context context) {
        if (KeepAlive.is(event)) {
            return KeepAlive.answer();
        }
        long started = System.nanoTime();
        Instant receivedAt = clock.instant();
        String requestId = context != null ? context.getAwsRequestId() : null;
        ObjectNode log = CallbackLog.line(provider.provider(), requestId);
        APIGatewayV2HTTPResponse answer;
        try {
            answer = isReplay(event) ? replay(event, log) : handle(event, receivedAt, log);
        } finally {
            log.put("latencyMs", (System.nanoTime() - started) / 1_000_000);
            CallbackLog.emit(log);
        }
        return answer;
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Instant receivedAt, ObjectNode log) {
        String rawBody = event.getBody();
        if (rawBody != null && rawBody.length() > maxBodyBytes * 4 / 3 + 4) {
            log.put("result", "too_large");
            return HttpAnswers.error(413, "payload_too_large", "body over " + maxBodyBytes + " bytes");
        }
        CallbackRequest request;
        try {
            request = LambdaRequests.callbackRequest(event, receivedAt);
        } catch (IllegalArgumentException badBase64) {
            log.put("result", "malformed_encoding");
            return HttpAnswers.error(400, "malformed", "body is not valid base64");
        }
        if (request.body().length > maxBodyBytes) {
            log.put("result", "too_large");
            return HttpAnswers.error(413, "payload_too_large", "body over " + maxBodyBytes + " bytes");
        }
        try {
            if (!authentic(request, log)) {
                log.put("result", "unauthenticated");
                return HttpAnswers.error(401, "unauthenticated", "missing or invalid credentials");
            }
        } catch (SecretsUnavailable notNow) {
            log.put("result", "unavailable");
            log.put("error", "secrets");
            return HttpAnswers.error(503, "unavailable", "could not verify the callback; retry later");
        }
        try {
            Translation translation;
            try {
                translation = provider.translate(request);
                if (translation.outcomes().isEmpty() && translation.batchNotice() == null) {
                    throw CallbackRejected.byCore(CallbackRejected.Reason.UNMAPPED_STATUS, "callback carries no outcome");
                }
            } catch (CallbackRejected rejected) {
                return quarantined(request, rejected, log);
            } catch (RuntimeException translationBug) {
                // Our translation failed on input we did not foresee: keep the body for replay after a fix.
                return quarantined(request, CallbackRejected.byCore(CallbackRejected.Reason.MALFORMED,
                        "could not translate: " + translationBug.getClass().getSimpleName()), log);
            }
            try {
                return apply(translation, log);
            } catch (UnknownPayout unknown) {
                // Never a new record for a payout named only by an alias nobody registered: kept for replay.
                return quarantined(request, CallbackRejected.byCore(CallbackRejected.Reason.UNKNOWN_PAYOUT,
                        unknown.getMessage()), log);
            } catch (SdkException storage) {
                String refusal = PayoutLedger.refusedForGood(storage);
                if (refusal == null) {
                    throw storage; // throttling, 5xx...: transient, answered 503 below
                }
                // DynamoDB refuses this input for good (a value past a size limit): retrying cannot help.
                return quarantined(request, CallbackRejected.byCore(CallbackRejected.Reason.MALFORMED,
                        "cannot be stored: " + refusal), log);
            }
        } catch (SdkException | ApplyContention storageTrouble) {
            log.put("result", "unavailable");
            log.put("error", storageTrouble.getClass().getSimpleName());
            return HttpAnswers.error(503, "unavailable", "could not record the callback; retry later");
        }
    }

    private static boolean isReplay(APIGatewayV2HTTPEvent event) {
        String route = event.getRouteKey() != null ? event.getRouteKey() : event.getRawPath();
        return route != null && route.endsWith("/replay");
    }

    /**
     * POST .../replay with the internal secret: {"id": "<quarantine id>"} or {"reason": "MALFORMED"} (and
     * "force": true to replay entries replayed before). Each entry goes through translate → apply again, after a
     * fix. Entries were authenticated when they arrived (nothing unauthenticated is quarantined), so the
     * provider's credential check is not repeated; dedup makes replays idempotent.
     */
    private APIGatewayV2HTTPResponse replay(APIGatewayV2HTTPEvent event, ObjectNode log) {
        log.put("operation", "replay");
        CallbackRequest call;
        try {
            call = LambdaRequests.callbackRequest(event, clock.instant());
        } catch (IllegalArgumentException badBase64) {
            log.put("result", "malformed_encoding");
            return HttpAnswers.error(400, "malformed", "body is not valid base64");
        }
        String caller;
        try {
            SharedSecrets.trace();
            caller = operators.caller(call);
            if (caller == null && SharedSecrets.consultedLiveSecrets() && secrets != null && secrets.refreshAfterMismatch()) {
                caller = operators.caller(call);
            }
        } catch (SecretsUnavailable notNow) {
            SharedSecrets.matchedKeys();
            log.put("result", "unavailable");
            return HttpAnswers.error(503, "unavailable", "could not verify the caller; retry later");
        }
        putMatchedKeys(log);
        if (caller == null) {
            log.put("result", "unauthenticated");
            return HttpAnswers.error(401, "unauthenticated", "missing or invalid credentials");
        }
        String id;
        String reason;
        boolean force;
        try {
            ObjectNode body = Json.object(call.body());
            id = Json.text(body, "id");
            reason = Json.text(body, "reason");
            force = body.path("force").asBoolean(false);
            if ((id == null) == (reason == null)) {
                throw CallbackRejected.malformed("give either id or reason");
            }
        } catch (CallbackRejected e) {
            log.put("result", "malformed");
            return HttpAnswers.error(400, "malformed", e.getMessage());
        }
        try {
            ArrayNode results = Json.newObject().arrayNode();
            int replayed = 0;
            for (Quarantine.Entry entry : quarantine.list(provider.provider())) {
                boolean chosen = id != null ? entry.id().equals(id) : entry.reason().equals(reason);
                if (!chosen || (entry.replayed() && !force)) {
                    continue;
                }
                CallbackRequest request = new CallbackRequest(entry.rawBody(), entry.headers(), null,
                        "replay-" + entry.id(), clock.instant());
                ObjectNode r = results.addObject().put("id", entry.id());
                String outcome;
                try {
                    Translation t = provider.translate(request);
                    outcome = t.outcomes().isEmpty() && t.batchNotice() == null ? "NO_OUTCOME"
                            : apply(t, Json.newObject()).getBody();
                    r.set("answer", Json.MAPPER.readTree(outcome));
                } catch (CallbackRejected stillRejected) {
                    outcome = "still " + stillRejected.reason().name() + ": " + stillRejected.getMessage();
                    r.put("error", outcome);
                } catch (UnknownPayout stillUnknown) {
                    outcome = "still " + CallbackRejected.Reason.UNKNOWN_PAYOUT.name() + ": " + stillUnknown.getMessage();
                    r.put("error", outcome);
                } catch (IOException unreadable) {
                    throw new IllegalStateException(unreadable);
                }
                quarantine.markReplayed(provider.provider(), entry.id(), outcome);
                replayed++;
            }
            log.put("result", "replayed");
            log.put("replayed", replayed);
            ObjectNode body = Json.newObject().put("replayed", replayed);
            body.set("results", results);
            return HttpAnswers.json(id != null && replayed == 0 ? 404 : 200, body);
        } catch (SdkException | ApplyContention storageTrouble) {
            log.put("result", "unavailable");
            return HttpAnswers.error(503, "unavailable", "could not replay; retry later");
        }
    }

    /**
     * The provider's check; when it fails, the secrets are read again once (rate-limited, in case the sender has
     * switched to a key added since our last read) and the check repeated. The matched key's position goes in the
     * log line.
     */
    private boolean authentic(CallbackRequest request, ObjectNode log) {
        SharedSecrets.trace();
        try {
            boolean ok = provider.authentic(request);
            if (!ok && secrets != null && SharedSecrets.consultedLiveSecrets() && secrets.refreshAfterMismatch()) {
                SharedSecrets.trace();
                ok = provider.authentic(request);
            }
            return ok;
        } finally {
            putMatchedKeys(log);
        }
    }

    private static void putMatchedKeys(ObjectNode log) {
        String matched = SharedSecrets.matchedKeys();
        if (matched != null) {
            log.put("matchedKey", matched);
        }
    }

    private APIGatewayV2HTTPResponse quarantined(CallbackRequest request, CallbackRejected rejected, ObjectNode log) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : provider.replayHeaders()) {
            String value = request.header(name);
            if (value != null) {
                kept.put(name, value);
            }
        }
        String id = quarantine.store(provider.provider(), rejected.reason(), rejected.getMessage(), request, kept);
        log.put("result", "quarantined");
        log.put("reason", rejected.reason().name());
        String reason = rejected.reason().name().toLowerCase(Locale.ROOT);
        int status = provider.rejectionAnswer(rejected);
        // A 2xx (a provider that would retry a 4xx forever) says what happened, not that something failed.
        ObjectNode body = status < 300
                ? Json.newObject().put("result", "QUARANTINED").put("reason", reason)
                : Json.newObject().put("error", reason);
        body.put("message", rejected.getMessage()).put("quarantineId", id);
        return HttpAnswers.json(status, body);
    }

    private APIGatewayV2HTTPResponse apply(Translation translation, ObjectNode log) {
        List<ObjectNode> results = new ArrayList<>();
        for (PayoutOutcome outcome : translation.outcomes()) {
            Applied applied = ledger.apply(outcome);
            ObjectNode r = Json.newObject()
                    .put("result", applied.result().name())
                    .put("reference", applied.state().reference()) // the payout an alias resolved to, too
                    .put("version", applied.state().version());
            if (applied.state().status() != null) {
                r.put("status", applied.state().status().wireName());
            }
            if (applied.anomaly() != null) {
                r.put("anomaly", applied.anomaly());
            }
            results.add(r);
        }
        if (translation.batchNotice() != null) {
            BatchNotice notice = translation.batchNotice();
            boolean recorded = ledger.recordBatchNotice(notice);
            results.add(Json.newObject()
                    .put("result", recorded ? "RECORDED" : "DUPLICATE")
                    .put("batchId", notice.batchId())
                    .put("event", notice.event())
                    .put("awaitingItemFetch", true));
        }
        ObjectNode body = results.get(0).deepCopy();
        if (results.size() > 1) {
            ArrayNode all = body.putArray("outcomes");
            results.forEach(all::add);
        }
        log.put("result", body.get("result").asText());
        if (body.has("anomaly")) {
            log.put("anomaly", body.get("anomaly").asText().replaceAll(":.*", "")); // the code, not the amounts
        }
        if (body.has("reference")) {
            log.put("reference", body.get("reference").asText());
            log.put("version", body.get("version").asLong());
        }
        return HttpAnswers.json(200, body);
    }
}
