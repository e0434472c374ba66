package dev.payoutcallbacks.pivot;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.payoutcallbacks.core.CallbackReceiver;
import dev.payoutcallbacks.core.FunctionEnvironment;
import dev.payoutcallbacks.core.RuntimeSecrets;
import java.util.Map;

/** POST /callbacks/pivot. Secret (see {@link RuntimeSecrets}): PIVOT_CALLBACK_API_KEYS (comma-separated). Env: TABLE_NAME. */
public final class PivotCallbackHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final CallbackReceiver receiver;

    public PivotCallbackHandler() {
        this(System.getenv());
    }

    /** For runtimes that host several functions in one JVM (the local run, tests). */
    public PivotCallbackHandler(Map<String, String> environment) {
        FunctionEnvironment env = new FunctionEnvironment(environment);
        RuntimeSecrets secrets = RuntimeSecrets.fromEnvironment(env)
                .refuseInEnvironment(env, "PIVOT_CALLBACK_API_KEYS", "INTERNAL_SECRETS");
        this.receiver = CallbackReceiver.create(new PivotCallbacks(secrets.keys("PIVOT_CALLBACK_API_KEYS", true)), env,
                secrets);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return receiver.receive(event, context);
    }
}
