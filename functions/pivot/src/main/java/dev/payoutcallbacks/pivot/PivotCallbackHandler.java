package dev.payoutcallbacks.pivot;

import dev.payoutcallbacks.core.lambda.ProviderCallbackFunction;
import java.util.Map;

/** POST /callbacks/pivot: {@link PivotCallbacks#fromEnvironment} names its settings. Env: TABLE_NAME. */
public final class PivotCallbackHandler extends ProviderCallbackFunction {

    public PivotCallbackHandler() {
        this(System.getenv());
    }

    /** For runtimes that host several functions in one JVM (the local run, tests). */
    public PivotCallbackHandler(Map<String, String> environment) {
        super(environment, PivotCallbacks::fromEnvironment);
    }
}
