package dev.payoutcallbacks.payouts;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.payoutcallbacks.core.InternalAuth;
import dev.payoutcallbacks.core.RuntimeSecrets;
import dev.payoutcallbacks.core.SecretsUnavailable;

/**
 * Internal routes authenticate their caller with {@link InternalAuth} (INTERNAL_AUTH: the IAM principal API
 * Gateway verified, and/or the X-Internal-Secret header, constant time, rotation). A secret that matches none
 * of the cached ones makes the secret be read again once (rate-limited) before the caller is refused.
 */
final class InternalCaller {
    static final String SECRET_HEADER = InternalAuth.HEADER;

    private InternalCaller() {
    }

    /** The authenticated caller (principal ARN, or {@code shared-secret}), or null. */
    static String caller(APIGatewayV2HTTPEvent event, InternalAuth auth, RuntimeSecrets secrets) {
        dev.payoutcallbacks.core.SharedSecrets.trace();
        try {
            String caller = auth.caller(event);
            if (caller == null && dev.payoutcallbacks.core.SharedSecrets.consultedLiveSecrets()
                    && secrets.refreshAfterMismatch()) {
                caller = auth.caller(event);
            }
            return caller;
        } finally {
            dev.payoutcallbacks.core.SharedSecrets.matchedKeys(); // closes the trace
        }
    }

    /** Wires a function's internal authentication from its environment. */
    static InternalAuth fromEnvironment(dev.payoutcallbacks.core.FunctionEnvironment env, RuntimeSecrets secrets) {
        secrets.refuseInEnvironment(env, InternalAuth.SECRET_SETTING);
        return InternalAuth.fromEnvironment(env, secrets);
    }

    static boolean unavailable(RuntimeException e) {
        return e instanceof SecretsUnavailable;
    }
}
