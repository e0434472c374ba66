package dev.payoutcallbacks.commpix;

import dev.payoutcallbacks.core.lambda.ProviderCallbackFunction;
import java.util.Map;

/** POST /callbacks/commpix: {@link CommPixCallbacks#fromEnvironment} names its settings. Env: TABLE_NAME. */
public final class CommPixCallbackHandler extends ProviderCallbackFunction {

    public CommPixCallbackHandler() {
        this(System.getenv());
    }

    /** For runtimes that host several functions in one JVM (the local run, tests). */
    public CommPixCallbackHandler(Map<String, String> environment) {
        super(environment, CommPixCallbacks::fromEnvironment);
    }
}
