package dev.payoutcallbacks.calypso;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.payoutcallbacks.core.CallbackReceiver;
import dev.payoutcallbacks.core.FunctionEnvironment;
import dev.payoutcallbacks.core.RuntimeSecrets;
import java.util.Map;

/**
 * POST /callbacks/calypso. Secrets (see {@link RuntimeSecrets}): CALYPSO_WEBHOOK_SECRETS (the subscriptions'
 * secretKey, HMAC of Sign) and CALYPSO_SUBSCRIPTION_KEYS (the expected Key header values), each comma-separated
 * for rotation. Env: TABLE_NAME.
 */
public final class CalypsoCallbackHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final CallbackReceiver receiver;

    public CalypsoCallbackHandler() {
        this(System.getenv());
    }

    /** For runtimes that host several functions in one JVM (the local run, tests). */
    public CalypsoCallbackHandler(Map<String, String> environment) {
        FunctionEnvironment env = new FunctionEnvironment(environment);
        RuntimeSecrets secrets = RuntimeSecrets.fromEnvironment(env)
                .refuseInEnvironment(env, "CALYPSO_WEBHOOK_SECRETS", "CALYPSO_SUBSCRIPTION_KEYS", "INTERNAL_SECRETS");
        this.receiver = CallbackReceiver.create(new CalypsoCallbacks(secrets.keys("CALYPSO_WEBHOOK_SECRETS", true),
                secrets.keys("CALYPSO_SUBSCRIPTION_KEYS", true)), env, secrets);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return receiver.receive(event, context);
    }
}
