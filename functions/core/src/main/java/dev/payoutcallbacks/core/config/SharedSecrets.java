package dev.payoutcallbacks.core.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A set of accepted secrets (comma-separated, so keys can rotate: add the new one, switch the sender, remove the
 * old). Comparison is constant-time and always checks every secret.
 *
 * <p>A live set ({@link #live}) reads its value on each use from {@link RuntimeSecrets} (cached there, at most
 * five minutes), so a rotation reaches a running function without a deploy. A value {@code none} means no
 * secrets (for optional settings such as Comm.Pix's HMAC).
 *
 * <p>Rotation telemetry: while a {@link #trace} is open on the thread (one callback), every match records which
 * setting matched and the position of the matching key ({@code pivotCallbackApiKeys:2/2}) — never the key — so
 * the callback's log line shows when the old key is no longer used.
 */
public final class SharedSecrets {
    private static final ThreadLocal<Trace> TRACE = new ThreadLocal<>();

    private final String label;
    private final Supplier<String> source;
    private final boolean required;
    private volatile Parsed parsed;

    private SharedSecrets(String label, Supplier<String> source, boolean required, Parsed fixed) {
        this.label = label;
        this.source = source;
        this.required = required;
        this.parsed = fixed;
    }

    /** A fixed set (tests, and code that builds its own). */
    public static SharedSecrets parse(String commaSeparated) {
        return new SharedSecrets(null, null, false, Parsed.of(commaSeparated));
    }

    /**
     * A set whose value is read on each use. {@code label} names it in telemetry (the secret's JSON key).
     * {@code required}: an absent value is {@link SecretsUnavailable} (the function is not configured) rather than
     * an empty set.
     */
    public static SharedSecrets live(String label, Supplier<String> value, boolean required) {
        return new SharedSecrets(label, value, required, null);
    }

    private List<byte[]> current() {
        if (source == null) {
            return parsed.secrets;
        }
        Trace trace = TRACE.get();
        if (trace != null) {
            trace.consultedLive = true; // set before the read: a read that fails still counts as consulted
        }
        String raw = source.get();
        Parsed p = parsed;
        if (p == null || !Objects.equals(p.raw, raw)) {
            p = Parsed.of(raw);
            parsed = p;
        }
        if (required && p.secrets.isEmpty()) {
            throw new SecretsUnavailable("secret value " + label + " is not configured");
        }
        Trace t = TRACE.get();
        if (t != null) {
            t.consulted = this;
        }
        return p.secrets;
    }

    public boolean isEmpty() {
        return current().isEmpty();
    }

    public List<byte[]> all() {
        return current();
    }

    /** True when the presented value equals one of the secrets. Null or empty never matches. */
    public boolean matches(String presented) {
        List<byte[]> secrets = current();
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        return matchesAny(presented.getBytes(StandardCharsets.UTF_8), secrets, this);
    }

    private static boolean matchesAny(byte[] presented, List<byte[]> candidates, SharedSecrets set) {
        int at = -1;
        for (int i = 0; i < candidates.size(); i++) {
            boolean equal = MessageDigest.isEqual(presented, candidates.get(i));
            at = equal && at < 0 ? i : at;
        }
        Trace t = TRACE.get();
        if (t != null && set != null && at >= 0) {
            t.matched.add((set.label == null ? "key" : set.label) + ":" + (at + 1) + "/" + candidates.size());
        }
        return at >= 0;
    }

    /**
     * Constant-time: no early exit on the first match or mismatch. {@code candidates} are in the order of the
     * set last read on this thread (a MAC per secret, say), so a match is recorded against that set.
     */
    public static boolean matchesAny(byte[] presented, List<byte[]> candidates) {
        Trace t = TRACE.get();
        return matchesAny(presented, candidates, t == null ? null : t.consulted);
    }

    /** Opens a trace on this thread: the matches of one callback's authentication. */
    public static void trace() {
        TRACE.set(new Trace());
    }

    /**
     * True when the open trace's check consulted a live key set (read from the secret): only then can a failed
     * check be a rotation the cache has not seen, worth re-reading the secret for.
     */
    public static boolean consultedLiveSecrets() {
        Trace t = TRACE.get();
        return t != null && t.consultedLive;
    }

    /** Closes the trace; the matched keys as {@code setting:position/count}, comma-separated, or null. */
    public static String matchedKeys() {
        Trace t = TRACE.get();
        TRACE.remove();
        return t == null || t.matched.isEmpty() ? null : String.join(",", t.matched);
    }

    private static final class Trace {
        final List<String> matched = new ArrayList<>(2);
        SharedSecrets consulted;
        boolean consultedLive;
    }

    private record Parsed(String raw, List<byte[]> secrets) {
        static Parsed of(String commaSeparated) {
            List<byte[]> list = new ArrayList<>();
            if (commaSeparated != null && !"none".equals(commaSeparated.trim().toLowerCase(Locale.ROOT))) {
                for (String part : commaSeparated.split(",")) {
                    String trimmed = part.trim();
                    if (!trimmed.isEmpty()) {
                        list.add(trimmed.getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            return new Parsed(commaSeparated, List.copyOf(list));
        }
    }
}
