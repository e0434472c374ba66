package dev.payoutcallbacks.reconciler;

import dev.payoutcallbacks.core.ledger.PayoutTable;
import java.time.Clock;
import java.time.Duration;
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

    private final PayoutTable table;
    private final Clock clock;

    PassLease(PayoutTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    /** Takes the lease for {@code holder} until now + {@code duration}; false when another pass holds it. */
    boolean acquire(String holder, Duration duration) {
        long now = clock.millis();
        try {
            table.client().putItem(b -> b.tableName(table.name())
                    .item(Map.of("pk", s(PK), "sk", s(SK), "holder", s(holder),
                            "leaseUntil", n(now + duration.toMillis())))
                    .conditionExpression("attribute_not_exists(pk) OR leaseUntil < :now OR holder = :me")
                    .expressionAttributeValues(Map.of(":now", n(now), ":me", s(holder))));
            return true;
        } catch (ConditionalCheckFailedException heldByAnother) {
            return false;
        }
    }

    /** Gives the lease back (expires it now) if {@code holder} still holds it. */
    void release(String holder) {
        long now = clock.millis();
        try {
            table.client().putItem(b -> b.tableName(table.name())
                    .item(Map.of("pk", s(PK), "sk", s(SK), "holder", s(holder), "leaseUntil", n(now - 1)))
                    .conditionExpression("holder = :me")
                    .expressionAttributeValues(Map.of(":me", s(holder))));
        } catch (ConditionalCheckFailedException takenOver) {
            // our lease expired and another pass took it: leave theirs alone
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
