package dev.payoutcallbacks.core.provider;

import java.util.Set;

/**
 * Everything the core needs from one provider: who it is, how its callbacks authenticate and how they
 * translate to canonical outcomes. Implemented once per provider module; the core names no provider.
 */
public interface ProviderCallbacks {

    /** Stable provider name, e.g. used in stored records and logs. */
    String provider();

    /** True when the request proves it comes from the provider. Must compare secrets in constant time. */
    boolean authentic(CallbackRequest request);

    /**
     * Translates an authenticated callback. Raw payloads on the outcomes must have personal data masked.
     *
     * @throws CallbackRejected when the body is malformed or names an event or status we do not know
     */
    Translation translate(CallbackRequest request) throws CallbackRejected;

    /**
     * The HTTP status answering an authenticated callback that was quarantined, the core's own rejections
     * ({@link CallbackRejected#byCore}) included: the provider's retry policy. 400 by default (the body cannot
     * become valid by a retry); a provider that retries 4xx forever, or blocks a subscription after many errors,
     * may answer 2xx (the body then says QUARANTINED). Must be 200-599.
     */
    default int rejectionAnswer(CallbackRejected rejected) {
        return 400;
    }

    /**
     * Headers kept with a quarantined callback so it can be verified again on replay (a signature, say).
     * Never a header that is itself a secret.
     */
    default Set<String> replayHeaders() {
        return Set.of();
    }
}
