package dev.payoutcallbacks.pivot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.RuntimeSecrets;
import dev.payoutcallbacks.core.config.SharedSecrets;
import dev.payoutcallbacks.core.payout.BatchNotice;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.CallbackRequest;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.provider.PersonalData;
import dev.payoutcallbacks.core.provider.ProviderCallbacks;
import dev.payoutcallbacks.core.provider.Translation;
import dev.payoutcallbacks.core.provider.WireText;
import java.util.Map;
import java.util.Set;

/**
 * Pivot Payment (Indonesia, IDR) payout callbacks (seed 001).
 *
 * <p>Auth: {@code X-API-Key} is the merchant's Callback API Key (no HMAC, no timestamp documented).
 * Single events (PAYOUT.SUCCESS | FAILED | DELAYED, with {@code data.payouts}) map to one outcome;
 * bulk events (PAYOUT.DONE | PENDING | DELAYED | CANCELLED, with totals in {@code data.payoutResults})
 * are recorded as batch notices for the reconciler to fetch item by item.
 *
 * <p>Unknown events and statuses answer 400 after quarantine: Pivot retries only 5xx, 408 and 429, so
 * a 400 stops a retry that could never succeed, and the quarantined body waits for a fix and replay.
 */
public final class PivotCallbacks implements ProviderCallbacks {
    public static final String PROVIDER = "pivot";
    public static final String API_KEY_HEADER = "X-API-Key";

    private static final Set<String> SINGLE_EVENTS = Set.of("PAYOUT.SUCCESS", "PAYOUT.FAILED", "PAYOUT.DELAYED");
    private static final Set<String> BULK_EVENTS = Set.of("PAYOUT.DONE", "PAYOUT.PENDING", "PAYOUT.DELAYED",
            "PAYOUT.CANCELLED");

    /** Item statuses (documented) to canonical ones. APPROVED: waiting for balance; not final. */
    static final Map<String, PayoutStatus> ITEM_STATUSES = Map.of(
            "APPROVED", PayoutStatus.PENDING,
            "PENDING", PayoutStatus.PENDING,
            "DELAYED", PayoutStatus.PENDING,
            "SUCCESS", PayoutStatus.PAID,
            "FAILED", PayoutStatus.FAILED,
            "CANCELLED", PayoutStatus.CANCELLED);

    /** What each single event may carry as item status. */
    private static final Map<String, Set<PayoutStatus>> EVENT_ALLOWS = Map.of(
            "PAYOUT.SUCCESS", Set.of(PayoutStatus.PAID),
            "PAYOUT.FAILED", Set.of(PayoutStatus.FAILED, PayoutStatus.CANCELLED),
            "PAYOUT.DELAYED", Set.of(PayoutStatus.PENDING));

    private final SharedSecrets apiKeys;

    /** Its settings. Secret (see {@link RuntimeSecrets}): PIVOT_CALLBACK_API_KEYS (comma-separated). */
    public static PivotCallbacks fromEnvironment(FunctionEnvironment env, RuntimeSecrets secrets) {
        secrets.refuseInEnvironment(env, "PIVOT_CALLBACK_API_KEYS");
        return new PivotCallbacks(secrets.keys("PIVOT_CALLBACK_API_KEYS", true));
    }

