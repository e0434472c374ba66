package dev.payoutcallbacks.publisher;

import static dev.payoutcallbacks.core.ledger.PayoutItems.AMOUNT;
import static dev.payoutcallbacks.core.ledger.PayoutItems.BANK_REFERENCE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.CURRENCY;
import static dev.payoutcallbacks.core.ledger.PayoutItems.FAILURE_REASON;
import static dev.payoutcallbacks.core.ledger.PayoutItems.LAST_OUTCOME_AT;
import static dev.payoutcallbacks.core.ledger.PayoutItems.ORDER_KEY;
import static dev.payoutcallbacks.core.ledger.PayoutItems.PK;
import static dev.payoutcallbacks.core.ledger.PayoutItems.PROVIDER;
import static dev.payoutcallbacks.core.ledger.PayoutItems.PROVIDER_PAYOUT_ID;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REFERENCE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REFUNDED;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REVIEW_REASON;
import static dev.payoutcallbacks.core.ledger.PayoutItems.SK;
import static dev.payoutcallbacks.core.ledger.PayoutItems.STAGE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.STATUS;
import static dev.payoutcallbacks.core.ledger.PayoutItems.UPDATED_AT;
import static dev.payoutcallbacks.core.ledger.PayoutItems.VERSION;
import static dev.payoutcallbacks.core.ledger.PayoutItems.text;

import dev.payoutcallbacks.core.ledger.PayoutItems;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Decides what one stream record of the payouts table means downstream, reading the items as
 * {@link PayoutItems} declares them. Only a payout's STATE item whose {@code version} went up is a change:
 * version counts applied outcomes, so review flags, registrations and reconciler polls (which bump only
 * {@code revision}) publish nothing, and HISTORY#/quarantine/batch-notice items are ignored.
 */
final class StateChanges {
    private StateChanges() {
    }

    /**
     * @param eventName INSERT, MODIFY or REMOVE
     * @param keys      the record's keys; null when the record has none
     * @param before    the item before the change; null for an insert
     * @param next      the item after it; null for a removal
     * @return the change, or empty when the record is not an applied change
     * @throws IllegalArgumentException when the record cannot be read as a change of this table (a
     *                                  stream without both images, an unknown status): never skipped
     */
    static Optional<PayoutStatusChanged> from(String eventName, Map<String, AttributeValue> keys,
                                              Map<String, AttributeValue> before, Map<String, AttributeValue> next) {
        if (keys == null) {
            throw new IllegalArgumentException("stream record without keys");
        }
        String pk = text(keys, PK);
        String sk = text(keys, SK);
        if (pk == null || sk == null) {
            throw new IllegalArgumentException("stream record without pk/sk keys");
        }
        if (!PayoutItems.isPayoutState(pk, sk)) {
            return Optional.empty();
        }
        if ("REMOVE".equals(eventName)) {
            return Optional.empty(); // the ledger never deletes a payout's state; nothing was applied
        }
        if (!"INSERT".equals(eventName) && !"MODIFY".equals(eventName)) {
            throw new IllegalArgumentException("unknown stream event name " + eventName);
        }
        if (next == null || ("MODIFY".equals(eventName) && before == null)) {
            throw new IllegalArgumentException("stream record without "
                    + (next == null ? "NewImage" : "OldImage") + ": the table's stream must be NEW_AND_OLD_IMAGES");
        }
        long version = number(next, VERSION);
        long previousVersion = before == null ? 0 : number(before, VERSION);
        if (version <= previousVersion) {
            return Optional.empty(); // flag, registration, poll: revision only
        }
        String status = text(next, STATUS);
        PayoutStatus canonical = PayoutStatus.fromWireName(status);
        if (canonical == null) {
            // A status this build does not know (deploy skew): publishing a guessed slateStatus would mislead.
            throw new IllegalArgumentException("version " + version + " has unknown status " + status);
        }
        String previousStatus = before == null ? null : text(before, STATUS);
        PayoutStatus previousCanonical = PayoutStatus.fromWireName(previousStatus);
        String reference = text(next, REFERENCE);
        return Optional.of(new PayoutStatusChanged(
                reference != null ? reference : PayoutItems.referenceOf(pk),
                version,
                previousVersion,
                canonical.wireName(),
                previousCanonical == null ? null : previousCanonical.wireName(),
                canonical.slateStatus(),
                previousCanonical == null ? null : previousCanonical.slateStatus(),
                text(next, PROVIDER),
                text(next, PROVIDER_PAYOUT_ID),
                text(next, ORDER_KEY),
                text(next, AMOUNT),
                text(next, CURRENCY),
                text(next, REFUNDED),
                text(next, BANK_REFERENCE),
                text(next, FAILURE_REASON),
                text(next, STAGE),
                text(next, REVIEW_REASON) != null,
                text(next, LAST_OUTCOME_AT),
                text(next, UPDATED_AT)));
    }

    /** A whole number; anything else makes the record unreadable (poison), never a silent 0. */
    private static long number(Map<String, AttributeValue> image, String name) {
        String v = text(image, name);
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a whole number: " + v);
        }
    }
}
