package dev.payoutcallbacks.pivot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.testing.ProviderFixture;
import dev.payoutcallbacks.core.testing.SentOutcome;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/** Pivot as it calls back: single-payout events with the merchant's API key in {@code X-API-Key}. */
public final class PivotFixture implements ProviderFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** PAYOUT.DELAYED's stages: the item status after the slash ("-": none). */
    private static final String DELAYED = "PAYOUT.DELAYED/";

    @Override
    public CallbackFunction function() {
        return new CallbackFunction("pivot", "/callbacks/pivot",
                PivotCallbackHandler.class, PivotCallbacks::fromEnvironment);
    }

    @Override
    public Credentials credentials(byte[] body, UnaryOperator<String> secret) {
        return new Credentials(Map.of("X-API-Key", secret.apply("PIVOT_CALLBACK_API_KEYS")), Map.of(), SENDER_IP);
    }

    // ---- what it says ----------------------------------------------------------------------------------

    @Override
    public String currency() {
        return "IDR";
    }

    @Override
    public Money amount(Random random) {
        return new Money(BigDecimal.valueOf(10_000 + random.nextInt(5_000_000)), "IDR");
    }

    @Override
    public List<String> openStages() {
        return List.of(DELAYED + "DELAYED", DELAYED + "PENDING", DELAYED + "APPROVED", DELAYED + "-");
    }

    @Override
    public boolean openStagesCarryAmount() {
        return true;
    }

    @Override
    public String wrongAmountStage() {
        return DELAYED + "APPROVED";
    }

    @Override
    public String body(SentOutcome o, Random forms) {
        String event;
        String itemStatus;
        switch (o.status()) {
            case PENDING -> {
                if (!o.stage().startsWith(DELAYED)) {
                    return null;
                }
                event = "PAYOUT.DELAYED";
                String s = o.stage().substring(DELAYED.length());
                itemStatus = s.equals("-") ? null : s;
            }
            case PAID -> {
                event = "PAYOUT.SUCCESS";
                itemStatus = "SUCCESS";
            }
            case FAILED -> {
                event = "PAYOUT.FAILED";
                itemStatus = "FAILED";
            }
            case CANCELLED -> {
                event = "PAYOUT.FAILED";
                itemStatus = "CANCELLED";
            }
            default -> {
                return null;
            }
        }
        ObjectNode body = JSON.createObjectNode().put("event", event);
        ObjectNode data = body.putObject("data")
                .put("uuid", o.providerPayoutId() != null ? o.providerPayoutId() : "uuid-" + o.reference())
                .put("merchantId", "merchant-1");
        ObjectNode item = data.putObject("payouts").put("referenceId", o.reference());
        if (o.amount() != null) {
            item.putObject("amount").put("currency", o.amount().currency()).put("value", o.amount().amountText());
        }
        if (itemStatus != null) {
            item.put("status", itemStatus);
        }
        item.put("reason", o.status() == PayoutStatus.FAILED ? "Invalid Account" : null);
        return body.toString();
    }

    // ---- hostile input ---------------------------------------------------------------------------------

    @Override
    public String template() {
        return "{\"event\":\"PAYOUT.SUCCESS\",\"data\":{\"uuid\":\"u-1\",\"payouts\":{\"referenceId\":\"%REF%\","
                + "\"amount\":{\"currency\":\"IDR\",\"value\":%AMOUNT%},\"status\":\"SUCCESS\"}}}";
    }

    @Override
    public String templateAmount() {
        return "\"100000\"";
    }

    @Override
    public String referenceField() {
        return "referenceId";
    }

    @Override
    public Map<String, String> malformedBodies(String r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("data as a string", "{\"event\":\"PAYOUT.SUCCESS\",\"data\":\"x\"}");
        m.put("payouts as an array", "{\"event\":\"PAYOUT.SUCCESS\",\"data\":{\"payouts\":[{\"referenceId\":\"" + r + "\"}]}}");
        m.put("missing referenceId", "{\"event\":\"PAYOUT.SUCCESS\",\"data\":{\"payouts\":{\"status\":\"SUCCESS\"}}}");
        m.put("missing event", "{\"data\":{\"payouts\":{\"referenceId\":\"" + r + "\"}}}");
        m.put("unknown event", "{\"event\":\"PAYOUT.TELEPORTED\",\"data\":{\"payouts\":{\"referenceId\":\"" + r + "\"}}}");
        m.put("success event carrying FAILED", "{\"event\":\"PAYOUT.SUCCESS\",\"data\":{\"payouts\":{\"referenceId\":\"" + r
                + "\",\"status\":\"FAILED\"}}}");
        m.put("amount value missing", "{\"event\":\"PAYOUT.SUCCESS\",\"data\":{\"payouts\":{\"referenceId\":\"" + r
                + "\",\"amount\":{\"currency\":\"IDR\"},\"status\":\"SUCCESS\"}}}");
        m.put("bulk event without uuid", "{\"event\":\"PAYOUT.DONE\",\"data\":{\"payoutResults\":{}}}");
        return m;
    }
}
