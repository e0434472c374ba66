package dev.payoutcallbacks.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A function's secret values, read at run time — never from the deployment, never into a SnapStart snapshot.
 *
 * <p>{@value #ARN_VARIABLE} selects the source:
 * <ul>
 *   <li>an ARN ({@code arn:...}): the secret's JSON in Secrets Manager ({@code GetSecretValue} on that ARN only,
 *       through the same HTTP client as DynamoDB). Its keys are camelCase ({@code pivotCallbackApiKeys}); code
 *       asks by the setting's name ({@code PIVOT_CALLBACK_API_KEYS}). Environment variables of those names must
 *       be empty there: a secret in the environment fails the function's start.</li>
 *   <li>anything else or unset ({@code environment} in infra/local-env.json): the function's own environment
 *       variables of those names — the local run and tests, where no AWS is reachable.</li>
 * </ul>
 *
 * <p>Read lazily on first use (after a restore: the snapshot never holds a value; {@link #beforeCheckpoint}
 * also drops anything read before it), cached for {@value #DEFAULT_TTL_SECONDS} s at most
 * (SECRETS_TTL_SECONDS, capped there), and re-read once — at most every {@value #DEFAULT_MISMATCH_SECONDS} s
 * (SECRETS_MISMATCH_REFRESH_SECONDS) — when a presented key matches none of the cached ones ({@link
 * #refreshAfterMismatch}): a rotation goes live within seconds of the sender switching, without a deploy. When a
 * re-read fails the last values stay in use; with none yet, {@link SecretsUnavailable} (a 503).
 */
public final class RuntimeSecrets implements Resource {
    public static final String ARN_VARIABLE = "SECRETS_ARN";
    static final int DEFAULT_TTL_SECONDS = 300;
    static final int DEFAULT_MISMATCH_SECONDS = 30;
    private static final long FAILED_READ_RETRY_NANOS = Duration.ofSeconds(10).toNanos();
    /** Placeholder every setting reads as while priming: exercises the verifiers, never matches a sender. */
    static final String PRIMING_VALUE = "priming-placeholder-not-a-secret";
    private static final ThreadLocal<Boolean> PRIMING = new ThreadLocal<>();
    /** CRaC holds resources weakly: keep them reachable. */
    private static final List<RuntimeSecrets> REGISTERED = new CopyOnWriteArrayList<>();

    /** Where values come from: the whole secret, keyed by setting name (UPPER_SNAKE). */
    public interface Source {
        Map<String, String> read();

        /** True when reading again can give other values (not so for the environment). */
        default boolean changes() {
            return true;
        }
    }

    private final Source source;
    private final LongSupplier nanoClock;
    private final long ttlNanos;
    private final long mismatchNanos;
    private volatile Map<String, String> values;
    private volatile long readAt;
    private volatile long retryAfter;
    private volatile long lastMismatchRead = Long.MIN_VALUE;
    private volatile long reads;

    public RuntimeSecrets(Source source, Duration ttl, Duration mismatchRefresh, LongSupplier nanoClock) {
        this.source = source;
        this.nanoClock = nanoClock;
        this.ttlNanos = Math.min(ttl.toNanos(), Duration.ofSeconds(DEFAULT_TTL_SECONDS).toNanos());
        this.mismatchNanos = mismatchRefresh.toNanos();
    }

    /** The function's secrets as its environment configures them (see the class comment). */
    public static RuntimeSecrets fromEnvironment(FunctionEnvironment env) {
        String arn = env.get(ARN_VARIABLE);
        Source source;
        if (arn != null && arn.startsWith("arn:")) {
            source = new SecretsManagerSource(env, arn);
        } else {
            source = new Source() {
                @Override
                public Map<String, String> read() {
                    return env.values();
                }

                @Override
                public boolean changes() {
                    return false;
                }
            };
        }
        RuntimeSecrets secrets = new RuntimeSecrets(source,
                Duration.ofSeconds(env.intOrDefault("SECRETS_TTL_SECONDS", DEFAULT_TTL_SECONDS)),
                Duration.ofSeconds(env.intOrDefault("SECRETS_MISMATCH_REFRESH_SECONDS", DEFAULT_MISMATCH_SECONDS)),
                System::nanoTime);
        REGISTERED.add(secrets);
        Core.getGlobalContext().register(secrets);
        return secrets;
    }

    /** Refuses a deployment that put a secret into the environment of a function reading Secrets Manager. */
    public RuntimeSecrets refuseInEnvironment(FunctionEnvironment env, String... names) {
        if (source instanceof SecretsManagerSource) {
            for (String name : names) {
                if (env.get(name) != null) {
                    throw new IllegalStateException(name + " must not be set in the environment when "
                            + ARN_VARIABLE + " names a secret: secrets are read from Secrets Manager only");
                }
            }
        }
        return this;
    }

    /** The current value of a setting (e.g. PIVOT_CALLBACK_API_KEYS); null when absent or blank. */
    public String value(String name) {
        if (Boolean.TRUE.equals(PRIMING.get())) {
            return PRIMING_VALUE;
        }
        String v = current().get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** Every value of the secret, by setting name (the reconciler hands them to the status API factories). */
    public Map<String, String> all() {
        if (Boolean.TRUE.equals(PRIMING.get())) {
            return Map.of();
        }
        return current();
    }

    /** A live key set over one setting (see {@link SharedSecrets#live}); labelled by the secret's JSON key. */
    public SharedSecrets keys(String name, boolean required) {
        return SharedSecrets.live(jsonKey(name), () -> value(name), required);
    }

    /**
     * A presented key matched none of the cached ones: read again, unless that was done less than
     * SECRETS_MISMATCH_REFRESH_SECONDS ago (so unauthenticated traffic costs at most one read per window).
     *
     * @return true when the values were read again and differ from the cached ones (worth checking again)
     */
    public boolean refreshAfterMismatch() {
        if (!source.changes() || Boolean.TRUE.equals(PRIMING.get())) {
            return false;
        }
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (lastMismatchRead != Long.MIN_VALUE && now - lastMismatchRead < mismatchNanos) {
                return false;
            }
            lastMismatchRead = now;
            Map<String, String> before = values;
            try {
                load(now);
            } catch (RuntimeException failed) {
                return false;
            }
            return !values.equals(before);
        }
    }

    /** How many times the source was read (telemetry and tests). */
    public long reads() {
        return reads;
    }

    private Map<String, String> current() {
        Map<String, String> v = values;
        long now = nanoClock.getAsLong();
        if (v != null && (now - readAt < ttlNanos || now < retryAfter)) {
            return v;
        }
        synchronized (this) {
            v = values;
            now = nanoClock.getAsLong();
            if (v != null && (now - readAt < ttlNanos || now < retryAfter)) {
                return v;
            }
            try {
                load(now);
            } catch (RuntimeException failed) {
                if (v == null) {
                    throw failed instanceof SecretsUnavailable su ? su
                            : new SecretsUnavailable("secrets cannot be read: " + failed.getClass().getSimpleName(), failed);
                }
                retryAfter = now + FAILED_READ_RETRY_NANOS; // keep the last values; try again shortly
                return v;
            }
            return values;
        }
    }

    private void load(long now) {
        Map<String, String> read = Map.copyOf(source.read());
        reads++;
        values = read;
        readAt = now;
        retryAfter = 0;
    }

    /** Runs {@code work} (SnapStart priming) with every setting reading as a placeholder: no read, nothing cached. */
    public static void priming(Runnable work) {
        PRIMING.set(Boolean.TRUE);
        try {
            work.run();
        } finally {
            PRIMING.remove();
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        synchronized (this) {
            values = null; // nothing read before the snapshot is in it
            lastMismatchRead = Long.MIN_VALUE;
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing: the first use after the restore reads the secret
    }

    /** PIVOT_CALLBACK_API_KEYS → pivotCallbackApiKeys (the secret's JSON keys). */
    static String jsonKey(String settingName) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : settingName.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** pivotCallbackApiKeys → PIVOT_CALLBACK_API_KEYS; a key already in that form stays as it is. */
    static String settingName(String jsonKey) {
        if (jsonKey.equals(jsonKey.toUpperCase(Locale.ROOT))) {
            return jsonKey;
        }
        StringBuilder out = new StringBuilder();
        for (char c : jsonKey.toCharArray()) {
            if (Character.isUpperCase(c) && out.length() > 0 && out.charAt(out.length() - 1) != '_') {
                out.append('_');
            }
            out.append(Character.toUpperCase(c));
        }
        return out.toString();
    }

    /** Our own secret, not a provider's input: a plain mapper, built at the first read (after restore). */
    private static final class SecretJson {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** The secret's JSON, parsed into setting names. */
    static Map<String, String> parseSecret(String secretString) {
        JsonNode root;
        try {
            root = SecretJson.MAPPER.readTree(secretString);
        } catch (IOException notJson) {
            throw new SecretsUnavailable("the secret is not a JSON object");
        }
        if (root == null || !root.isObject()) {
            throw new SecretsUnavailable("the secret is not a JSON object");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                values.put(settingName(e.getKey()), e.getValue().asText());
            }
        }
        return values;
    }

    /** GetSecretValue on one ARN, with the one HTTP client the function's AWS clients share. */
    static final class SecretsManagerSource implements Source {
        private final String arn;
        private final Supplier<SecretsManagerClient> client;

        SecretsManagerSource(FunctionEnvironment env, String arn) {
            this.arn = arn;
            this.client = SdkClients.onFirstUse(() -> SdkClients.configured(SecretsManagerClient.builder(), env,
                    "SECRETSMANAGER_ENDPOINT", Duration.ofSeconds(3), Duration.ofSeconds(2)).build());
        }

        @Override
        public Map<String, String> read() {
            return parseSecret(client.get().getSecretValue(r -> r.secretId(arn)).secretString());
        }
    }
}
