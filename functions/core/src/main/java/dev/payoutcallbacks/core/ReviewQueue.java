package dev.payoutcallbacks.core;

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

    public record Page(List<Flagged> flagged, Map<String, AttributeValue> next) {
    }

    private final PayoutLedger ledger;

    public ReviewQueue(PayoutLedger ledger) {
        this.ledger = ledger;
    }

    public Page list(int limit, Map<String, AttributeValue> startKey) {
        QueryResponse page = ledger.db().query(q -> q.tableName(ledger.table()).indexName(INDEX)
                .keyConditionExpression("reviewQueue = :q")
                .expressionAttributeValues(Map.of(":q", PayoutLedger.s(PayoutItems.REVIEW)))
                .limit(limit)
                .exclusiveStartKey(startKey));
        List<Flagged> flagged = new ArrayList<>();
        for (Map<String, AttributeValue> item : page.items()) {
            flagged.add(new Flagged(PayoutItems.str(item, "reference"), PayoutItems.str(item, "provider"),
                    PayoutItems.str(item, "status"), PayoutItems.str(item, "reviewReason"),
                    PayoutItems.str(item, PayoutItems.FLAGGED_AT)));
        }
        return new Page(flagged, PayoutItems.nextPage(page));
    }
}
