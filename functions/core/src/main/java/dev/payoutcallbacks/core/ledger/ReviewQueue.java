package dev.payoutcallbacks.core.ledger;

import static dev.payoutcallbacks.core.ledger.PayoutItems.FLAGGED_AT;
import static dev.payoutcallbacks.core.ledger.PayoutItems.PROVIDER;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REFERENCE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REVIEW_QUEUE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REVIEW_QUEUE_INDEX;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REVIEW_REASON;
import static dev.payoutcallbacks.core.ledger.PayoutItems.STATUS;
import static dev.payoutcallbacks.core.ledger.PayoutItems.s;
import static dev.payoutcallbacks.core.ledger.PayoutItems.str;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Payouts waiting for an operator (conflicts, anomalies, reconciler give-ups), from the sparse ReviewQueue
 * index, oldest first. Resolving one is an outcome like any other ({@link PayoutOutcome.Builder#resolvedBy}),
 * so it is applied exactly once and recorded in history with who and why.
 */
public final class ReviewQueue {
    public record Flagged(String reference, String provider, String status, String reviewReason, String flaggedAt) {
    }

    /** @param next where the next page starts; null after the last one */
    public record Page(List<Flagged> flagged, Cursor next) {
    }

    private final PayoutTable table;

    public ReviewQueue(PayoutTable table) {
        this.table = table;
    }

    public Page list(int limit, Cursor after) {
        Expressions waiting = new Expressions();
        waiting.condition(waiting.equal(REVIEW_QUEUE, s(PayoutItems.REVIEW)));
        QueryResponse page = table.client().query(waiting.query(table.name()).indexName(REVIEW_QUEUE_INDEX)
                .limit(limit).exclusiveStartKey(Cursor.startKey(after)).build());
        List<Flagged> flagged = new ArrayList<>();
        for (Map<String, AttributeValue> item : page.items()) {
            flagged.add(new Flagged(str(item, REFERENCE), str(item, PROVIDER), str(item, STATUS),
                    str(item, REVIEW_REASON), str(item, FLAGGED_AT)));
        }
        return new Page(flagged, Cursor.after(page));
    }
}
