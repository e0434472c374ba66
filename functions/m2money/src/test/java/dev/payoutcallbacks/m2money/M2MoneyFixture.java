package dev.payoutcallbacks.m2money;

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

/**
 * M2Money as it calls back: HMAC-SHA256 of the body in {@code Signature}; transfer events only (no open status), bodies
 * as PHP's json_encode writes them ({@code /} escaped), the amount a string or a number, the payee's personal data in.
 */
public final class M2MoneyFixture implements ProviderFixture {

    @Override
    public CallbackFunction function() {
        return new CallbackFunction("m2money", "/callbacks/m2money",
                M2MoneyCallbackHandler.class, M2MoneyCallbacks::fromEnvironment);
    }

    @Override
    public Credentials credentials(byte[] body, UnaryOperator<String> secret) {
        return new Credentials(Map.of("Signature", ProviderFixture.hmacHex("HmacSHA256", secret.apply("M2MONEY_WEBHOOK_SECRETS"),
                body)), Map.of(), SENDER_IP);
    }

    @Override
    public boolean signsBody() {
        return true;
    }

    // ---- what it says ----------------------------------------------------------------------------------

    @Override
    public String currency() {
        return "INR";
    }

    @Override
    public Money amount(Random random) {
        return new Money(BigDecimal.valueOf(100 + random.nextInt(500_000), 2), "INR");
    }

    /** Only the reconciler sees it open. */
    @Override
    public List<String> openStages() {
        return List.of("reconciler");
    }

    @Override
    public boolean saysBankReference() {
        return true;
    }

    @Override
    public String body(SentOutcome o, Random forms) {
        String event;
        String code;
        String status;
        switch (o.status()) {
            case PAID -> {
                event = "payout.transfer.success";
                code = "0x0200";
                status = "processed";
            }
            case FAILED -> {
                event = "payout.transfer.failed";
                code = "0x0202";
                status = "failed";
            }
            case CANCELLED -> {
                event = "payout.transfer.failed";
                code = "0x0202";
                status = "cancelled";
            }
            case REVERSED -> {
                if (o.adjustmentId() != null || o.amount() == null) {
                    return null; // its reversal carries the transfer amount and no reversal id
                }
                event = forms.nextBoolean() ? "payout.transfer.reverse" : "payout.transfer.reversed";
                code = "0x0207";
                status = "reversed";
            }
            default -> {
                return null;
            }
        }
        if (o.amount() == null) {
            return null;
        }
        // Built as text: the amount is sometimes a JSON number, and '/' is escaped as the sender does.
        String amount = forms.nextBoolean() ? "\"" + o.amount().amountText() + "\""
                : o.amount().amount().stripTrailingZeros().toPlainString();
        String payoutId = o.providerPayoutId() != null ? o.providerPayoutId() : "ORD" + Math.abs(o.reference().hashCode());
        String utr = o.bankReference() != null ? o.bankReference() : "4123" + Math.abs(o.reference().hashCode() % 100000000);
        return "{\"event\":\"" + event + "\",\"code\":\"" + code + "\",\"message\":\"Transaction\\/" + status
                + "\",\"data\":{\"orderRefId\":\"" + payoutId + "\",\"clientRefId\":\""
                + o.reference() + "\",\"contactId\":\"CONT_1\",\"firstName\":\"Testpayee\",\"lastName\":\"Fakesurname\","
                + "\"email\":\"payee.fake@example.invalid\",\"phone\":\"9876501234\",\"amount\":" + amount
                + ",\"status\":\"" + status + "\",\"utr\":\"" + utr
                + "\",\"reason\":" + (o.status() == PayoutStatus.PAID ? "null" : "\"Beneficiary 9876501234 declined\"")
                + "}}";
    }

    // ---- hostile input ---------------------------------------------------------------------------------

    @Override
    public String template() {
        return "{\"event\":\"payout.transfer.success\",\"code\":\"0x0200\",\"message\":\"ok\","
                + "\"data\":{\"orderRefId\":\"o-1\",\"clientRefId\":\"%REF%\",\"firstName\":\"Testpayee\",\"amount\":%AMOUNT%,"
                + "\"status\":\"processed\",\"utr\":\"412345678901\"}}";
    }

    @Override
    public String templateAmount() {
        return "\"1500.00\"";
    }

    @Override
    public String referenceField() {
        return "clientRefId";
    }

    @Override
    public Map<String, String> malformedBodies(String r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("data as a number", "{\"event\":\"payout.transfer.success\",\"code\":\"0x0200\",\"data\":5}");
        m.put("missing clientRefId", "{\"event\":\"payout.transfer.success\",\"code\":\"0x0200\",\"data\":{\"orderRefId\":\"o\","
                + "\"status\":\"processed\"}}");
        m.put("success event with a failure code", "{\"event\":\"payout.transfer.success\",\"code\":\"0x0202\",\"data\":{\"clientRefId\":\""
                + r + "\",\"status\":\"processed\"}}");
        m.put("success event with status failed", "{\"event\":\"payout.transfer.success\",\"code\":\"0x0200\",\"data\":{\"clientRefId\":\""
                + r + "\",\"status\":\"failed\"}}");
        m.put("reversal without amount", "{\"event\":\"payout.transfer.reversed\",\"code\":\"0x0207\",\"data\":{\"clientRefId\":\""
                + r + "\",\"status\":\"reversed\"}}");
        m.put("unknown event", "{\"event\":\"payout.transfer.teleported\",\"data\":{\"clientRefId\":\"" + r + "\"}}");
        m.put("amount with 3 decimals", "{\"event\":\"payout.transfer.success\",\"code\":\"0x0200\",\"data\":{\"clientRefId\":\""
                + r + "\",\"amount\":\"1.005\",\"status\":\"processed\"}}");
        return m;
    }
}
