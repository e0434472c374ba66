package dev.payoutcallbacks.calypso;

import dev.payoutcallbacks.core.lambda.ProviderCallbackFunction;
import java.util.Map;

/** POST /callbacks/calypso: {@link CalypsoCallbacks#fromEnvironment} names its settings. Env: TABLE_NAME. */
public final class CalypsoCallbackHandler extends ProviderCallbackFunction {

    public CalypsoCallbackHandler() {
        this(System.getenv());
    }

    /** For runtimes that host several functions in one JVM (the local run, tests). */
    public CalypsoCallbackHandler(Map<String, String> environment) {
        super(environment, CalypsoCallbacks::fromEnvironment);
    }
}
