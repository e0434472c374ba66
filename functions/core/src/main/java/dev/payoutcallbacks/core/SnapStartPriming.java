package dev.payoutcallbacks.core;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Warms a function before Lambda SnapStart takes its snapshot (at publish time), so the first request after a
 * restore does not pay for class loading and JIT of the hot path. Safe at deploy time: it parses and decides
 * in memory and makes one DynamoDB read of a key that never exists; it writes nothing.
 */
public final class SnapStartPriming implements Resource {
    /** CRaC holds resources weakly: keep them reachable. */
    private static final List<SnapStartPriming> REGISTERED = new CopyOnWriteArrayList<>();

    private final PayoutLedger ledger;
    private final Runnable functionSpecific;

    private SnapStartPriming(PayoutLedger ledger, Runnable functionSpecific) {
        this.ledger = ledger;
        this.functionSpecific = functionSpecific;
    }

    /** Registers priming for a function; {@code functionSpecific} may parse a sample of its own input. */
    public static void register(PayoutLedger ledger, Runnable functionSpecific) {
        SnapStartPriming priming = new SnapStartPriming(ledger, functionSpecific);
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
        try {
            PayoutOutcome sample = PayoutOutcome.builder("priming", PayoutStatus.PAID).provider("priming")
                    .amount(Money.parse("1.00", "USD")).receivedAt(Instant.EPOCH).build();
            PayoutDecision.decide(PayoutState.none("priming"), sample);
            Json.object("{\"priming\":{\"amount\":\"1.00\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ledger.read("__priming__never_a_payout__"); // a read of an absent key: loads the SDK path, writes nothing
            ledger.primeWritePath(sample); // the apply's UpdateItem, refused by its condition: writes nothing
            if (functionSpecific != null) {
                functionSpecific.run();
            }
        } catch (Exception | LinkageError e) {
            // Priming is an optimisation: a failure must never fail the deploy or the function.
        }
    }

    static List<SnapStartPriming> registered() {
        return REGISTERED;
    }
}
