package dev.payoutcallbacks.slate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.testing.ProviderFixture;
import dev.payoutcallbacks.core.testing.SentOutcome;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The canonical route as its callers use it: internal services and the reconciler POST the canonical body (any
 * outcome, another provider's too), presenting the internal secret.
 */
public final class SlateFixture implements ProviderFixture {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public CallbackFunction function() {
        return new CallbackFunction("slate", "/transactions/payout-callback",
                SlateCallbackHandler.class, SlateCallbacks::fromEnvironment);
    }

    @Override
    public Credentials credentials(byte[] body, UnaryOperator<String> secret) {
        return new Credentials(Map.of("X-Internal-Secret", secret.apply("INTERNAL_SECRETS")), Map.of(), SENDER_IP);
    }

    // ---- what it says ----------------------------------------------------------------------------------

    @Override
    public boolean canonical() {
        return true;
    }

    @Override
    public String currency() {
        return "USD";
    }

    @Override
    public Money amount(Random random) {
        return new Money(BigDecimal.valueOf(100 + random.nextInt(999_900), 2), random.nextBoolean() ? "USD" : "EUR");
    }

    @Override
    public List<String> openStages() {
        return List.of("queued", "submitted", "at-bank", "reconciler");
    }

    @Override
    public boolean saysPartiallyPaid() {
        return true;
    }

    @Override
    public Adjustments adjustments() {
        return Adjustments.REFUNDS_OR_REVERSAL;
    }

    @Override
    public String wrongAmountStage() {
        return "wrong-amount";
    }

    /** The canonical body for any outcome; the copies it carries name their provider and source. */
    @Override
    public String body(SentOutcome o, Random forms) {
        ObjectNode body = JSON.createObjectNode();
        if (o.reference() != null) {
            body.put("payout_reference", o.reference());
        }
        if (o.orderKey() != null) {
            body.put("order_key", o.orderKey());
        }
        body.put("status", o.status().wireName());
        if (o.stage() != null) {
            body.put("stage", o.stage());
        }
        if (o.amount() != null) {
            body.put("amount", o.amount().amountText());
        }
        if (o.adjustment() != null) {
            body.put("adjustment_amount", o.adjustmentAsSent());
        }
        Money money = o.amount() != null ? o.amount() : o.adjustment();
        if (money != null) {
            body.put("currency", money.currency());
        }
        if (o.adjustmentId() != null) {
            body.put("adjustment_id", o.adjustmentId());
        }
        if (o.provider() != null) {
            body.put("provider", o.provider());
        }
        if (o.source() != null) {
            body.put("source", o.source());
        }
        return body.toString();
    }

    // ---- hostile input ---------------------------------------------------------------------------------

    @Override
    public String template() {
        return "{\"payout_reference\":\"%REF%\",\"status\":\"paid\",\"amount\":%AMOUNT%,\"currency\":\"USD\"}";
    }

    @Override
    public String templateAmount() {
        return "\"10.00\"";
    }

    @Override
    public String referenceField() {
        return "payout_reference";
    }

    @Override
    public Map<String, String> malformedBodies(String r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("status as a number", "{\"payout_reference\":\"" + r + "\",\"status\":1}");
        m.put("status as an object", "{\"payout_reference\":\"" + r + "\",\"status\":{\"paid\":true}}");
        m.put("reference as an array", "{\"payout_reference\":[\"" + r + "\"],\"status\":\"paid\"}");
        m.put("missing reference", "{\"status\":\"paid\"}");
        m.put("missing status", "{\"payout_reference\":\"" + r + "\"}");
        m.put("unknown status", "{\"payout_reference\":\"" + r + "\",\"status\":\"teleported\"}");
        m.put("amount without currency", "{\"payout_reference\":\"" + r + "\",\"status\":\"paid\",\"amount\":\"1.00\"}");
        m.put("currency in lower case", "{\"payout_reference\":\"" + r + "\",\"status\":\"paid\",\"amount\":\"1.00\",\"currency\":\"usd\"}");
        m.put("refund without its amount", "{\"payout_reference\":\"" + r + "\",\"status\":\"refunded\",\"currency\":\"USD\"}");
        m.put("unknown source", "{\"payout_reference\":\"" + r + "\",\"status\":\"paid\",\"source\":\"oracle\"}");
        m.put("event_time not ISO", "{\"payout_reference\":\"" + r + "\",\"status\":\"paid\",\"event_time\":\"yesterday\"}");
        return m;
    }

    @Override
    public Map<String, String> longIdentifierBodies(Supplier<String> references) {
        Map<String, String> m = new LinkedHashMap<>();
        String big = "s".repeat(1100);
        m.put("open stage of 1100 characters", "{\"payout_reference\":\"" + references.get() + "\",\"status\":\"pending\",\"stage\":\""
                + big + "\"}");
        m.put("refund id of 1100 characters", "{\"payout_reference\":\"" + references.get() + "\",\"status\":\"partially_refunded\","
                + "\"adjustment_amount\":\"1.00\",\"currency\":\"USD\",\"adjustment_id\":\"" + big + "\"}");
        m.put("reversal id of 1100 characters", "{\"payout_reference\":\"" + references.get() + "\",\"status\":\"reversed\","
                + "\"adjustment_id\":\"" + big + "\"}");
        m.put("reference of 256 characters and a stage of 800", "{\"payout_reference\":\"" + "r".repeat(256)
                + "\",\"status\":\"pending\",\"stage\":\"" + "s".repeat(800) + "\"}");
        return m;
    }
}
