package dev.payoutcallbacks.core.payout;

/** The payout kept changing under us past the retry bound: answer 5xx so the provider retries. */
public final class ApplyContention extends RuntimeException {
    public ApplyContention(String message) {
        super(message);
    }
}
