package dev.payoutcallbacks.core.lambda;

import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutDecision;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutState;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Warms a function before Lambda SnapStart takes its snapshot (at publish time), so the first request after a
 * restore does not pay for class loading and JIT of the hot path. Safe at deploy time: it parses and decides in
 * memory and sends only the DynamoDB calls the function's own IAM policy grants, each for a key that never exists;
 * it writes nothing. A call that fails is logged (one line, no data) and skipped: priming is an optimisation.
 */
public final class SnapStartPriming implements Resource {
    /** The DynamoDB calls a function may be warmed with: each must be one its template.yaml policy allows. */
    public enum Call {
        /** {@code Query} of a payout that never exists (the read API, receivers, operators, reconciler). */
        QUERY,
        /** {@code GetItem} of a state item that never exists (registration). */
        GET_ITEM,
        /** The apply's conditional {@code UpdateItem}, for a key that never exists, refused by its condition. */
        UPDATE_ITEM
    }

    /** CRaC holds resources weakly: keep them reachable. */
    private static final List<SnapStartPriming> REGISTERED = new CopyOnWriteArrayList<>();

    private final PayoutLedger ledger;
    private final Set<Call> calls;
    private final Runnable functionSpecific;

    private SnapStartPriming(PayoutLedger ledger, Set<Call> calls, Runnable functionSpecific) {
        this.ledger = ledger;
        this.calls = calls.isEmpty() ? EnumSet.noneOf(Call.class) : EnumSet.copyOf(calls);
        this.functionSpecific = functionSpecific;
    }

    /**
     * Registers priming for a function.
     *
     * @param calls            the DynamoDB calls to warm: only ones the function's policy grants
     * @param functionSpecific may parse a sample of the function's own input; may be null
     */
    public static void register(PayoutLedger ledger, Set<Call> calls, Runnable functionSpecific) {
        SnapStartPriming priming = new SnapStartPriming(ledger, calls, functionSpecific);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing: clients reconnect lazily; credentials come from the restored environment
    }

    /** What runs before the snapshot; also callable directly (tests, local run). Never throws. */
    public void prime() {
        step("decide", () -> {
            PayoutOutcome sample = sample();
            PayoutDecision.decide(PayoutState.none("priming"), sample);
            try {
                Json.object("{\"priming\":{\"amount\":\"1.00\"}}".getBytes(StandardCharsets.UTF_8));
            } catch (CallbackRejected unexpected) {
                throw new IllegalStateException(unexpected);
            }
        });
        if (calls.contains(Call.QUERY)) {
            step("dynamodb:Query", () -> ledger.primeRead());
        }
        if (calls.contains(Call.GET_ITEM)) {
            step("dynamodb:GetItem", () -> ledger.primeGet());
        }
        if (calls.contains(Call.UPDATE_ITEM)) {
            step("dynamodb:UpdateItem", () -> ledger.primeWritePath(sample()));
        }
        if (functionSpecific != null) {
            step("function", functionSpecific);
        }
    }

    Set<Call> calls() {
        return calls;
    }

    private static PayoutOutcome sample() {
        return PayoutOutcome.builder("priming", PayoutStatus.PAID).provider("priming")
                .amount(Money.parse("1.00", "USD")).receivedAt(Instant.EPOCH).build();
    }

    private static void step(String name, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | LinkageError e) {
            // Never fails the deploy or the function; one line so a denied or broken step is visible.
            System.err.println("{\"snapStartPriming\":\"" + name + "\",\"failed\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    static List<SnapStartPriming> registered() {
        return REGISTERED;
    }
}
