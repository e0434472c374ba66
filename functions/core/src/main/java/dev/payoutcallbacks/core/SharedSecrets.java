package dev.payoutcallbacks.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of accepted secrets (comma-separated, so keys can rotate: add the new one, deploy, remove the old).
 * Comparison is constant-time and always checks every secret.
 */
public final class SharedSecrets {
    private final List<byte[]> secrets;

    private SharedSecrets(List<byte[]> secrets) {
        this.secrets = secrets;
    }

    public static SharedSecrets parse(String commaSeparated) {
        List<byte[]> list = new ArrayList<>();
        if (commaSeparated != null) {
            for (String part : commaSeparated.split(",")) {
                String trimmed = part.trim();
                if (!trimmed.isEmpty()) {
                    list.add(trimmed.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return new SharedSecrets(List.copyOf(list));
    }

    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    public List<byte[]> all() {
        return secrets;
    }

    /** True when the presented value equals one of the secrets. Null or empty never matches. */
    public boolean matches(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        return matchesAny(presented.getBytes(StandardCharsets.UTF_8), secrets);
    }

    /** Constant-time: no early exit on the first match or mismatch. */
    public static boolean matchesAny(byte[] presented, List<byte[]> candidates) {
        boolean match = false;
        for (byte[] candidate : candidates) {
            match |= MessageDigest.isEqual(presented, candidate);
        }
        return match;
    }
}
