package dev.payoutcallbacks.core.lambda;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.payout.HistoryEntry;
import dev.payoutcallbacks.core.payout.PayoutRecord;
import dev.payoutcallbacks.core.payout.PayoutState;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.Json;
import java.math.BigDecimal;

/** JSON views of a payout for the read API and the local tools. */
public final class PayoutViews {
    private PayoutViews() {
    }

    public static ObjectNode payout(PayoutRecord record) {
        PayoutState s = record.state();
        ObjectNode json = Json.newObject();
        json.put("reference", s.reference());
        // A payout registered but not yet reported on is open, awaiting its outcome: pending, as the
        // reconciler treats it (version 0 tells it apart from a provider's own pending).
        PayoutStatus status = s.status() != null ? s.status() : PayoutStatus.PENDING;
        json.put("status", status.wireName());
        json.put("slateStatus", status.slateStatus());
        json.put("version", s.version());
        json.put("registered", s.registered());
        if (s.submittedAt() != null) {
            json.put("submittedAt", s.submittedAt().toString());
        }
        if (s.pollAttempts() > 0) {
            json.put("pollAttempts", s.pollAttempts());
        }
        if (s.amount() != null) {
            json.put("amount", s.amount().amountText());
            json.put("currency", s.amount().currency());
        }
        BigDecimal refunded = s.refunded();
        if (s.amount() != null && refunded.scale() < s.amount().amount().scale()) {
            // DynamoDB numbers keep no scale: shown at the amount's ("6.00", not "6").
            refunded = refunded.setScale(s.amount().amount().scale());
        }
        json.put("refunded", refunded.toPlainString());
        putIfPresent(json, "provider", s.provider());
        putIfPresent(json, "providerPayoutId", s.providerPayoutId());
        putIfPresent(json, "orderKey", s.orderKey());
        putIfPresent(json, "bankReference", s.bankReference());
        putIfPresent(json, "failureReason", s.failureReason());
        putIfPresent(json, "stage", s.stage());
        json.put("flaggedForReview", s.flaggedForReview());
        putIfPresent(json, "reviewReason", s.reviewReason());
        json.put("anomalies", s.anomalies());
        if (s.lastOutcomeAt() != null) {
            json.put("lastOutcomeAt", s.lastOutcomeAt().toString());
        }
        ArrayNode history = json.putArray("history");
        for (HistoryEntry h : record.history()) {
            ObjectNode e = history.addObject();
            e.put("result", h.result().name());
            e.put("reported", h.reported().wireName());
            e.put("statusAfter", h.statusAfter() == null ? null : h.statusAfter().wireName());
            e.put("versionAfter", h.versionAfter());
            e.put("provider", h.provider());
            e.put("source", h.source() == null ? null : h.source().wireName());
            putIfPresent(e, "stage", h.stage());
            if (h.amount() != null) {
                e.put("amount", h.amount().amountText());
                e.put("currency", h.amount().currency());
            }
            if (h.adjustmentAmount() != null) {
                e.put("adjustmentAmount", h.adjustmentAmount().amountText());
                e.put("adjustmentCurrency", h.adjustmentAmount().currency());
            }
            putIfPresent(e, "adjustmentId", h.adjustmentId());
            putIfPresent(e, "failureReason", h.failureReason());
            putIfPresent(e, "bankReference", h.bankReference());
            putIfPresent(e, "eventTime", h.eventTime());
            e.put("receivedAt", h.receivedAt());
            putIfPresent(e, "anomaly", h.anomaly());
            putIfPresent(e, "dedupKey", h.dedupKey());
        }
        return json;
    }

    private static void putIfPresent(ObjectNode json, String name, String value) {
        if (value != null) {
            json.put(name, value);
        }
    }
}
