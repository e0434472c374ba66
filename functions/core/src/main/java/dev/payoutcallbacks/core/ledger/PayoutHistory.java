package dev.payoutcallbacks.core.ledger;

import static dev.payoutcallbacks.core.ledger.PayoutItems.RECORDED;
import static dev.payoutcallbacks.core.ledger.PayoutItems.SK;
import static dev.payoutcallbacks.core.ledger.PayoutItems.STATE_SK;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * A payout's history, written from the payouts table's stream. Every write that records an outcome
 * (APPLIED, STALE or CONFLICT) leaves it on the state item as {@code lastOutcome} and counts it in
 * {@code recorded}; the stream holds every such write, in order, for 24 hours, and the next write overwrites
 * lastOutcome. So a record not turned into its HISTORY# item in time must leave the stream whole: the
 * publisher parks what it cannot read in the failure bucket, Lambda sends there what it gives up on after
 * 6 hours, and the redrive replays both through the same code (see the publisher). Writing an item twice (a
 * stream retry, a redrive) writes the same key and content again.
 */
public final class PayoutHistory {
    private final PayoutTable table;

    public PayoutHistory(PayoutTable table) {
        this.table = table;
    }

    /** {@link PayoutTable#fromEnvironment}. */
    public static PayoutHistory fromEnvironment(FunctionEnvironment env) {
        return new PayoutHistory(PayoutTable.fromEnvironment(env));
    }

    /**
     * The HISTORY# item one change of the table records; empty when the change records no outcome
     * (another item, a registration, a poll, a review flag).
     *
     * @param oldImage the item before the change; null for an insert
     * @param newImage the item after it; null for a removal
     */
    public static Optional<Map<String, AttributeValue>> recordedBy(Map<String, AttributeValue> oldImage,
                                                                   Map<String, AttributeValue> newImage) {
        if (newImage == null || !STATE_SK.equals(PayoutItems.str(newImage, SK))) {
            return Optional.empty();
        }
        long before = oldImage == null ? 0 : PayoutItems.num(oldImage, RECORDED);
        if (PayoutItems.num(newImage, RECORDED) <= before) {
            return Optional.empty();
        }
        return PayoutItems.historyItem(newImage);
    }

    /** As {@link #record(Map, Map)}, for a record as the DynamoDB Streams API returns it (local runs, tests). */
    public boolean record(Record change) {
        var images = change.dynamodb();
        return record(images.hasOldImage() ? images.oldImage() : null, images.hasNewImage() ? images.newImage() : null);
    }

    /** Writes the history item of a change, if it records one. SDK exceptions propagate: the change is retried. */
    public boolean record(Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage) {
        Optional<Map<String, AttributeValue>> item = recordedBy(oldImage, newImage);
        item.ifPresent(i -> table.client().putItem(b -> b.tableName(table.name()).item(i)));
        return item.isPresent();
    }
}
