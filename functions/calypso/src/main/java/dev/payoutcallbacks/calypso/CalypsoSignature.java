package dev.payoutcallbacks.calypso;

import dev.payoutcallbacks.core.CallbackRequest;
import dev.payoutcallbacks.core.SharedSecrets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Calypso's webhook signature (docs.calypso.money, webhook-subscriptions/sign-check): header {@code Sign}
 * is the hex HMAC-SHA512 of the raw request body keyed with the subscription's {@code secretKey};
 * header {@code Key} is the subscription's public key. No timestamp is signed, so there is no replay
 * window to check: replays are absorbed by the ledger's dedup.
 */
final class CalypsoSignature {
    static final String SIGN_HEADER = "Sign";
    static final String KEY_HEADER = "Key";

    private static final String ALGORITHM = "HmacSHA512";
    private static final int SIGNATURE_HEX_LENGTH = 128; // 64 bytes

    private final SharedSecrets secrets;
    private final SharedSecrets subscriptionKeys;

    /** {@code subscriptionKeys} null: the {@code Key} header must be present, its value is not checked. */
    CalypsoSignature(SharedSecrets secrets, SharedSecrets subscriptionKeys) {
        this.secrets = secrets;
        this.subscriptionKeys = subscriptionKeys;
    }

    CalypsoSignature(SharedSecrets secrets) {
        this(secrets, null);
    }

    /**
     * True when {@code Key} is one of the configured subscription keys (constant time, several during a
     * rotation) and {@code Sign} is the HMAC of the body as received under one of the accepted secrets.
     * Hex is decoded first, so case does not matter, and the bytes are compared in constant time against
     * every secret's HMAC. Both checks always run.
     */
    boolean verify(CallbackRequest request) {
        String key = request.header(KEY_HEADER);
        boolean keyOk = subscriptionKeys == null ? key != null && !key.isBlank() : subscriptionKeys.matches(key);
        byte[] presented = decode(request.header(SIGN_HEADER));
        List<byte[]> all = secrets.all();
        if (presented == null) {
            return false;
        }
        List<byte[]> expected = new ArrayList<>(all.size());
        for (byte[] secret : all) {
            expected.add(hmac(secret, request.body()));
        }
        return SharedSecrets.matchesAny(presented, expected) & keyOk;
    }

    private static byte[] decode(String hex) {
        if (hex == null) {
            return null;
        }
        String trimmed = hex.trim();
        if (trimmed.length() != SIGNATURE_HEX_LENGTH) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(trimmed); // accepts upper and lower case digits
        } catch (IllegalArgumentException notHex) {
            return null;
        }
    }

    /** The hex {@code Sign} of a body under a secret, as Calypso computes it (and as we sign status API requests). */
    static String sign(byte[] body, byte[] secret) {
        return HexFormat.of().formatHex(hmac(secret, body));
    }

    private static byte[] hmac(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        }
    }
}
