package dev.payoutcallbacks.core.ledger;

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
    public static final String INDEX = "ReviewQueue";

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
        QueryResponse page = table.client().query(q -> q.tableName(table.name()).indexName(INDEX)
                .keyConditionExpression("reviewQueue = :q")
                .expressionAttributeValues(Map.of(":q", PayoutLedger.s(PayoutItems.REVIEW)))
                .limit(limit)
                .exclusiveStartKey(Cursor.startKey(after)));
        List<Flagged> flagged = new ArrayList<>();
        for (Map<String, AttributeValue> item : page.items()) {
            flagged.add(new Flagged(PayoutItems.str(item, "reference"), PayoutItems.str(item, "provider"),
                    PayoutItems.str(item, "status"), PayoutItems.str(item, "reviewReason"),
                    PayoutItems.str(item, PayoutItems.FLAGGED_AT)));
        }
        return new Page(flagged, Cursor.after(page));
    }
}
