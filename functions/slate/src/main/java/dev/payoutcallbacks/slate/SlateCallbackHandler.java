package dev.payoutcallbacks.slate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.payoutcallbacks.core.CallbackReceiver;
import dev.payoutcallbacks.core.FunctionEnvironment;
import dev.payoutcallbacks.core.InternalAuth;
import dev.payoutcallbacks.core.RuntimeSecrets;
import java.util.Map;

/**
 * POST /transactions/payout-callback, an internal route: INTERNAL_AUTH ({@link InternalAuth}: the IAM principal in
 * deployments; the INTERNAL_SECRETS secret, comma-separated, locally or when opted in). Env: TABLE_NAME.
 */
public final class SlateCallbackHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final CallbackReceiver receiver;

    public SlateCallbackHandler() {
        this(System.getenv());
    }

    /** For runtimes that host several functions in one JVM (the local run, tests). */
    public SlateCallbackHandler(Map<String, String> environment) {
        FunctionEnvironment env = new FunctionEnvironment(environment);
        RuntimeSecrets secrets = RuntimeSecrets.fromEnvironment(env).refuseInEnvironment(env, "INTERNAL_SECRETS");
        this.receiver = CallbackReceiver.create(new SlateCallbacks(InternalAuth.fromEnvironment(env, secrets)), env,
                secrets);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return receiver.receive(event, context);
    }
}
