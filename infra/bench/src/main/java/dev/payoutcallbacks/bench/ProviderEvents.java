package dev.payoutcallbacks.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Callbacks as each provider sends them (bodies shaped like the signed samples in events/), for any payout
 * reference, authenticated with the local secrets of infra/local-env.json (signed where the provider signs).
 */
public final class ProviderEvents {

    public enum Provider {
        SLATE("slate", "SlateCallbackFunction", "dev.payoutcallbacks.slate.SlateCallbackHandler", "/transactions/payout-callback"),
        PIVOT("pivot", "PivotCallbackFunction", "dev.payoutcallbacks.pivot.PivotCallbackHandler", "/callbacks/pivot"),
        CALYPSO("calypso", "CalypsoCallbackFunction", "dev.payoutcallbacks.calypso.CalypsoCallbackHandler", "/callbacks/calypso"),
        M2MONEY("m2money", "M2MoneyCallbackFunction", "dev.payoutcallbacks.m2money.M2MoneyCallbackHandler", "/callbacks/m2money"),
        COMMPIX("commpix", "CommPixCallbackFunction", "dev.payoutcallbacks.commpix.CommPixCallbackHandler", "/callbacks/commpix");

        public final String id;
        public final String logicalId;
        public final String handler;
        public final String path;

        Provider(String id, String logicalId, String handler, String path) {
            this.id = id;
            this.logicalId = logicalId;
            this.handler = handler;
            this.path = path;
        }

        /** functions/&lt;id&gt;/target/&lt;id&gt;-function-lambda.jar */
        public Path jar(Path root) {
            return root.resolve("functions").resolve(id).resolve("target").resolve(id + "-function-lambda.jar");
        }
    }

    /** What the callback says about the payout. PENDING is each provider's open status (Slate: submit_not_received). */
    public enum Kind { PAID, PENDING, FAILED, REVERSED }

    /** One HTTP callback. */
    public record Callback(String path, Map<String, String> headers, String sourceIp, String body) {

        public APIGatewayV2HTTPEvent toEvent() {
            APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
            http.setMethod("POST");
            http.setPath(path);
            http.setProtocol("HTTP/1.1");
            http.setSourceIp(sourceIp);
            APIGatewayV2HTTPEvent.RequestContext ctx = new APIGatewayV2HTTPEvent.RequestContext();
            ctx.setHttp(http);
            ctx.setRequestId("bench-" + System.nanoTime());
            ctx.setRouteKey("POST " + path);
            ctx.setStage("$default");
            APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
            event.setVersion("2.0");
            event.setRouteKey("POST " + path);
            event.setRawPath(path);
            event.setHeaders(new LinkedHashMap<>(headers));
            event.setRequestContext(ctx);
            event.setBody(body);
            event.setIsBase64Encoded(false);
            return event;
        }

        /** The block format {@link dev.payoutcallbacks.bench.probe.ColdStartProbe} reads. */
        public String toBlock() {
            StringBuilder s = new StringBuilder();
            headers.forEach((k, v) -> s.append("H ").append(k).append(": ").append(v).append('\n'));
            s.append("I ").append(sourceIp).append('\n');
            s.append("P ").append(path).append('\n');
            s.append("B ").append(body).append('\n');
            return s.toString();
        }
    }

    private final Map<String, String> secrets;

    private ProviderEvents(Map<String, String> secrets) {
        this.secrets = secrets;
    }

