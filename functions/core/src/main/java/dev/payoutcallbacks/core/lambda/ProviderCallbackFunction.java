package dev.payoutcallbacks.core.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.RuntimeSecrets;
import dev.payoutcallbacks.core.provider.ProviderCallbacks;
import java.util.Map;

/**
 * One provider's callback function: its receiver, wired once at init from the function's environment and secrets.
 * A provider's handler is only its constructors, naming where its settings are read ({@code fromEnvironment} on
 * its provider class). INTERNAL_SECRETS (the replay route) is refused in the environment wherever secrets come from
 * Secrets Manager, as each provider's own secret settings are.
 */
public abstract class ProviderCallbackFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** A provider's callbacks, built from its settings. */
    @FunctionalInterface
    public interface Settings {
        ProviderCallbacks fromEnvironment(FunctionEnvironment env, RuntimeSecrets secrets);
    }

    private final CallbackReceiver receiver;

    /** {@code environment}: System.getenv() in Lambda; the function's own map where several share one JVM. */
    protected ProviderCallbackFunction(Map<String, String> environment, Settings provider) {
        FunctionEnvironment env = new FunctionEnvironment(environment);
        RuntimeSecrets secrets = RuntimeSecrets.fromEnvironment(env).refuseInEnvironment(env, "INTERNAL_SECRETS");
        this.receiver = CallbackReceiver.create(provider.fromEnvironment(env, secrets), env, secrets);
    }

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return receiver.receive(event, context);
    }
}
