package dev.payoutcallbacks.publisher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.provider.Json;
import java.time.Instant;

/**
 * One applied change of a payout's state: what downstream systems (the ledger that credits or
 * re-credits a customer) learn from the change stream. Canonical fields only, read from the payout's
 * STATE item; never a raw provider payload.
 *
 * <p>Identity: (reference, version). The same change may be published more than once (stream
 * retries, a lost PutEvents answer); consumers apply it only when {@code version} is greater than
 * the last version they applied for that reference, and may detect a gap when
 * {@code previousVersion} is not the version they hold.
 *
 * @param version          number of outcomes applied to this payout, this one included (1, 2, ...)
 * @param previousVersion  the version before this change; normally version - 1. Smaller when the stream
 *                         skipped versions (never with NEW_AND_OLD_IMAGES in practice): this event then
 *                         carries the newest state once, under its own version
 * @param status           canonical status wire name (paid, failed, pending, partially_refunded, ...)
 * @param slateStatus      the nearest of Slate's statuses (paid | failed | submit_not_received); null while pending
 * @param occurredAt       when the applied outcome was received (lastOutcomeAt)
 * @param changedAt        when the change was written (updatedAt); the EventBridge event time
 */
public record PayoutStatusChanged(
        String reference,
        long version,
        long previousVersion,
        String status,
        String previousStatus,
        String slateStatus,
        String previousSlateStatus,
        String provider,
        String providerPayoutId,
        String orderKey,
        String amount,
        String currency,
        String refunded,
        String bankReference,
        String failureReason,
        String stage,
        boolean flaggedForReview,
        String occurredAt,
        String changedAt) {

    public static final String SOURCE = "payout-callbacks";
    public static final String DETAIL_TYPE = "PayoutStatusChanged";
    /** Bumped only for incompatible changes of the detail. */
    public static final int SCHEMA_VERSION = 1;

    /** What consumers dedupe on: one applied change per (reference, version). */
    public String idempotencyKey() {
        return reference + "#" + version;
    }

    /** True when versions between previousVersion and version were never seen by the publisher. */
    public boolean skippedVersions() {
        return version - previousVersion > 1;
    }

    /** The EventBridge event's detail. Absent fields are present as null, so every event has one shape. */
    public ObjectNode detail() {
        ObjectNode d = Json.newObject();
        d.put("schemaVersion", SCHEMA_VERSION);
        d.put("idempotencyKey", idempotencyKey());
        d.put("reference", reference);
        d.put("version", version);
        d.put("previousVersion", previousVersion);
        d.put("status", status);
        d.put("previousStatus", previousStatus);
        d.put("slateStatus", slateStatus);
        d.put("previousSlateStatus", previousSlateStatus);
        d.put("provider", provider);
        d.put("providerPayoutId", providerPayoutId);
        d.put("orderKey", orderKey);
        d.put("amount", amount);
        d.put("currency", currency);
        d.put("refunded", refunded);
        d.put("bankReference", bankReference);
        d.put("failureReason", failureReason);
        d.put("stage", stage);
        d.put("flaggedForReview", flaggedForReview);
        d.put("occurredAt", occurredAt);
        d.put("changedAt", changedAt);
        return d;
    }

    public String detailJson() {
        return Json.write(detail());
    }

    /** The event's time: when the change was written; null lets EventBridge use the time of the call. */
    public Instant time() {
        try {
            return changedAt == null ? null : Instant.parse(changedAt);
        } catch (RuntimeException unparsable) {
            return null;
        }
    }
}