    /** Secrets from infra/local-env.json ("Parameters"). */
    public static ProviderEvents load(Path root) {
        try {
            JsonNode params = new ObjectMapper().readTree(root.resolve("infra/local-env.json").toFile()).path("Parameters");
            Map<String, String> values = new LinkedHashMap<>();
            params.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            return new ProviderEvents(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment variables each function's handler needs locally (its secrets). */
    public Map<String, String> secretsFor(Provider p) {
        Map<String, String> env = new LinkedHashMap<>();
        switch (p) {
            case SLATE -> env.put("INTERNAL_SECRETS", value("INTERNAL_SECRETS"));
            case PIVOT -> env.put("PIVOT_CALLBACK_API_KEYS", value("PIVOT_CALLBACK_API_KEYS"));
            case CALYPSO -> env.put("CALYPSO_WEBHOOK_SECRETS", value("CALYPSO_WEBHOOK_SECRETS"));
            case M2MONEY -> env.put("M2MONEY_WEBHOOK_SECRETS", value("M2MONEY_WEBHOOK_SECRETS"));
            case COMMPIX -> {
                env.put("COMMPIX_ALLOWED_IPS", value("COMMPIX_ALLOWED_IPS"));
                env.put("COMMPIX_TOKENS", value("COMMPIX_TOKENS"));
                env.put("COMMPIX_HMAC_SECRETS", secrets.getOrDefault("COMMPIX_HMAC_SECRETS", ""));
            }
        }
        return env;
    }

    /** The whole configured value (lists stay lists). */
    private String value(String name) {
        String v = secrets.get(name);
        if (v == null) {
            throw new IllegalStateException(name + " missing from infra/local-env.json");
        }
        return v;
    }

    /** The first of the configured secrets: what a sender presents or signs with. */
    private String secret(String name) {
        String v = secrets.get(name);
        if (v == null) {
            throw new IllegalStateException(name + " missing from infra/local-env.json");
        }
        return v.split(",")[0].trim();
    }

    /** Which kinds a provider can send. */
    public static List<Kind> kinds(Provider p) {
        return p == Provider.M2MONEY ? List.of(Kind.PAID, Kind.FAILED, Kind.REVERSED)
                : List.of(Kind.PAID, Kind.PENDING, Kind.FAILED);
    }

    public Callback callback(Provider p, Kind kind, String ref) {
        return switch (p) {
            case SLATE -> slate(kind, ref);
            case PIVOT -> pivot(kind, ref);
            case CALYPSO -> calypso(kind, ref);
            case M2MONEY -> m2money(kind, ref);
            case COMMPIX -> commpix(kind, ref);
        };
    }

    private Callback slate(Kind kind, String ref) {
        String body = switch (kind) {
            case PAID -> "{\"payout_reference\": \"" + ref + "\", \"order_key\": \"order-" + ref + "\", \"status\": \"paid\", "
                    + "\"amount\": \"250.00\", \"currency\": \"USD\", \"gateway_payload\": {\"gateway\": \"pivot\", \"referenceId\": \"" + ref + "\"}}";
            case PENDING -> "{\"payout_reference\": \"" + ref + "\", \"status\": \"submit_not_received\", \"source\": \"poll\"}";
            case FAILED -> "{\"payout_reference\": \"" + ref + "\", \"status\": \"failed\", \"failure_reason\": \"bank rejected\"}";
            case REVERSED -> throw new IllegalArgumentException("Slate has no reversal");
        };
        return new Callback(Provider.SLATE.path, headers("x-internal-secret", secret("INTERNAL_SECRETS")), "203.0.113.10", body);
    }

    private Callback pivot(Kind kind, String ref) {
        String[] ev = switch (kind) {
            case PAID -> new String[] {"PAYOUT.SUCCESS", "SUCCESS", "null"};
            case PENDING -> new String[] {"PAYOUT.DELAYED", "DELAYED", "null"};
            case FAILED -> new String[] {"PAYOUT.FAILED", "FAILED", "\"Invalid Account\""};
            case REVERSED -> throw new IllegalArgumentException("Pivot has no reversal");
        };
        return new Callback(Provider.PIVOT.path, headers("x-api-key", secret("PIVOT_CALLBACK_API_KEYS"), "accept", "application/json"),
                "203.0.113.10", pivotBody(ev[0], ev[1], ev[2], ref));
    }

    /** A Pivot single-payout callback body (seed 001). */
    public static String pivotBody(String event, String status, String reasonJson, String ref) {
        return "{\"event\": \"" + event + "\", \"data\": {\"uuid\": \"d6a46a2c-1b26-40c5-9ca3-e063e69635a0\", "
                + "\"merchantId\": \"922e39ab-7565-49f6-b84f-fb56122821ae\", \"payouts\": {\"referenceId\": \"" + ref + "\", "
                + "\"amount\": {\"currency\": \"IDR\", \"value\": \"100000\"}, \"status\": \"" + status + "\", \"reason\": " + reasonJson + "}}}";
    }

    private Callback calypso(Kind kind, String ref) {
        String body = switch (kind) {
            case PAID -> "{\"requestId\": \"c0a8012e-" + ref + "\", \"id\": \"evt-" + ref + "-907311\", \"createdDate\": \"2026-11-20T09:24:58.907311\", "
                    + "\"level\": \"INFO\", \"service\": \"PAYOUT\", \"eventType\": \"PAYOUT_CHANGE_STATUS\", \"data\": {\"type\": \"PAYOUT_CHANGE_STATUS\", "
                    + "\"parentExternalId\": 580001, \"createdDate\": \"2026-11-20T09:15:02.118204\", \"idempotencyKey\": \"idem-" + ref + "\", "
                    + "\"currency\": \"USDT_TRX\", \"externalId\": \"" + ref + "\", "
                    + "\"hash\": \"9f2c6a1e4b7d8c0f3e5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f80912\", \"payoutStatus\": \"Completed\"}}";
            case PENDING -> "{\"type\": \"PAYOUT_CHANGE_STATUS\", \"parentExternalId\": 580001, \"createdDate\": \"2026-11-20T09:15:02.118204\", "
                    + "\"idempotencyKey\": \"idem-" + ref + "\", \"currency\": \"USDT_TRX\", \"externalId\": \"" + ref + "\", "
                    + "\"payoutStatus\": \"PENDING_CONFIRMATION\"}";
            case FAILED -> "{\"type\": \"PAYOUT_CHANGE_STATUS\", \"parentExternalId\": 580001, \"createdDate\": \"2026-11-20T09:15:02.118204\", "
                    + "\"idempotencyKey\": \"idem-" + ref + "\", \"currency\": \"USDT_TRX\", \"externalId\": \"" + ref + "\", "
                    + "\"hash\": \"4d1e0a9b8c7f6e5d4c3b2a190807f6e5d4c3b2a1908f7e6d5c4b3a2918070605\", \"payoutStatus\": \"FAILED\"}";
            case REVERSED -> throw new IllegalArgumentException("Calypso has no reversal");
        };
        String sign = HexFormat.of().formatHex(hmac("HmacSHA512", secret("CALYPSO_WEBHOOK_SECRETS"), body));
        return new Callback(Provider.CALYPSO.path, headers("sign", sign, "key", "calypso-local-subscription-key"), "203.0.113.10", body);
    }

    private Callback m2money(Kind kind, String ref) {
        String person = "\"contactId\":\"CONT_0000FAKE0001\",\"firstName\":\"Testpayee\",\"lastName\":\"Fakesurname\","
                + "\"email\":\"payee.fake@example.invalid\",\"phone\":\"9876501234\",\"amount\":\"1500.00\",";
        String body = switch (kind) {
            case PAID -> "{\"event\":\"payout.transfer.success\",\"code\":\"0x0200\",\"message\":\"Transaction Successful\",\"data\":{"
                    + "\"orderRefId\":\"ORD-" + ref + "\",\"clientRefId\":\"" + ref + "\"," + person
                    + "\"status\":\"processed\",\"utr\":\"412345678901\",\"accountNumber\":\"50100999888777\",\"accountIFSC\":\"FAKE0001234\"}}";
            case FAILED -> "{\"event\":\"payout.transfer.failed\",\"code\":\"0x0202\",\"message\":\"Transaction Failed\",\"data\":{"
                    + "\"orderRefId\":\"ORD-" + ref + "\",\"clientRefId\":\"" + ref + "\"," + person
                    + "\"status\":\"failed\",\"reason\":\"Beneficiary account closed\\/frozen\",\"accountNumber\":\"50100999888777\",\"accountIFSC\":\"FAKE0001234\"}}";
            case REVERSED -> "{\"event\":\"payout.transfer.reverse\",\"code\":\"0x0207\",\"message\":\"Transaction Reversed\",\"data\":{"
                    + "\"orderRefId\":\"ORD-" + ref + "\",\"clientRefId\":\"" + ref + "\"," + person
                    + "\"status\":\"reversed\",\"reason\":\"Credit returned by beneficiary bank\",\"vpa\":\"fakepayee@upi\"}}";
            case PENDING -> throw new IllegalArgumentException("M2Money sends no open status");
        };
        String signature = HexFormat.of().formatHex(hmac("HmacSHA256", secret("M2MONEY_WEBHOOK_SECRETS"), body));
        return new Callback(Provider.M2MONEY.path, headers("signature", signature), "203.0.113.10", body);
    }

    private Callback commpix(Kind kind, String ref) {
        String[] t = switch (kind) {
            case PENDING -> new String[] {"PAYOUT_CREATED", "CREATED"};
            case PAID -> new String[] {"PAYOUT_COMPLETED", "COMPLETED"};
            case FAILED -> new String[] {"PAYOUT_FAILED", "FAILED"};
            case REVERSED -> throw new IllegalArgumentException("Comm.Pix refunds are refunds, see refund()");
        };
        String body = "{\"type\": \"" + t[0] + "\", \"data\": {\"id\": \"c0eb14aa-ef4a-4b36-97cf-f95fffd23d67\", \"accountId\": \"acc_01HCOMMPIX\", "
                + "\"type\": \"PIX\", \"amount\": \"" + COMMPIX_AMOUNT_CENTS + "\", \"status\": \"" + t[1] + "\", \"externalId\": \"" + ref + "\", "
                + "\"transactionId\": \"tx-" + ref + "\", \"transactionEndToEndId\": \"E1234567820261121080000000003001\"}}";
        return commpixCallback(body);
    }

    /** The paid amount of Comm.Pix payouts here, in cents. */
    public static final int COMMPIX_AMOUNT_CENTS = 20000;

    /** A Comm.Pix partial (or final) refund of {@code cents}, with its own refund transaction id. */
    public Callback commpixRefund(String ref, String refundId, int cents) {
        String body = "{\"type\": \"PAYOUT_REFUNDED\", \"data\": {\"accountId\": \"acc_01HCOMMPIX\", \"originalPayout\": {"
                + "\"id\": \"c0eb14aa-ef4a-4b36-97cf-f95fffd23d67\", \"type\": \"PIX\", \"amount\": " + COMMPIX_AMOUNT_CENTS + ", "
                + "\"status\": \"COMPLETED\", \"externalId\": \"" + ref + "\", \"transactionId\": \"tx-" + ref + "\", "
                + "\"transactionEndToEndId\": \"E1234567820261121080000000003001\"}, \"refundData\": {\"amount\": " + cents + ", "
                + "\"transactionId\": \"" + refundId + "\", \"transactionEndToEndId\": \"D1234567820261122090000000003001\"}}}";
        return commpixCallback(body);
    }

    private Callback commpixCallback(String body) {
        return new Callback(Provider.COMMPIX.path, headers("x-webhook-token", secret("COMMPIX_TOKENS")), "203.0.113.10", body);
    }

    private static Map<String, String> headers(String... pairs) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("content-type", "application/json");
        h.put("user-agent", "provider-webhook/1.0");
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            h.put(pairs[i], pairs[i + 1]);
        }
        return h;
    }

    private static byte[] hmac(String algorithm, String secret, String body) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
