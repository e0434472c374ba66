package dev.payoutcallbacks.reconciler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.payoutcallbacks.core.CallbackLog;
import dev.payoutcallbacks.core.FunctionEnvironment;
import dev.payoutcallbacks.core.PayoutLedger;
import dev.payoutcallbacks.core.ProviderStatusApi;
import dev.payoutcallbacks.core.SnapStartPriming;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.LongSupplier;

/**
 * The reconciler function: an EventBridge schedule invokes it with a {@link ScheduledEvent}; it runs one
 * {@link Reconciler} pass within the invocation's time and answers a {@link PassSummary} (also logged as one
 * JSON line: counts only).
 *
 * <p>Env: TABLE_NAME, STUCK_AFTER_MINUTES (and the ledger's other variables, see
 * {@link PayoutLedger#fromEnvironment}); the settings of {@link ReconcilerSettings}; each provider's status API
 * variables (PIVOT_*, CALYPSO_*, M2MONEY_*; see those classes). Status APIs are found with
 * {@link ServiceLoader} ({@link ProviderStatusApi.Factory} in each provider module) and built once per
 * container, with their HTTP clients and Pivot's cached token.
 */
public final class ReconcilerHandler implements RequestHandler<ScheduledEvent, PassSummary> {
    /** Used when there is no Context (a direct call): a budget well inside the function's timeout. */
    static final long NO_CONTEXT_BUDGET_MILLIS = 60_000;

    private final Reconciler reconciler;

    public ReconcilerHandler() {
        this(System.getenv());
    }

    /** For runtimes that host several functions in one JVM (the local run, tests). */
    public ReconcilerHandler(Map<String, String> environment) {
        FunctionEnvironment env = new FunctionEnvironment(environment);
        Clock clock = Clock.systemUTC();
        PayoutLedger ledger = PayoutLedger.fromEnvironment(env, clock);
        this.reconciler = new Reconciler(ledger, statusApis(env), ReconcilerSettings.from(env), clock);
        // Granted Query, GetItem, PutItem and UpdateItem on the table.
        SnapStartPriming.register(ledger, EnumSet.of(SnapStartPriming.Call.QUERY, SnapStartPriming.Call.UPDATE_ITEM), null);
    }

    /** Every status API on the class path that this environment configures, by provider. */
    static Map<String, ProviderStatusApi> statusApis(FunctionEnvironment env) {
        Map<String, ProviderStatusApi> apis = new LinkedHashMap<>();
        for (ProviderStatusApi.Factory factory
                : ServiceLoader.load(ProviderStatusApi.Factory.class, ReconcilerHandler.class.getClassLoader())) {
            Optional<ProviderStatusApi> api = factory.create(env);
            if (api.isPresent() && apis.putIfAbsent(api.get().provider(), api.get()) != null) {
                throw new IllegalStateException("two status APIs for provider " + api.get().provider());
            }
        }
        return apis;
    }

    @Override
    public PassSummary handleRequest(ScheduledEvent event, Context context) {
        long started = System.nanoTime();
        long fallbackDeadline = System.currentTimeMillis() + NO_CONTEXT_BUDGET_MILLIS;
        LongSupplier remaining = context != null
                ? () -> context.getRemainingTimeInMillis()
                : () -> fallbackDeadline - System.currentTimeMillis();
        PassSummary summary = reconciler.pass(remaining);
        CallbackLog.emit(summary.logLine((System.nanoTime() - started) / 1_000_000));
        return summary;
    }
}
