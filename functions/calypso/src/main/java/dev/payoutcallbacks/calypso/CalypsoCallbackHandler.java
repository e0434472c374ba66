package dev.payoutcallbacks.calypso;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.payoutcallbacks.core.CallbackReceiver;
import dev.payoutcallbacks.core.FunctionEnvironment;
import dev.payoutcallbacks.core.SharedSecrets;
import java.util.Map;

/** POST /callbacks/calypso. Env: CALYPSO_WEBHOOK_SECRETS (comma-separated, for rotation), TABLE_NAME. */
public final class CalypsoCallbackHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final CallbackReceiver receiver;

    public CalypsoCallbackHandler() {
        this(System.getenv());
    }

    /** For runtimes that host several functions in one JVM (the local run, tests). */
    public CalypsoCallbackHandler(Map<String, String> environment) {
        FunctionEnvironment env = new FunctionEnvironment(environment);
        this.receiver = CallbackReceiver.create(
                new CalypsoCallbacks(SharedSecrets.parse(env.require("CALYPSO_WEBHOOK_SECRETS"))), env);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return receiver.receive(event, context);
    }
}
