package dev.payoutcallbacks.reconciler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.RuntimeSecrets;
import dev.payoutcallbacks.core.lambda.CallbackLog;
import dev.payoutcallbacks.core.lambda.SnapStartPriming;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.provider.ProviderStatusApi;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The reconciler function: an EventBridge schedule invokes it with a {@link ScheduledEvent}; it runs one
 * {@link Reconciler} pass within the invocation's time and answers a {@link PassSummary} (also logged as one
 * JSON line: counts only).
 *
 * <p>Env: TABLE_NAME, STUCK_AFTER_MINUTES (and the ledger's other variables, see
 * {@link PayoutLedger#fromEnvironment}); the settings of {@link ReconcilerSettings}; each provider's status API
 * base URLs (PIVOT_API_BASE_URL, ...); each provider's credentials from the function's secret ({@link
 * RuntimeSecrets}: PIVOT_MERCHANT_ID, ...). The providers are those on the class path ({@link ProviderRegistry}:
 * each provider module's {@link ProviderStatusApi.Factory}, found with {@link java.util.ServiceLoader}); their
 * status APIs are built on the first pass, again only when the credentials change. A provider without a base
 * URL or credentials is not polled: the pass reports it ({@code notPolled}) and its stuck payouts go to the
 * review queue. One pass at a time: {@link PassLease}.
 */
public final class ReconcilerHandler implements RequestHandler<ScheduledEvent, PassSummary> {
    /** Used when there is no Context (a direct call): a budget well inside the function's timeout. */
    static final long NO_CONTEXT_BUDGET_MILLIS = 60_000;

    private final FunctionEnvironment env;
    private final PayoutLedger ledger;
    private final ReconcilerSettings settings;
    private final RuntimeSecrets secrets;
    private final PassLease lease;
    private final Clock clock;
    private final ProviderRegistry registry;
    private Map<String, String> credentialsInUse;
    private Reconciler reconciler;

    public ReconcilerHandler() {
        this(System.getenv());
    }

    /** For runtimes that host several functions in one JVM (the local run, tests). */
    public ReconcilerHandler(Map<String, String> environment) {
        this.env = new FunctionEnvironment(environment);
        this.clock = Clock.systemUTC();
        this.ledger = PayoutLedger.fromEnvironment(env, clock);
        this.settings = ReconcilerSettings.from(env);
        this.registry = ProviderRegistry.load(ReconcilerHandler.class.getClassLoader());
        // Each provider names its own credentials: none may sit in the environment once a secret holds them.
        this.secrets = RuntimeSecrets.fromEnvironment(env)
                .refuseInEnvironment(env, registry.credentials().toArray(String[]::new));
        this.lease = new PassLease(ledger.table(), clock);
        // Granted Query, GetItem, PutItem and UpdateItem on the table.
        SnapStartPriming.register(ledger, EnumSet.of(SnapStartPriming.Call.QUERY, SnapStartPriming.Call.UPDATE_ITEM), null);
    }

    /**
     * The reconciler for the current credentials: built on the first pass (after a SnapStart restore, so no
     * credential is in the snapshot) and again whenever the secret's values change (a rotation, a provider
     * configured later), so polling follows the secret without a deploy.
     */
    private synchronized Reconciler reconciler() {
        Map<String, String> credentials = secrets.all();
        if (reconciler == null || !credentials.equals(credentialsInUse)) {
            reconciler = new Reconciler(ledger, registry.providers(), registry.statusApis(env.with(credentials)), settings, clock);
            credentialsInUse = credentials;
        }
        return reconciler;
    }

    @Override
    public PassSummary handleRequest(ScheduledEvent event, Context context) {
        long started = System.nanoTime();
        long fallbackDeadline = System.currentTimeMillis() + NO_CONTEXT_BUDGET_MILLIS;
        LongSupplier remaining = context != null
                ? () -> context.getRemainingTimeInMillis()
                : () -> fallbackDeadline - System.currentTimeMillis();
        String holder = context != null && context.getAwsRequestId() != null ? context.getAwsRequestId()
                : "pass-" + UUID.randomUUID();
        // The lease outlives this invocation by a little at most: its expiry is the time this invocation has.
        if (!lease.acquire(holder, Duration.ofMillis(Math.max(remaining.getAsLong(), 1_000)))) {
            PassSummary skipped = PassSummary.notRun(registry.providers());
            CallbackLog.emit(skipped.logLine((System.nanoTime() - started) / 1_000_000)
                    .put("notRun", "another pass holds the lease"));
            return skipped;
        }
        try {
            PassSummary summary = reconciler().pass(remaining);
            CallbackLog.emit(summary.logLine((System.nanoTime() - started) / 1_000_000));
            return summary;
        } finally {
            lease.release(holder);
        }
    }
}
