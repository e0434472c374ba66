package dev.payoutcallbacks.commpix;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.payoutcallbacks.core.CallbackReceiver;
import dev.payoutcallbacks.core.FunctionEnvironment;
import dev.payoutcallbacks.core.RuntimeSecrets;
import dev.payoutcallbacks.core.SharedSecrets;
import java.util.Map;

/**
 * POST /callbacks/commpix. Env: COMMPIX_ALLOWED_IPS (comma-separated IPs/CIDRs, IPv4 and IPv6). Secrets (see
 * {@link RuntimeSecrets}): COMMPIX_TOKENS (comma-separated), COMMPIX_HMAC_SECRETS (comma-separated; absent, empty
 * or "none": no signature required),
 * optional COMMPIX_TOKEN_HEADER (default X-Webhook-Token) and COMMPIX_SIGNATURE_HEADER (default X-Signature),
 * TABLE_NAME.
 */
public final class CommPixCallbackHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final CallbackReceiver receiver;

    public CommPixCallbackHandler() {
        this(System.getenv());
    }

    /** For runtimes that host several functions in one JVM (the local run, tests). */
    public CommPixCallbackHandler(Map<String, String> environment) {
        FunctionEnvironment env = new FunctionEnvironment(environment);
        RuntimeSecrets secrets = RuntimeSecrets.fromEnvironment(env)
                .refuseInEnvironment(env, "COMMPIX_TOKENS", "COMMPIX_HMAC_SECRETS", "INTERNAL_SECRETS");
        this.receiver = CallbackReceiver.create(new CommPixCallbacks(
                CommPixSenderAllowList.parse(env.require("COMMPIX_ALLOWED_IPS")),
                secrets.keys("COMMPIX_TOKENS", true),
                secrets.keys("COMMPIX_HMAC_SECRETS", false),
                env.getOrDefault("COMMPIX_TOKEN_HEADER", CommPixCallbacks.DEFAULT_TOKEN_HEADER),
                env.getOrDefault("COMMPIX_SIGNATURE_HEADER", CommPixCallbacks.DEFAULT_SIGNATURE_HEADER)), env, secrets);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return receiver.receive(event, context);
    }

    static SharedSecrets hmacSecrets(String configured) {
        return configured == null || configured.trim().equalsIgnoreCase("none")
                ? SharedSecrets.parse(null) : SharedSecrets.parse(configured);
    }
}
