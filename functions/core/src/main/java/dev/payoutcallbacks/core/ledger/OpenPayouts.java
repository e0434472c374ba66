package dev.payoutcallbacks.core.ledger;

import static dev.payoutcallbacks.core.ledger.PayoutItems.AWAITING_ITEM_FETCH;
import static dev.payoutcallbacks.core.ledger.PayoutItems.BATCH_ID;
import static dev.payoutcallbacks.core.ledger.PayoutItems.CHECK_AFTER;
import static dev.payoutcallbacks.core.ledger.PayoutItems.EVENT;
import static dev.payoutcallbacks.core.ledger.PayoutItems.FETCH_ATTEMPTS;
import static dev.payoutcallbacks.core.ledger.PayoutItems.FLAGGED_AT;
import static dev.payoutcallbacks.core.ledger.PayoutItems.ITEMS_FETCHED;
import static dev.payoutcallbacks.core.ledger.PayoutItems.OPEN_PAYOUTS_INDEX;
import static dev.payoutcallbacks.core.ledger.PayoutItems.OPEN_PROVIDER;
import static dev.payoutcallbacks.core.ledger.PayoutItems.PK;
import static dev.payoutcallbacks.core.ledger.PayoutItems.POLL_ATTEMPTS;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REFERENCE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.RESOLVED_AT;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REVIEW_QUEUE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REVIEW_REASON;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REVISION;
import static dev.payoutcallbacks.core.ledger.PayoutItems.SK;
import static dev.payoutcallbacks.core.ledger.PayoutItems.STATE_SK;
import static dev.payoutcallbacks.core.ledger.PayoutItems.key;
import static dev.payoutcallbacks.core.ledger.PayoutItems.n;
import static dev.payoutcallbacks.core.ledger.PayoutItems.payoutKey;
import static dev.payoutcallbacks.core.ledger.PayoutItems.s;

import dev.payoutcallbacks.core.payout.PayoutState;
import dev.payoutcallbacks.core.payout.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The reconciler's view of the table: payouts (and batch notices) that are open and due, read from the
 * sparse OpenPayouts index (its key exists only while something waits), never by scanning.
 */
public final class OpenPayouts {

    /** One due entry: a payout, or a batch notice (with its failed item fetches so far) whose items must be fetched. */
    public record Due(String pk, String sk, String reference, String batchId, String event, int fetchAttempts) {
        public boolean batch() {
            return batchId != null;
        }
    }

    /** @param next where the next page starts; null after the last one */
    public record Page(List<Due> due, Cursor next) {
        public boolean hasMore() {
            return next != null;
        }
    }

    private final PayoutTable table;
    private final Clock clock;

    public OpenPayouts(PayoutTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    /** Entries of this provider due at {@code now}, oldest first, one bounded page at a time. */
    public Page due(String provider, Instant now, int limit, Cursor after) {
        Expressions due = new Expressions();
        due.condition(due.equal(OPEN_PROVIDER, s(provider)))
                .condition(due.compare(CHECK_AFTER, "<=", s(Timestamps.sortable(now))));
        QueryResponse page = table.client().query(due.query(table.name()).indexName(OPEN_PAYOUTS_INDEX)
                .limit(limit).exclusiveStartKey(Cursor.startKey(after)).build());
        List<Due> entries = new ArrayList<>();
        for (Map<String, AttributeValue> item : page.items()) {
            entries.add(new Due(item.get(PK).s(), item.get(SK).s(), PayoutItems.str(item, REFERENCE),
                    PayoutItems.str(item, BATCH_ID), PayoutItems.str(item, EVENT),
                    (int) PayoutItems.num(item, FETCH_ATTEMPTS)));
        }
        return new Page(entries, Cursor.after(page));
    }

    /** The payout's current state, strongly consistent (the index is not). */
    public Optional<PayoutState> state(String reference) {
        GetItemResponse r = table.client().getItem(b -> b.tableName(table.name()).consistentRead(true)
                .key(key(payoutKey(reference), STATE_SK)));
        return r.hasItem() && !r.item().isEmpty() ? Optional.of(PayoutItems.state(r.item())) : Optional.empty();
    }

    /**
     * Counts a poll that settled nothing and sets when to look again. False when the payout changed since
     * {@code seen} was read (an outcome arrived): nothing written, nothing lost.
     */
    public boolean pollUnresolved(PayoutState seen, Instant lookAgainAt) {
        return update(seen, new Expressions()
                .set(POLL_ATTEMPTS, n(seen.pollAttempts() + 1L))
                .set(CHECK_AFTER, s(Timestamps.sortable(lookAgainAt))));
    }

    /**
     * Stops looking after a payout (too many attempts, or no way to ask the provider): flagged for review,
     * taken out of the index. The operator's escape hatch, not a silent drop.
     */
    public boolean giveUp(PayoutState seen, String reason) {
        Expressions stopped = new Expressions()
                .set(POLL_ATTEMPTS, n(seen.pollAttempts() + 1L))
                .remove(OPEN_PROVIDER, CHECK_AFTER);
        return update(seen, PayoutItems.flagged(stopped, reason, clock.instant()));
    }

    /** A batch notice whose items were fetched and applied: out of the index. */
    public void batchResolved(Due notice, int items) {
        table.client().updateItem(new Expressions()
                .set(AWAITING_ITEM_FETCH, AttributeValue.fromBool(false))
                .set(ITEMS_FETCHED, n(items))
                .set(RESOLVED_AT, s(Timestamps.sortable(clock.instant())))
                .remove(OPEN_PROVIDER, CHECK_AFTER)
                .updateItem(table.name(), key(notice.pk(), notice.sk())).build());
    }

    /** A batch notice whose items could not be fetched now: look again later. */
    public void batchRetryAt(Due notice, Instant lookAgainAt) {
        table.client().updateItem(new Expressions()
                .set(CHECK_AFTER, s(Timestamps.sortable(lookAgainAt)))
                .add(FETCH_ATTEMPTS, n(1))
                .updateItem(table.name(), key(notice.pk(), notice.sk())).build());
    }

    /**
     * Stops fetching a batch notice's items (too many failed fetches): out of the index and into the review
     * queue, under a label naming the batch, for an operator to settle its payouts.
     */
    public void batchGiveUp(Due notice, String reason) {
        table.client().updateItem(new Expressions()
                .set(REVIEW_REASON, s(reason))
                .set(REVIEW_QUEUE, s(PayoutItems.REVIEW))
                .set(FLAGGED_AT, s(Timestamps.sortable(clock.instant())))
                .set(REFERENCE, s("batch:" + notice.batchId()))
                .add(FETCH_ATTEMPTS, n(1))
                .remove(OPEN_PROVIDER, CHECK_AFTER)
                .updateItem(table.name(), key(notice.pk(), notice.sk())).build());
    }

    /** The update, and a new revision, on condition that the payout is still at the revision {@code seen} read. */
    private boolean update(PayoutState seen, Expressions update) {
        update.add(REVISION, n(1)).condition(update.equal(REVISION, n(seen.revision())));
        try {
            table.client().updateItem(update.updateItem(table.name(), key(payoutKey(seen.reference()), STATE_SK))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }
}
