package dev.payoutcallbacks.commpix;

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
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Comm.Pix as it calls back: from an allow-listed address with its token in {@code X-Webhook-Token}; amounts in
 * centavos (a number or a string); a refund names the original payout. Comm.Pix documents no signature: the
 * {@link #variants() variant} configures the optional HMAC one ({@code X-Signature}).
 */
public final class CommPixFixture implements ProviderFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HMAC_SECRET = "local-commpix-hmac-secret";

    /** null: the local configuration, without the HMAC signature. */
    private final String hmacSecret;

    public CommPixFixture() {
        this(null);
    }

    private CommPixFixture(String hmacSecret) {
        this.hmacSecret = hmacSecret;
    }

    @Override
    public CallbackFunction function() {
        return new CallbackFunction("commpix", "/callbacks/commpix",
                CommPixCallbackHandler.class, CommPixCallbacks::fromEnvironment);
    }

    @Override
    public String route() {
        return hmacSecret == null ? provider() : provider() + "+hmac";
    }

    @Override
    public Map<String, String> settings() {
        return hmacSecret == null ? Map.of() : Map.of("COMMPIX_HMAC_SECRETS", hmacSecret);
    }

    @Override
    public List<ProviderFixture> variants() {
        return hmacSecret == null ? List.of(new CommPixFixture(HMAC_SECRET)) : List.of();
    }

    @Override
    public Credentials credentials(byte[] body, UnaryOperator<String> secret) {
        Map<String, String> credential = new LinkedHashMap<>();
        credential.put("X-Webhook-Token", secret.apply("COMMPIX_TOKENS"));
        if (hmacSecret != null) {
            credential.put("X-Signature", ProviderFixture.hmacHex("HmacSHA256", secret.apply("COMMPIX_HMAC_SECRETS"), body));
        }
        return new Credentials(credential, Map.of(), SENDER_IP);
    }

    @Override
    public boolean signsBody() {
        return hmacSecret != null;
    }

    @Override
    public boolean checksSender() {
        return true;
    }

    @Override
    public Set<String> publicSettings() {
        return Set.of("COMMPIX_ALLOWED_IPS");
    }

    // ---- what it says ----------------------------------------------------------------------------------

    @Override
    public String currency() {
        return "BRL";
    }

    @Override
    public Money amount(Random random) {
        return new Money(BigDecimal.valueOf(100 + random.nextInt(200_000), 2), "BRL");
    }

    @Override
    public List<String> openStages() {
        return List.of("PAYOUT_CREATED");
    }

    @Override
    public boolean openStagesCarryAmount() {
        return true;
    }

    /** A PIX transfer that failed is failed: Comm.Pix has no cancellation. */
    @Override
    public boolean saysCancelled() {
        return false;
    }

    @Override
    public Adjustments adjustments() {
        return Adjustments.REFUNDS;
    }

    @Override
    public boolean refundsCarryPaidAmount() {
        return true;
    }

    @Override
    public boolean saysBankReference() {
        return true;
    }

    @Override
    public String body(SentOutcome o, Random forms) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode data = JSON.createObjectNode();
        String payoutId = o.providerPayoutId() != null ? o.providerPayoutId() : "cp-" + o.reference();
        switch (o.status()) {
            case PENDING -> {
                if (!o.stage().equals("PAYOUT_CREATED")) {
                    return null;
                }
                body.put("type", "PAYOUT_CREATED");
            }
            case PAID -> body.put("type", "PAYOUT_COMPLETED");
            case FAILED -> body.put("type", "PAYOUT_FAILED");
            case PARTIALLY_REFUNDED, REFUNDED -> {
                if (o.adjustmentId() == null || o.amount() == null || !o.adjustment().currency().equals("BRL")) {
                    return null;
                }
                body.put("type", "PAYOUT_REFUNDED");
                ObjectNode original = data.putObject("originalPayout");
                original.put("id", payoutId);
                original.put("externalId", o.reference());
                cents(original, o.amount(), forms);
                original.put("status", "COMPLETED");
                ObjectNode refund = data.putObject("refundData");
                cents(refund, o.adjustment(), forms);
                refund.put("transactionId", o.adjustmentId());
                refund.put("transactionEndToEndId", "D" + Math.abs(o.adjustmentId().hashCode()));
                body.set("data", data);
                return body.toString();
            }
            default -> {
                return null;
            }
        }
        if (o.amount() == null) {
            return null;
        }
        data.put("id", payoutId);
        data.put("externalId", o.reference());
        cents(data, o.amount(), forms);
        data.put("pixKey", "payee.fake@example.invalid");
        data.put("transactionEndToEndId", o.bankReference() != null ? o.bankReference() : "E" + Math.abs(o.reference().hashCode()));
        body.set("data", data);
        return body.toString();
    }

    private static void cents(ObjectNode node, Money amount, Random forms) {
        long cents = amount.amount().movePointRight(2).longValueExact();
        if (forms.nextBoolean()) {
            node.put("amount", cents);
        } else {
            node.put("amount", Long.toString(cents));
        }
    }

    // ---- hostile input ---------------------------------------------------------------------------------

    @Override
    public String template() {
        return "{\"type\":\"PAYOUT_COMPLETED\",\"data\":{\"id\":\"c-1\",\"externalId\":\"%REF%\","
                + "\"amount\":%AMOUNT%,\"status\":\"COMPLETED\",\"pixKey\":\"payee.fake@example.invalid\"}}";
    }

    @Override
    public String templateAmount() {
        return "\"1000\"";
    }

    @Override
    public String referenceField() {
        return "externalId";
    }

    @Override
    public Map<String, String> malformedBodies(String r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("data as a string", "{\"type\":\"PAYOUT_COMPLETED\",\"data\":\"x\"}");
        m.put("externalId as a number", "{\"type\":\"PAYOUT_COMPLETED\",\"data\":{\"externalId\":5,\"amount\":1000}}");
        m.put("missing type", "{\"data\":{\"externalId\":\"" + r + "\",\"amount\":1000}}");
        m.put("fractional centavos", "{\"type\":\"PAYOUT_COMPLETED\",\"data\":{\"externalId\":\"" + r + "\",\"amount\":10.5}}");
        m.put("refund without refundData", "{\"type\":\"PAYOUT_REFUNDED\",\"data\":{\"originalPayout\":{\"externalId\":\""
                + r + "\",\"amount\":1000}}}");
        m.put("refund without transactionId", "{\"type\":\"PAYOUT_REFUNDED\",\"data\":{\"originalPayout\":{\"externalId\":\""
                + r + "\",\"amount\":1000},\"refundData\":{\"amount\":100}}}");
        m.put("unknown type", "{\"type\":\"PAYOUT_TELEPORTED\",\"data\":{\"externalId\":\"" + r + "\"}}");
        return m;
    }

    @Override
    public Map<String, String> longIdentifierBodies(Supplier<String> references) {
        return Map.of("refund transactionId of 1100 characters", "{\"type\":\"PAYOUT_REFUNDED\",\"data\":{\"originalPayout\":"
                + "{\"externalId\":\"" + references.get() + "\",\"amount\":1000},\"refundData\":{\"amount\":100,\"transactionId\":\""
                + "s".repeat(1100) + "\"}}}");
    }

    /** A PIX transfer moves at least one centavo. */
    @Override
    public boolean refusesZeroAmount() {
        return true;
    }
}
