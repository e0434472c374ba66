package dev.payoutcallbacks.core.provider;

import dev.payoutcallbacks.core.config.SharedSecrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One webhook signature scheme: a header holding the MAC ({@code algorithm}, e.g. HmacSHA512) of the payload bytes
 * exactly as received, in hex or base64. A provider declares its scheme in one line, e.g.
 * {@code WebhookSignature.hmac("HmacSHA256", "Signature", Encoding.HEX)}, and verifies and signs through it (in the
 * spirit of stripe-java's {@code Webhook.Signature}).
 *
 * <p>The payload is never re-serialised: a sender's {@code \/} escapes and key order are part of the signed bytes.
 * A presented value that is absent, not in the encoding or not a MAC's length fails before any secret is read (it
 * cannot be a rotation we have not seen); otherwise the MAC under every configured secret is computed and compared
 * through {@link SharedSecrets#matchesAny} (constant time, no early exit), so secrets can rotate.
 */
public final class WebhookSignature {
    /** How the MAC is written in the header. Hex is accepted in either case. */
    public enum Encoding { HEX, BASE64 }

    /** Why a signature was refused (typed, for tests and logs; never the secret or the expected MAC). */
    public enum Failure {
        /** No header, or a blank one. */
        MISSING,
        /** Not in the scheme's encoding, or not a MAC's length. */
        MALFORMED,
        /** No secret is configured: nothing can be authentic. */
        NO_SECRETS,
        /** Well-formed, but the MAC under none of the secrets. */
        MISMATCH
    }

    /** A refused signature, for callers that prefer an exception to a boolean. */
    public static final class Invalid extends Exception {
        private final Failure failure;

        Invalid(Failure failure, String header) {
            super(header + " signature refused: " + failure.name().toLowerCase(Locale.ROOT));
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    private final String algorithm;
    private final String header;
    private final Encoding encoding;
    private final int macLength;

    private WebhookSignature(String algorithm, String header, Encoding encoding) {
        this.algorithm = algorithm;
        this.header = header;
        this.encoding = encoding;
        this.macLength = newMac(algorithm).getMacLength(); // an unknown algorithm fails at declaration, not per call
    }

    /** The scheme: {@code header} = {@code encoding}(HMAC {@code algorithm}(secret, payload)). */
    public static WebhookSignature hmac(String algorithm, String header, Encoding encoding) {
        return new WebhookSignature(algorithm, header, encoding);
    }

    public String header() {
        return header;
    }

    /** Null when {@code request}'s header is the MAC of its body under one of {@code secrets}; else why not. */
    public Failure check(CallbackRequest request, SharedSecrets secrets) {
        return check(request.body(), request.header(header), secrets);
    }

    /** Null when {@code presented} is the MAC of {@code payload} under one of {@code secrets}; else why not. */
    public Failure check(byte[] payload, String presented, SharedSecrets secrets) {
        if (presented == null || presented.isBlank()) {
            return Failure.MISSING;
        }
        byte[] mac = decode(presented.trim());
        if (mac == null || mac.length != macLength) {
            return Failure.MALFORMED;
        }
        List<byte[]> all = secrets.all();
        if (all.isEmpty()) {
            return Failure.NO_SECRETS;
        }
        List<byte[]> expected = new ArrayList<>(all.size());
        for (byte[] secret : all) {
            expected.add(compute(payload, secret));
        }
        return SharedSecrets.matchesAny(mac, expected) ? null : Failure.MISMATCH;
    }

    /** True when the request's header is the MAC of its body under one of {@code secrets}. */
    public boolean verify(CallbackRequest request, SharedSecrets secrets) {
        return check(request, secrets) == null;
    }

    public boolean verify(byte[] payload, String presented, SharedSecrets secrets) {
        return check(payload, presented, secrets) == null;
    }

    /** As {@link #verify(byte[], String, SharedSecrets)}, the failure typed. */
    public void verifyOrThrow(byte[] payload, String presented, SharedSecrets secrets) throws Invalid {
        Failure failure = check(payload, presented, secrets);
        if (failure != null) {
            throw new Invalid(failure, header);
        }
    }

    /** The header value a sender computes for {@code payload} under {@code secret} (tests, outgoing requests). */
    public String sign(byte[] payload, byte[] secret) {
        byte[] mac = compute(payload, secret);
        return encoding == Encoding.HEX ? HexFormat.of().formatHex(mac) : Base64.getEncoder().encodeToString(mac);
    }

    public String sign(byte[] payload, String secret) {
        return sign(payload, secret.getBytes(StandardCharsets.UTF_8));
    }

    public String sign(String payload, String secret) {
        return sign(payload.getBytes(StandardCharsets.UTF_8), secret);
    }

    private byte[] decode(String text) {
        try {
            return encoding == Encoding.HEX ? HexFormat.of().parseHex(text) : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException notEncoded) {
            return null;
        }
    }

    private byte[] compute(byte[] payload, byte[] secret) {
        Mac mac = newMac(algorithm);
        try {
            mac.init(new SecretKeySpec(secret, algorithm));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " refused its key", e);
        }
        return mac.doFinal(payload);
    }

    private static Mac newMac(String algorithm) {
        try {
            return Mac.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is unavailable", e);
        }
    }
}
