package dev.payoutcallbacks.m2money;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.payoutcallbacks.core.CallbackReceiver;
import dev.payoutcallbacks.core.FunctionEnvironment;
import dev.payoutcallbacks.core.RuntimeSecrets;
import java.util.Map;

/**
 * POST /callbacks/m2money. Env: M2MONEY_WEBHOOK_SECRETS (comma-separated, for rotation), TABLE_NAME;
 * optional M2MONEY_UNTRANSLATABLE_HTTP_STATUS (answer to a quarantined unknown event or status, default 200).
 */
public final class M2MoneyCallbackHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final CallbackReceiver receiver;

    public M2MoneyCallbackHandler() {
        this(System.getenv());
    }

    /** For runtimes that host several functions in one JVM (the local run, tests). */
    public M2MoneyCallbackHandler(Map<String, String> environment) {
        FunctionEnvironment env = new FunctionEnvironment(environment);
        RuntimeSecrets secrets = RuntimeSecrets.fromEnvironment(env)
                .refuseInEnvironment(env, "M2MONEY_WEBHOOK_SECRETS", "INTERNAL_SECRETS");
        this.receiver = CallbackReceiver.create(
                new M2MoneyCallbacks(secrets.keys("M2MONEY_WEBHOOK_SECRETS", true),
                        env.intOrDefault("M2MONEY_UNTRANSLATABLE_HTTP_STATUS",
                                M2MoneyCallbacks.DEFAULT_UNTRANSLATABLE_HTTP_STATUS)),
                env, secrets);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return receiver.receive(event, context);
    }
}
