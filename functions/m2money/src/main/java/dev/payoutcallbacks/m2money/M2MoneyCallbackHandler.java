package dev.payoutcallbacks.m2money;

import dev.payoutcallbacks.core.lambda.ProviderCallbackFunction;
import java.util.Map;

/** POST /callbacks/m2money: {@link M2MoneyCallbacks#fromEnvironment} names its settings. Env: TABLE_NAME. */
public final class M2MoneyCallbackHandler extends ProviderCallbackFunction {

    public M2MoneyCallbackHandler() {
        this(System.getenv());
    }

    /** For runtimes that host several functions in one JVM (the local run, tests). */
    public M2MoneyCallbackHandler(Map<String, String> environment) {
        super(environment, M2MoneyCallbacks::fromEnvironment);
    }
}
