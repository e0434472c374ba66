package dev.payoutcallbacks.reconciler;

import static dev.payoutcallbacks.core.ledger.PayoutItems.n;
import static dev.payoutcallbacks.core.ledger.PayoutItems.s;

import dev.payoutcallbacks.core.ledger.Expressions;
import dev.payoutcallbacks.core.ledger.PayoutItems;
import dev.payoutcallbacks.core.ledger.PayoutTable;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * One reconciler pass at a time, without reserved concurrency: a lease item in the payouts table
 * ({@value #PK} / {@value #SK}), taken with a conditional PutItem — free, or its holder's lease expired — and
 * given back (expired at once) by its holder when the pass ends. A pass that dies keeps the lease only until
 * its expiry (the invocation's remaining time), so a crash never stops reconciliation for longer than one
 * function timeout. Its keys are in no index and its sort key is not STATE, so the change stream's filter and
 * the indexes never see it.
 */
final class PassLease {
    static final String PK = "RECONCILER#LEASE";
    static final String SK = "LEASE";
    private static final String HOLDER = "holder";
    private static final String LEASE_UNTIL = "leaseUntil";

    private final PayoutTable table;
    private final Clock clock;

    PassLease(PayoutTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    /** Takes the lease for {@code holder} until now + {@code duration}; false when another pass holds it. */
    boolean acquire(String holder, Duration duration) {
        long now = clock.millis();
        Expressions free = new Expressions();
        free.condition(free.notExists(PayoutItems.PK) + " OR " + free.compare(LEASE_UNTIL, "<", n(now))
                + " OR " + free.equal(HOLDER, s(holder)));
        try {
            table.client().putItem(free.putItem(table.name(), lease(holder, now + duration.toMillis())).build());
            return true;
        } catch (ConditionalCheckFailedException heldByAnother) {
            return false;
        }
    }

    /** Gives the lease back (expires it now) if {@code holder} still holds it. */
    void release(String holder) {
        Expressions held = new Expressions();
        held.condition(held.equal(HOLDER, s(holder)));
        try {
            table.client().putItem(held.putItem(table.name(), lease(holder, clock.millis() - 1)).build());
        } catch (ConditionalCheckFailedException takenOver) {
            // our lease expired and another pass took it: leave theirs alone
        }
    }

    private static Map<String, AttributeValue> lease(String holder, long untilMillis) {
        Map<String, AttributeValue> item = new HashMap<>(PayoutItems.key(PK, SK));
        item.put(HOLDER, s(holder));
        item.put(LEASE_UNTIL, n(untilMillis));
        return item;
    }
}
