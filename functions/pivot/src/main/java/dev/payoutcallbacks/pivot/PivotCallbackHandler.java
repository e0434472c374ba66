package dev.payoutcallbacks.pivot;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.payoutcallbacks.core.CallbackReceiver;
import dev.payoutcallbacks.core.FunctionEnvironment;
import dev.payoutcallbacks.core.SharedSecrets;
import java.util.Map;

/** POST /callbacks/pivot. Env: PIVOT_CALLBACK_API_KEYS (comma-separated), TABLE_NAME. */
public final class PivotCallbackHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final CallbackReceiver receiver;

    public PivotCallbackHandler() {
        this(System.getenv());
    }

    /** For runtimes that host several functions in one JVM (the local run, tests). */
    public PivotCallbackHandler(Map<String, String> environment) {
        FunctionEnvironment env = new FunctionEnvironment(environment);
        this.receiver = CallbackReceiver.create(
                new PivotCallbacks(SharedSecrets.parse(env.require("PIVOT_CALLBACK_API_KEYS"))), env);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return receiver.receive(event, context);
    }
}
