package dev.payoutcallbacks.m2money;

import dev.payoutcallbacks.core.SharedSecrets;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * M2Money's callback signature (inferred from the Xettle engine, which signs with the standard Laravel
 * webhook-server signer): header {@code Signature} = hex HMAC-SHA256 of the request body, keyed with the
 * merchant's webhook secret. No timestamp is signed, so there is no replay window to check; replays are
 * absorbed by the ledger's dedup instead.
 *
 * <p>The MAC is computed over the body bytes exactly as received. The sender's JSON escapes {@code /} as
 * {@code \/} (and non-ASCII as {@code \\uXXXX}); parsing and re-serialising would change those bytes and
 * break every genuine signature.
 */
public final class M2MoneySignature {
    public static final String HEADER = "Signature";

    private static final String ALGORITHM = "HmacSHA256";
    private static final int HEX_LENGTH = 64; // 32-byte MAC

    private final SharedSecrets secrets;

    public M2MoneySignature(SharedSecrets secrets) {
        this.secrets = secrets;
    }

    /**
     * True when {@code signatureHeader} is the HMAC of {@code rawBody} under one of the accepted secrets
     * (several during a rotation). Every secret is tried and compared in constant time.
     */
    public boolean verify(byte[] rawBody, String signatureHeader) {
        if (signatureHeader == null || secrets.isEmpty()) {
            return false;
        }
        String hex = signatureHeader.trim();
        if (hex.length() != HEX_LENGTH) {
            return false;
        }
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(hex); // either case: the sender's is lower-case
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        List<byte[]> expected = new ArrayList<>(secrets.all().size());
        for (byte[] secret : secrets.all()) {
            expected.add(mac(secret, rawBody));
        }
        return SharedSecrets.matchesAny(presented, expected);
    }

    /** The header value M2Money would send for this body and secret (lower-case hex). */
    public static String sign(byte[] rawBody, String secret) {
        return HexFormat.of().formatHex(mac(secret.getBytes(StandardCharsets.UTF_8), rawBody));
    }

    private static byte[] mac(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
