package dev.payoutcallbacks.core;

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
     * Headers kept with a quarantined callback so it can be verified again on replay (a signature, say).
     * Never a header that is itself a secret.
     */
    default java.util.Set<String> replayHeaders() {
        return java.util.Set.of();
    }
}