    public PivotCallbacks(SharedSecrets apiKeys) {
        this.apiKeys = apiKeys;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public boolean authentic(CallbackRequest request) {
        return apiKeys.matches(request.header(API_KEY_HEADER));
    }

    @Override
    public Translation translate(CallbackRequest request) throws CallbackRejected {
        ObjectNode body = Json.object(request.body());
        String event = Json.text(body, "event");
        if (event == null) {
            throw CallbackRejected.malformed("event is required");
        }
        JsonNode data = body.get("data");
        if (data == null || !data.isObject()) {
            throw CallbackRejected.malformed("data must be an object");
        }
        String masked = Json.masked(body, PersonalData.COMMON_FIELDS);
        if (data.has("payouts") && SINGLE_EVENTS.contains(event)) {
            return Translation.of(single(event, data, request, masked));
        }
        if (data.has("payoutResults") && BULK_EVENTS.contains(event)) {
            return Translation.batch(bulk(event, data, request, masked));
        }
        if (SINGLE_EVENTS.contains(event) || BULK_EVENTS.contains(event)) {
            throw CallbackRejected.malformed(event + " needs data.payouts (single) or data.payoutResults (bulk)");
        }
        throw new CallbackRejected(CallbackRejected.Reason.UNKNOWN_EVENT, "unknown event \"" + WireText.clip(event) + "\"");
    }

    private PayoutOutcome single(String event, JsonNode data, CallbackRequest request, String masked)
            throws CallbackRejected {
        Item item = item(data.get("payouts"), "data.payouts");
        PayoutStatus status = item.status();
        if (status == null) {
            status = EVENT_ALLOWS.get(event).iterator().next();
        } else if (!EVENT_ALLOWS.get(event).contains(status)) {
            throw CallbackRejected.malformed(event + " cannot carry status " + item.itemStatus());
        }
        try {
            return item.outcome(status)
                    .providerPayoutId(Json.text(data, "uuid"))
                    .stage(event + "/" + (item.itemStatus() == null ? "-" : item.itemStatus()))
                    .receivedAt(request.receivedAt())
                    .rawPayload(masked)
                    .build();
        } catch (IllegalArgumentException invalid) {
            throw CallbackRejected.malformed(invalid.getMessage());
        }
    }

    /**
     * One payout item as Pivot describes it, whoever delivers it: a single callback's {@code data.payouts}
     * and the status API's answer ({@link PivotStatusApi}) carry the same {@code {referenceId, amount,
     * status, reason}}, so both are read here, with the one {@link #ITEM_STATUSES} table.
     *
     * @param status the canonical status of {@code itemStatus}; null when the item names none
     */
    record Item(String reference, String itemStatus, PayoutStatus status, Money amount, String reason) {

        /** The outcome builder for this item; the caller adds stage, time, source and payload. */
        PayoutOutcome.Builder outcome(PayoutStatus as) {
            return PayoutOutcome.builder(reference, as)
                    .provider(PROVIDER)
                    .amount(amount)
                    .failureReason(as == PayoutStatus.PAID ? null : reason);
        }
    }

    /** Reads one payout item; {@code where} names it in error messages (e.g. "data.payouts"). */
    static Item item(JsonNode item, String where) throws CallbackRejected {
        if (item == null || !item.isObject()) {
            throw CallbackRejected.malformed(where + " must be an object");
        }
        String reference = Json.text(item, "referenceId");
        if (reference == null || reference.isBlank()) {
            throw CallbackRejected.malformed(where + ".referenceId is required");
        }
        String itemStatus = Json.text(item, "status");
        PayoutStatus status = null;
        if (itemStatus != null) {
            status = ITEM_STATUSES.get(itemStatus);
            if (status == null) {
                throw new CallbackRejected(CallbackRejected.Reason.UNMAPPED_STATUS,
                        "unmapped payout status \"" + WireText.clip(itemStatus) + "\"");
            }
        }
        try {
            return new Item(reference, itemStatus, status, amount(item.get("amount")), Json.text(item, "reason"));
        } catch (IllegalArgumentException invalid) {
            throw CallbackRejected.malformed(invalid.getMessage());
        }
    }

    /** {@code {currency, value}}; value is whole rupiah, a string (a number is accepted too). */
    private static Money amount(JsonNode amount) {
        if (amount == null || amount.isNull()) {
            return null;
        }
        if (!amount.isObject()) {
            throw new IllegalArgumentException("data.payouts.amount must be {currency, value}");
        }
        String currency = Json.text(amount, "currency");
        String value = Json.scalarText(amount.get("value"));
        if (value == null) {
            throw new IllegalArgumentException("data.payouts.amount.value is required");
        }
        Money money;
        try {
            money = Money.parse(value, currency == null ? "IDR" : currency);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data.payouts.amount: " + e.getMessage());
        }
        // Pivot documents whole rupiah: a fraction is not an amount Pivot can have paid ("100000.5" is
        // refused, as Comm.Pix's fractional cents are). A zero fraction ("100000.00") is the same whole amount.
        if (money.amount().stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("data.payouts.amount.value must be whole rupiah, such as \"100000\"");
        }
        return money.amount().scale() > 0 ? new Money(money.amount().setScale(0), money.currency()) : money;
    }

    private BatchNotice bulk(String event, JsonNode data, CallbackRequest request, String masked)
            throws CallbackRejected {
        String batchId = Json.text(data, "uuid");
        if (batchId == null || batchId.isBlank()) {
            throw CallbackRejected.malformed("data.uuid is required for a bulk event");
        }
        JsonNode totals = data.get("payoutResults");
        if (!totals.isObject()) {
            throw CallbackRejected.malformed("data.payoutResults must be an object");
        }
        return new BatchNotice(provider(), batchId, event, Json.write(totals), request.receivedAt(), masked);
    }

}
