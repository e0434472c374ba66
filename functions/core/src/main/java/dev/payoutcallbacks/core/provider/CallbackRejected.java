package dev.payoutcallbacks.core.provider;

/**
 * An authenticated callback we cannot translate. It is quarantined with its raw body and answered with the status
 * its provider chooses ({@link ProviderCallbacks#rejectionAnswer}): the answer is a provider's retry policy, not a
 * property of the rejection.
 */
public final class CallbackRejected extends Exception {
    /** UNKNOWN_PAYOUT: names its payout only by an order key or provider payout id no payout is known by. */
    public enum Reason { MALFORMED, UNKNOWN_EVENT, UNMAPPED_STATUS, UNKNOWN_PAYOUT }

    private final Reason reason;
    private final boolean byCore;

    /** A provider's rejection of a callback it cannot translate. */
    public CallbackRejected(Reason reason, String message) {
        this(reason, message, false);
    }

    private CallbackRejected(Reason reason, String message, boolean byCore) {
        super(message);
        this.reason = reason;
        this.byCore = byCore;
    }

    public static CallbackRejected malformed(String message) {
        return new CallbackRejected(Reason.MALFORMED, message);
    }

    /**
     * The core's own rejection of a callback the provider translated (or failed to): it carries no outcome, names
     * an unknown payout, broke the translation, or cannot be stored.
     */
    public static CallbackRejected byCore(Reason reason, String message) {
        return new CallbackRejected(reason, message, true);
    }

    public Reason reason() {
        return reason;
    }

    /** True when the core, not the provider's translation, refused the callback. */
    public boolean byCore() {
        return byCore;
    }
}
