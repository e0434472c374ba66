package dev.payoutcallbacks.core.config;

/**
 * A secret value this function needs cannot be had now: Secrets Manager is unreachable on first use, or the
 * secret lacks a required key. Our trouble, not the caller's: answered 503 so the sender retries.
 */
public final class SecretsUnavailable extends RuntimeException {
    public SecretsUnavailable(String message) {
        super(message);
    }

    public SecretsUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
