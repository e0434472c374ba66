package dev.payoutcallbacks.core.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A function's configuration: the process environment in Lambda, or a map given by the local runtime
 * (which runs every function in one JVM, so cannot use process variables).
 */
public record FunctionEnvironment(Map<String, String> values) {

    public String get(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** True when every one of {@code names} has a non-blank value. */
    public boolean hasAll(String... names) {
        for (String name : names) {
            if (get(name) == null) {
                return false;
            }
        }
        return true;
    }

    /** This environment with {@code more} laid over it (e.g. secret values read at run time). */
    public FunctionEnvironment with(Map<String, String> more) {
        Map<String, String> merged = new HashMap<>(values);
        merged.putAll(more);
        return new FunctionEnvironment(merged);
    }

    public String require(String name) {
        String v = get(name);
        if (v == null) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return v;
    }

    public String getOrDefault(String name, String fallback) {
        String v = get(name);
        return v == null ? fallback : v;
    }

    public int intOrDefault(String name, int fallback) {
        String v = get(name);
        return v == null ? fallback : Integer.parseInt(v.trim());
    }

    public Duration daysOrDefault(String name, int fallbackDays) {
        return Duration.ofDays(intOrDefault(name, fallbackDays));
    }
}
