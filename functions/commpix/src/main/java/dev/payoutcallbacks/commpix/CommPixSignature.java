package dev.payoutcallbacks.commpix;

import dev.payoutcallbacks.core.SharedSecrets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The optional body signature: a header holding the hex HMAC-SHA256 of the raw request body.
 *
 * <p>Comm.Pix publishes no signature scheme (its docs say to validate "signature, headers, or source"), so
 * this is only enforced when secrets are configured, for a deployment that agreed one with Comm.Pix.
 * Verified against the bytes as received, never a re-serialisation; every configured secret is tried with
 * no early exit, so secrets can rotate.
 */
public final class CommPixSignature {
    static final String ALGORITHM = "HmacSHA256";

    private CommPixSignature() {
    }

    /** True when {@code presentedHex} is the HMAC of {@code body} under one of the secrets. */
    public static boolean verify(byte[] body, String presentedHex, SharedSecrets secrets) {
        if (presentedHex == null || presentedHex.isBlank() || secrets.isEmpty()) {
            return false;
        }
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(presentedHex.trim()); // upper or lower case hex
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        List<byte[]> expected = new ArrayList<>(secrets.all().size());
        for (byte[] secret : secrets.all()) {
            expected.add(compute(body, secret));
        }
        return SharedSecrets.matchesAny(presented, expected);
    }

    /** Hex HMAC-SHA256 of the body: what a sender puts in the header. */
    public static String sign(byte[] body, byte[] secret) {
        return HexFormat.of().formatHex(compute(body, secret));
    }

    private static byte[] compute(byte[] body, byte[] secret) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is unavailable", e);
        }
    }
}
