package dev.payoutcallbacks.publisher;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import java.util.Map;
import java.util.Optional;

/**
 * Decides what one stream record of the payouts table means downstream. Only a payout's STATE item
 * whose {@code version} went up is a change: version counts applied outcomes, so review flags,
 * registrations and reconciler polls (which bump only {@code revision}) publish nothing, and
 * HISTORY#/quarantine/batch-notice items are ignored.
 */
final class StateChanges {
    static final String STATE_SK = "STATE";
    static final String PAYOUT_PREFIX = "PAYOUT#";

    private StateChanges() {
    }

    /**
     * @return the change, or empty when the record is not an applied change
     * @throws IllegalArgumentException when the record cannot be read as a change of this table (a
     *                                  stream without both images, an unknown status): never skipped
     */
    static Optional<PayoutStatusChanged> from(DynamodbEvent.DynamodbStreamRecord record) {
        StreamRecord stream = record.getDynamodb();
        if (stream == null || stream.getKeys() == null) {
            throw new IllegalArgumentException("stream record without keys");
        }
        String pk = text(stream.getKeys(), "pk");
        String sk = text(stream.getKeys(), "sk");
        if (pk == null || sk == null) {
            throw new IllegalArgumentException("stream record without pk/sk keys");
        }
        if (!STATE_SK.equals(sk) || !pk.startsWith(PAYOUT_PREFIX)) {
            return Optional.empty();
        }
        String eventName = record.getEventName();
        if ("REMOVE".equals(eventName)) {
            return Optional.empty(); // the ledger never deletes a payout's state; nothing was applied
        }
        if (!"INSERT".equals(eventName) && !"MODIFY".equals(eventName)) {
            throw new IllegalArgumentException("unknown stream event name " + eventName);
        }
        Map<String, AttributeValue> next = stream.getNewImage();
        Map<String, AttributeValue> before = stream.getOldImage();
        if (next == null || ("MODIFY".equals(eventName) && before == null)) {
            throw new IllegalArgumentException("stream record without "
                    + (next == null ? "NewImage" : "OldImage") + ": the table's stream must be NEW_AND_OLD_IMAGES");
        }
        long version = number(next, "version");
        long previousVersion = before == null ? 0 : number(before, "version");
        if (version <= previousVersion) {
            return Optional.empty(); // flag, registration, poll: revision only
        }
        String status = text(next, "status");
        PayoutStatus canonical = PayoutStatus.fromWireName(status);
        if (canonical == null) {
            // A status this build does not know (deploy skew): publishing a guessed slateStatus would mislead.
            throw new IllegalArgumentException("version " + version + " has unknown status " + status);
        }
        String previousStatus = before == null ? null : text(before, "status");
        PayoutStatus previousCanonical = PayoutStatus.fromWireName(previousStatus);
        String reference = text(next, "reference");
        return Optional.of(new PayoutStatusChanged(
                reference != null ? reference : pk.substring(PAYOUT_PREFIX.length()),
                version,
                previousVersion,
                canonical.wireName(),
                previousCanonical == null ? null : previousCanonical.wireName(),
                canonical.slateStatus(),
                previousCanonical == null ? null : previousCanonical.slateStatus(),
                text(next, "provider"),
                text(next, "providerPayoutId"),
                text(next, "orderKey"),
                text(next, "amount"),
                text(next, "currency"),
                text(next, "refunded"),
                text(next, "bankReference"),
                text(next, "failureReason"),
                text(next, "stage"),
                text(next, "reviewReason") != null,
                text(next, "lastOutcomeAt"),
                text(next, "updatedAt")));
    }

    private static String text(Map<String, AttributeValue> image, String name) {
        AttributeValue v = image.get(name);
        if (v == null) {
            return null;
        }
        return v.getS() != null ? v.getS() : v.getN();
    }

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
