package dev.payoutcallbacks.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Registration of payouts before (or when) they are submitted: the expected amount and currency, the
 * provider and the submit time. Callbacks that disagree with it are flagged; a callback that came first
 * for a reference never registered stays recorded and is marked unregistered until registration arrives.
 */
public final class PayoutRegistrations {
    public enum Result { REGISTERED, ALREADY_REGISTERED, DIFFERS_FROM_REGISTRATION }

    public record Registered(Result result, PayoutState state, String anomaly) {
    }

    private final PayoutLedger ledger;

    public PayoutRegistrations(PayoutLedger ledger) {
        this.ledger = ledger;
    }

    public Registered register(Registration r) {
        String pk = PayoutLedger.payoutKey(r.reference());
        for (int attempt = 1; attempt <= 8; attempt++) {
            GetItemResponse read = ledger.db().getItem(b -> b.tableName(ledger.table()).consistentRead(true)
                    .key(PayoutLedger.key(pk, PayoutLedger.STATE_SK)));
            boolean stored = read.hasItem() && !read.item().isEmpty();
            PayoutState current = stored ? PayoutItems.state(read.item()) : PayoutState.none(r.reference());
            if (current.registered()) {
                boolean same = current.amount() != null && current.amount().sameAs(r.amount())
                        && Objects.equals(current.provider(), r.provider());
                return new Registered(same ? Result.ALREADY_REGISTERED : Result.DIFFERS_FROM_REGISTRATION, current, null);
            }
            Instant now = ledger.clock().instant();
            Instant submitted = r.submittedAt() != null ? r.submittedAt() : now;
            PayoutState next = current.registered(r.provider(), r.amount(), r.orderKey(), r.providerPayoutId(), now, submitted);
            String anomaly = null;
            if (current.amount() != null && !current.amount().sameAs(r.amount())) {
                anomaly = "amount_mismatch: registered " + r.amount() + ", callbacks said " + current.amount();
                next = next.flagged(anomaly, now);
            }
            Instant since = next.lastOutcomeAt() != null ? next.lastOutcomeAt() : submitted;
            Map<String, AttributeValue> item = PayoutItems.stateItem(pk, next, now, ledger.dueAfter(next, since));
            if (stored) {
                PayoutItems.carryUnmodelled(read.item(), item); // the outcomes already seen stay seen
            }
            try {
                ledger.db().putItem(b -> b.tableName(ledger.table()).item(item)
                        .conditionExpression(stored ? "revision = :v" : "attribute_not_exists(pk)")
                        .expressionAttributeValues(stored ? Map.of(":v", PayoutLedger.n(current.revision())) : null));
                return new Registered(Result.REGISTERED, next, anomaly);
            } catch (ConditionalCheckFailedException movedUnderUs) {
                // a callback applied meanwhile: read again and register on top of it
            }
        }
        throw new ApplyContention("payout " + r.reference() + " kept changing during registration");
    }
}
