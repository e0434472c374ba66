package dev.payoutcallbacks.calypso;

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
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Calypso as it calls back: HMAC-SHA512 of the body in {@code Sign}, the subscription key in {@code Key}; status events
 * in the enveloped and in the flat shape, with no amount (the reconciler learns the exact crypto amount).
 */
public final class CalypsoFixture implements ProviderFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALIDATION_ERROR = "VALIDATION_ERROR/";

    @Override
    public CallbackFunction function() {
        return new CallbackFunction("calypso", "/callbacks/calypso",
                CalypsoCallbackHandler.class, CalypsoCallbacks::fromEnvironment);
    }

    @Override
    public Credentials credentials(byte[] body, UnaryOperator<String> secret) {
        return new Credentials(Map.of("Sign", ProviderFixture.hmacHex("HmacSHA512", secret.apply("CALYPSO_WEBHOOK_SECRETS"), body)),
                Map.of("Key", secret.apply("CALYPSO_SUBSCRIPTION_KEYS")), SENDER_IP);
    }

    @Override
    public boolean signsBody() {
        return true;
    }

    // ---- what it says ----------------------------------------------------------------------------------

    @Override
    public String currency() {
        return "USDT_TRX";
    }

    /** 18 decimal places exactly (no trailing zero). */
    @Override
    public Money amount(Random random) {
        int units = 1 + random.nextInt(999);
        StringBuilder places = new StringBuilder();
        for (int i = 0; i < 18; i++) {
            places.append((char) ('0' + random.nextInt(10)));
        }
        places.setCharAt(17, (char) ('1' + random.nextInt(9)));
        return new Money(new BigDecimal(units + "." + places), "USDT_TRX");
    }

    @Override
    public List<String> openStages() {
        return List.of("CREATION_IN_PROGRESS", "CREATED", "PENDING_CONFIRMATION", "CONFIRMED", "IN_PROGRESS",
                "HASH_RECEIVED", VALIDATION_ERROR + "7001");
    }

    @Override
    public boolean carriesAmount() {
        return false;
    }

    @Override
    public boolean saysPartiallyPaid() {
        return true;
    }

    @Override
    public String body(SentOutcome o, Random forms) {
        if (o.amount() != null) {
            return null; // Calypso webhooks carry no amount
        }
        String eventType;
        ObjectNode data = JSON.createObjectNode();
        data.put("parentExternalId", o.providerPayoutId() != null ? Long.parseLong(o.providerPayoutId())
                : 580000 + Math.abs(o.reference().hashCode() % 1000));
        data.put("externalId", o.reference());
        data.put("idempotencyKey", "idem-" + o.reference());
        data.put("currency", "USDT_TRX");
        switch (o.status()) {
            case PENDING -> {
                String stage = o.stage();
                if (stage.equals("HASH_RECEIVED")) {
                    eventType = "PAYOUT_HASH_RECEIVED";
                    data.put("hash", "9f2c" + Integer.toHexString(o.reference().hashCode()));
                    data.put("payoutStatus", "IN_PROGRESS");
                } else if (stage.startsWith(VALIDATION_ERROR)) {
                    eventType = "PAYOUT_VALIDATION_ERROR";
                    data.put("dealWithdrawalId", Long.parseLong(stage.substring(VALIDATION_ERROR.length())));
                    data.put("validationStatus", "INVALID_ADDRESS");
                    data.put("message", "address checksum failed");
                } else if (stage.equals("CONFIRMED") && forms.nextBoolean()) {
                    eventType = "PAYOUT_CONFIRMED";
                    data.putArray("approved").addObject().put("email", "approver@example.invalid");
                } else if (!openStages().contains(stage)) {
                    return null;
                } else {
                    eventType = "PAYOUT_CHANGE_STATUS";
                    data.put("payoutStatus", stage.equals("IN_PROGRESS") && forms.nextBoolean() ? "In Progress" : stage);
                }
            }
            case PAID -> {
                eventType = "PAYOUT_CHANGE_STATUS";
                data.put("payoutStatus", forms.nextBoolean() ? "Completed" : "COMPLETED");
            }
            case PARTIALLY_PAID -> {
                eventType = "PAYOUT_CHANGE_STATUS";
                data.put("payoutStatus", "Partial");
            }
            case FAILED -> {
                eventType = "PAYOUT_CHANGE_STATUS";
                data.put("payoutStatus", "Failed");
            }
            case CANCELLED -> {
                eventType = "PAYOUT_CHANGE_STATUS";
                data.put("payoutStatus", "Canceled");
            }
            default -> {
                return null;
            }
        }
        if (forms.nextInt(4) == 0) { // the flat shape of the payout-webhooks page
            data.put("type", eventType);
            data.put("createdDate", "2026-11-20T09:15:02.118204");
            return data.toString();
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("requestId", "req-" + o.reference());
        // One event id per outcome (its reference, status and open stage).
        String outcome = o.reference() + "|" + (o.status() == PayoutStatus.PENDING ? "PENDING|" + o.stage() : o.status().name());
        body.put("id", "evt-" + outcome.hashCode());
        body.put("createdDate", "2026-11-20T09:24:58.907311");
        body.put("level", "INFO");
        body.put("service", "PAYOUT");
        body.put("eventType", eventType);
        data.put("type", eventType);
        body.set("data", data);
        return body.toString();
    }

    // ---- hostile input ---------------------------------------------------------------------------------

    @Override
    public String template() {
        return "{\"requestId\":\"r-1\",\"id\":\"e-1\",\"createdDate\":\"2026-11-20T09:24:58.907311\","
                + "\"eventType\":\"PAYOUT_CHANGE_STATUS\",\"data\":{\"type\":\"PAYOUT_CHANGE_STATUS\",\"externalId\":\"%REF%\","
                + "\"parentExternalId\":%AMOUNT%,\"payoutStatus\":\"Completed\"}}";
    }

    /** Its status events carry no amount: the numeric hole is its payout id. */
    @Override
    public String templateAmount() {
        return "580001";
    }

    @Override
    public String referenceField() {
        return "externalId";
    }

    @Override
    public Map<String, String> malformedBodies(String r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("data as an array", "{\"eventType\":\"PAYOUT_CHANGE_STATUS\",\"data\":[]}");
        m.put("eventType and data.type disagree", "{\"eventType\":\"PAYOUT_CHANGE_STATUS\",\"data\":{\"type\":\"PAYOUT_CONFIRMED\","
                + "\"externalId\":\"" + r + "\",\"payoutStatus\":\"Completed\"}}");
        m.put("missing payoutStatus", "{\"type\":\"PAYOUT_CHANGE_STATUS\",\"externalId\":\"" + r + "\"}");
        m.put("unknown payoutStatus", "{\"type\":\"PAYOUT_CHANGE_STATUS\",\"externalId\":\"" + r + "\",\"payoutStatus\":\"Teleported\"}");
        m.put("missing externalId", "{\"type\":\"PAYOUT_CHANGE_STATUS\",\"payoutStatus\":\"Completed\"}");
        m.put("externalId as an object", "{\"type\":\"PAYOUT_CHANGE_STATUS\",\"externalId\":{},\"payoutStatus\":\"Completed\"}");
        m.put("hash event without hash", "{\"type\":\"PAYOUT_HASH_RECEIVED\",\"externalId\":\"" + r + "\"}");
        m.put("createdDate not a date", "{\"type\":\"PAYOUT_CHANGE_STATUS\",\"externalId\":\"" + r
                + "\",\"payoutStatus\":\"Completed\",\"createdDate\":\"31/12/2026\"}");
        m.put("unknown event type", "{\"type\":\"PAYOUT_TELEPORTED\",\"externalId\":\"" + r + "\"}");
        return m;
    }

    @Override
    public Map<String, String> longIdentifierBodies(Supplier<String> references) {
        return Map.of("validation error on a withdrawal id of 1100 characters", "{\"type\":\"PAYOUT_VALIDATION_ERROR\","
                + "\"externalId\":\"" + references.get() + "\",\"dealWithdrawalId\":\"" + "s".repeat(1100)
                + "\",\"validationStatus\":\"INVALID\",\"message\":\"bad address\"}");
    }
}
