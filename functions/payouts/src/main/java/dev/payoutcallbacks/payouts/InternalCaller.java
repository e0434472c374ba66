package dev.payoutcallbacks.payouts;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.RuntimeSecrets;
import dev.payoutcallbacks.core.config.SecretsUnavailable;
import dev.payoutcallbacks.core.config.SharedSecrets;
import dev.payoutcallbacks.core.lambda.HttpAnswers;
import dev.payoutcallbacks.core.lambda.KeepAlive;
import dev.payoutcallbacks.core.lambda.LambdaRequests;
import dev.payoutcallbacks.core.provider.InternalAuth;

/**
 * Internal routes authenticate their caller with {@link InternalAuth} (INTERNAL_AUTH: the IAM principal API
 * Gateway verified, and/or the X-Internal-Secret header, constant time, rotation). A secret that matches none
 * of the cached ones makes the secret be read again once (rate-limited) before the caller is refused.
 */
final class InternalCaller {
    static final String SECRET_HEADER = InternalAuth.HEADER;

    private InternalCaller() {
    }

    /**
     * What an internal route does before any work: the keep-alive answered at once, an unauthenticated caller
     * 401, a caller that cannot be checked now (the secret unreadable) 503 so it retries; else the caller.
     */
    record Admission(String caller, APIGatewayV2HTTPResponse refusal) {
    }

    static Admission admit(APIGatewayV2HTTPEvent event, InternalAuth auth, RuntimeSecrets secrets) {
        if (KeepAlive.is(event)) {
            return new Admission(null, KeepAlive.answer());
        }
        String caller;
        try {
            caller = caller(event, auth, secrets);
        } catch (SecretsUnavailable notNow) {
            return new Admission(null, HttpAnswers.error(503, "unavailable", "could not verify the caller; retry later"));
        }
        if (caller == null) {
            return new Admission(null, HttpAnswers.error(401, "unauthenticated", "missing or invalid credentials"));
        }
        return new Admission(caller, null);
    }

    /** The authenticated caller (principal ARN, or {@code shared-secret}), or null. */
    static String caller(APIGatewayV2HTTPEvent event, InternalAuth auth, RuntimeSecrets secrets) {
        SharedSecrets.trace();
        try {
            String caller = LambdaRequests.internalCaller(auth, event);
            if (caller == null && SharedSecrets.consultedLiveSecrets()
                    && secrets.refreshAfterMismatch()) {
                caller = LambdaRequests.internalCaller(auth, event);
            }
            return caller;
        } finally {
            SharedSecrets.matchedKeys(); // closes the trace
        }
    }

    /** Wires a function's internal authentication from its environment. */
    static InternalAuth fromEnvironment(FunctionEnvironment env, RuntimeSecrets secrets) {
        secrets.refuseInEnvironment(env, InternalAuth.SECRET_SETTING);
        return InternalAuth.fromEnvironment(env, secrets);
    }

    static boolean unavailable(RuntimeException e) {
        return e instanceof SecretsUnavailable;
    }
}
