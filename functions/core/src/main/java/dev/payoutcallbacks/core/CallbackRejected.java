package dev.payoutcallbacks.core;

/**
 * An authenticated callback we cannot translate. It is quarantined with its raw body and answered
 * with {@code httpStatus}: 400 for a malformed body; for an unknown event, whatever the provider's
 * retry policy makes sensible (a provider that retries 4xx forever may deserve a 200).
 */
public final class CallbackRejected extends Exception {
    /** UNKNOWN_PAYOUT: names its payout only by an order key or provider payout id no payout is known by. */
    public enum Reason { MALFORMED, UNKNOWN_EVENT, UNMAPPED_STATUS, UNKNOWN_PAYOUT }

    private final Reason reason;
    private final int httpStatus;

    public CallbackRejected(Reason reason, int httpStatus, String message) {
        super(message);
        this.reason = reason;
        this.httpStatus = httpStatus;
    }

    public static CallbackRejected malformed(String message) {
        return new CallbackRejected(Reason.MALFORMED, 400, message);
    }

    public Reason reason() {
        return reason;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
