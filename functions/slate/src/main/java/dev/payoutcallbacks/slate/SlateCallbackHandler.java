package dev.payoutcallbacks.slate;

import dev.payoutcallbacks.core.lambda.ProviderCallbackFunction;
import java.util.Map;

/**
 * POST /transactions/payout-callback, an internal route: {@link SlateCallbacks#fromEnvironment} names its settings.
 * Env: TABLE_NAME.
 */
public final class SlateCallbackHandler extends ProviderCallbackFunction {

    public SlateCallbackHandler() {
        this(System.getenv());
    }

    /** For runtimes that host several functions in one JVM (the local run, tests). */
    public SlateCallbackHandler(Map<String, String> environment) {
        super(environment, SlateCallbacks::fromEnvironment);
    }
}
