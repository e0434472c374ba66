package dev.payoutcallbacks.core.ledger;

import dev.payoutcallbacks.core.payout.PayoutState;
import dev.payoutcallbacks.core.payout.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
        QueryResponse page = table.client().query(q -> q.tableName(table.name())
                .indexName(PayoutLedger.OPEN_PAYOUTS_INDEX)
                .keyConditionExpression("openProvider = :p AND checkAfter <= :now")
                .expressionAttributeValues(Map.of(":p", PayoutLedger.s(provider),
                        ":now", PayoutLedger.s(Timestamps.sortable(now))))
                .limit(limit)
                .exclusiveStartKey(Cursor.startKey(after)));
        List<Due> due = new ArrayList<>();
        for (Map<String, AttributeValue> item : page.items()) {
            AttributeValue attempts = item.get("fetchAttempts");
            due.add(new Due(item.get(PayoutLedger.PK).s(), item.get(PayoutLedger.SK).s(), PayoutItems.str(item, "reference"),
                    PayoutItems.str(item, "batchId"), PayoutItems.str(item, "event"),
                    attempts == null || attempts.n() == null ? 0 : Integer.parseInt(attempts.n())));
        }
        return new Page(due, Cursor.after(page));
    }

    /** The payout's current state, strongly consistent (the index is not). */
    public Optional<PayoutState> state(String reference) {
        GetItemResponse r = table.client().getItem(b -> b.tableName(table.name()).consistentRead(true)
                .key(PayoutLedger.key(PayoutLedger.payoutKey(reference), PayoutLedger.STATE_SK)));
        return r.hasItem() && !r.item().isEmpty() ? Optional.of(PayoutItems.state(r.item())) : Optional.empty();
    }

    /**
     * Counts a poll that settled nothing and sets when to look again. False when the payout changed since
     * {@code seen} was read (an outcome arrived): nothing written, nothing lost.
     */
    public boolean pollUnresolved(PayoutState seen, Instant lookAgainAt) {
        return update(seen, "SET pollAttempts = :attempts, checkAfter = :next ADD revision :one",
                Map.of(":attempts", PayoutLedger.n(seen.pollAttempts() + 1L),
                        ":next", PayoutLedger.s(Timestamps.sortable(lookAgainAt))));
    }

    /**
     * Stops looking after a payout (too many attempts, or no way to ask the provider): flagged for review,
     * taken out of the index. The operator's escape hatch, not a silent drop.
     */
    public boolean giveUp(PayoutState seen, String reason) {
        return update(seen, "SET pollAttempts = :attempts, reviewReason = if_not_exists(reviewReason, :why),"
                        + " reviewQueue = :q, flaggedAt = if_not_exists(flaggedAt, :now)"
                        + " REMOVE openProvider, checkAfter ADD anomalies :one, revision :one",
                Map.of(":attempts", PayoutLedger.n(seen.pollAttempts() + 1L), ":why", PayoutLedger.s(reason),
                        ":q", PayoutLedger.s(PayoutItems.REVIEW),
                        ":now", PayoutLedger.s(Timestamps.sortable(clock.instant()))));
    }

    /** A batch notice whose items were fetched and applied: out of the index. */
    public void batchResolved(Due notice, int items) {
        table.client().updateItem(b -> b.tableName(table.name())
                .key(PayoutLedger.key(notice.pk(), notice.sk()))
                .updateExpression("SET awaitingItemFetch = :f, itemsFetched = :n, resolvedAt = :at REMOVE openProvider, checkAfter")
                .expressionAttributeValues(Map.of(":f", AttributeValue.fromBool(false), ":n", PayoutLedger.n(items),
                        ":at", PayoutLedger.s(Timestamps.sortable(clock.instant())))));
    }

    /** A batch notice whose items could not be fetched now: look again later. */
    public void batchRetryAt(Due notice, Instant lookAgainAt) {
        table.client().updateItem(b -> b.tableName(table.name())
                .key(PayoutLedger.key(notice.pk(), notice.sk()))
                .updateExpression("SET checkAfter = :next ADD fetchAttempts :one")
                .expressionAttributeValues(Map.of(":next", PayoutLedger.s(Timestamps.sortable(lookAgainAt)),
                        ":one", PayoutLedger.n(1))));
    }

    /**
     * Stops fetching a batch notice's items (too many failed fetches): out of the index and into the review
     * queue, under a label naming the batch, for an operator to settle its payouts.
     */
    public void batchGiveUp(Due notice, String reason) {
        String now = Timestamps.sortable(clock.instant());
        table.client().updateItem(b -> b.tableName(table.name())
                .key(PayoutLedger.key(notice.pk(), notice.sk()))
                .updateExpression("SET reviewReason = :why, reviewQueue = :q, flaggedAt = :now, #ref = :label"
                        + " ADD fetchAttempts :one REMOVE openProvider, checkAfter")
                .expressionAttributeNames(Map.of("#ref", "reference"))
                .expressionAttributeValues(Map.of(":why", PayoutLedger.s(reason), ":q", PayoutLedger.s(PayoutItems.REVIEW),
                        ":now", PayoutLedger.s(now), ":label", PayoutLedger.s("batch:" + notice.batchId()),
                        ":one", PayoutLedger.n(1))));
    }

    private boolean update(PayoutState seen, String expression, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":v", PayoutLedger.n(seen.revision()));
        all.putIfAbsent(":one", PayoutLedger.n(1));
        try {
            table.client().updateItem(b -> b.tableName(table.name())
                    .key(PayoutLedger.key(PayoutLedger.payoutKey(seen.reference()), PayoutLedger.STATE_SK))
                    .updateExpression(expression)
                    .conditionExpression("revision = :v")
                    .expressionAttributeValues(all));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }
}
