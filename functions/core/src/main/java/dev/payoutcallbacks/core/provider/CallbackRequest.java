package dev.payoutcallbacks.core.provider;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** An HTTP callback as received: raw body bytes exactly as sent, headers case-insensitive. */
public final class CallbackRequest {
    private final byte[] body;
    private final Map<String, String> headers;
    private final String sourceIp;
    private final String requestId;
    private final Instant receivedAt;
    private final String principal;

    public CallbackRequest(byte[] body, Map<String, String> headers, String sourceIp, String requestId,
                           Instant receivedAt) {
        this(body, headers, sourceIp, requestId, receivedAt, null);
    }

    /** {@code principal}: the caller API Gateway authenticated with SigV4 (AWS_IAM routes), or null. */
    public CallbackRequest(byte[] body, Map<String, String> headers, String sourceIp, String requestId,
                           Instant receivedAt, String principal) {
        this.principal = principal;
        this.body = body == null ? new byte[0] : body;
        this.headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            this.headers.putAll(headers);
        }
        this.sourceIp = sourceIp;
        this.requestId = requestId;
        this.receivedAt = receivedAt;
    }

    /** The IAM principal (ARN) API Gateway authenticated for this request, or null (not an AWS_IAM route). */
    public String principal() {
        return principal;
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String sourceIp() {
        return sourceIp;
    }

    public String requestId() {
        return requestId;
    }

    public Instant receivedAt() {
        return receivedAt;
    }
}
