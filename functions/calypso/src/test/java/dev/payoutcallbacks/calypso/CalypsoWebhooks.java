package dev.payoutcallbacks.calypso;

import dev.payoutcallbacks.core.provider.CallbackRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Calypso webhook bodies and signatures for tests, signed here independently of CalypsoCallbacks.SIGN. */
final class CalypsoWebhooks {
    static final String SECRET = "test-calypso-secret";
    static final String PUBLIC_KEY = "pk-test-subscription";
    static final Instant RECEIVED = Instant.parse("2026-01-31T12:00:00Z");

    private CalypsoWebhooks() {
    }

    static String sign(String body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The flat shape of the payout-webhooks page. {@code extra} is raw JSON members, e.g. "\"hash\":\"0xab\"". */
    static String flat(String type, String externalId, String extra) {
        return "{\"type\":\"" + type + "\",\"parentExternalId\":2849201733301,"
                + "\"createdDate\":\"2022-03-15T12:13:05.909616\",\"idempotencyKey\":\"idem-" + externalId + "\","
                + "\"currency\":\"USDT_TRX\",\"externalId\":\"" + externalId + "\""
                + (extra == null || extra.isEmpty() ? "" : "," + extra) + "}";
    }

    static String flatStatus(String externalId, String payoutStatus) {
        return flat(CalypsoCallbacks.PAYOUT_CHANGE_STATUS, externalId,
                "\"payoutStatus\":\"" + payoutStatus + "\",\"hash\":\"0x7f3a9c\"");
    }

    /** The documented envelope around the same data fields. */
    static String envelope(String eventType, String data) {
        return "{\"requestId\":\"6a1f2c3e-0b4d-4e8f-9a7b-1c2d3e4f5a6b\",\"id\":\"0e9d8c7b-6a5f-4e3d-8c1b-2a3f4e5d6c7b\","
                + "\"createdDate\":\"2022-03-15T12:14:00.000001\",\"level\":\"INFO\",\"service\":\"PAYOUT\","
                + "\"eventType\":\"" + eventType + "\",\"data\":" + data + "}";
    }

    static CallbackRequest request(String body) {
        return request(body, SECRET);
    }

    static CallbackRequest request(String body, String secret) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("sign", sign(body, secret));
        headers.put("key", PUBLIC_KEY);
        return new CallbackRequest(body.getBytes(StandardCharsets.UTF_8), headers, "203.0.113.10",
                "req-1", RECEIVED);
    }

    static CallbackRequest requestWith(String body, Map<String, String> headers) {
        return new CallbackRequest(body.getBytes(StandardCharsets.UTF_8), headers, "203.0.113.10",
                "req-1", RECEIVED);
    }
}
