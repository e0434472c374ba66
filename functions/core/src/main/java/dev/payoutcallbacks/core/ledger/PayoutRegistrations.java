package dev.payoutcallbacks.core.ledger;

import static dev.payoutcallbacks.core.ledger.PayoutItems.LAST_OUTCOME;
import static dev.payoutcallbacks.core.ledger.PayoutItems.SOURCE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.STATE_SK;
import static dev.payoutcallbacks.core.ledger.PayoutItems.aliases;
import static dev.payoutcallbacks.core.ledger.PayoutItems.key;
import static dev.payoutcallbacks.core.ledger.PayoutItems.payoutKey;

import dev.payoutcallbacks.core.payout.ApplyContention;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.OutcomeSource;
import dev.payoutcallbacks.core.payout.PayoutState;
import dev.payoutcallbacks.core.payout.Registration;
import java.time.Instant;
import java.util.List;
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
        String pk = payoutKey(r.reference());
        for (int attempt = 1; attempt <= ledger.settings().maxAttempts(); attempt++) {
            GetItemResponse read = ledger.table().client().getItem(b -> b.tableName(ledger.table().name())
                    .consistentRead(true).key(key(pk, STATE_SK)));
            boolean stored = read.hasItem() && !read.item().isEmpty();
            PayoutState current = stored ? PayoutItems.state(read.item()) : PayoutState.none(r.reference());
            if (current.registered()) {
                boolean same = current.amount() != null && current.amount().sameAs(r.amount())
                        && Objects.equals(current.provider(), r.provider());
                return new Registered(same ? Result.ALREADY_REGISTERED : Result.DIFFERS_FROM_REGISTRATION, current, null);
            }
            Instant now = ledger.clock().instant();
            Instant submitted = r.submittedAt() != null ? r.submittedAt() : now;
            PayoutState next = current.registered(r, now, submitted, stored && lastOutcomeInternal(read.item()));
            // A registration after callbacks meets the checks a callback after a registration meets.
            String anomaly = disagreement(current, r, stored ? read.item() : Map.of());
            if (anomaly != null) {
                next = next.flagged(anomaly, now);
            }
            Instant since = next.lastOutcomeAt() != null ? next.lastOutcomeAt() : submitted;
            Map<String, AttributeValue> item = PayoutItems.stateItem(pk, next, now, ledger.dueAfter(next, since));
            if (stored) {
                PayoutItems.carryUnmodelled(read.item(), item); // the outcomes already seen stay seen
            }
            // The order key and the provider's payout id find the payout from callbacks that lack the reference.
            List<String> aliases = aliases(r.orderKey(), r.provider(), r.providerPayoutId(), true);
            ledger.writeAliasItems(r.reference(), aliases, item);
            try {
                ledger.table().client().putItem(ledger.stateWrite(item, stored, current.revision()).build());
                return new Registered(Result.REGISTERED, next, anomaly);
            } catch (ConditionalCheckFailedException movedUnderUs) {
                // a callback applied meanwhile: read again and register on top of it
            }
        }
        throw new ApplyContention("payout " + r.reference() + " kept changing during registration");
    }

    private static boolean lastOutcomeInternal(Map<String, AttributeValue> item) {
        AttributeValue last = item.get(LAST_OUTCOME);
        return last != null && last.hasM()
                && OutcomeSource.INTERNAL.wireName().equals(PayoutItems.str(last.m(), SOURCE));
    }

    /** What the callbacks already recorded say against this registration, or null when they agree. */
    private static String disagreement(PayoutState current, Registration r, Map<String, AttributeValue> item) {
        Money known = current.amount();
        if (known != null && !known.sameAs(r.amount())) {
            return (known.currency().equals(r.amount().currency()) ? "amount_mismatch" : "currency_mismatch")
                    + ": registered " + r.amount() + ", callbacks said " + known;
        }
        if (current.providerPayoutId() != null && r.providerPayoutId() != null
                && !current.providerPayoutId().equals(r.providerPayoutId())) {
            return "duplicate_provider_payout: registered provider payout " + r.providerPayoutId()
                    + ", callbacks named " + current.providerPayoutId();
        }
        // As for callbacks: internal services speak for any provider, a provider's own callback only for itself.
        if (current.provider() != null && !lastOutcomeInternal(item) && !current.provider().equals(r.provider())) {
            return "provider_mismatch: registered with " + r.provider() + ", callbacks came from " + current.provider();
        }
        return null;
    }
}
