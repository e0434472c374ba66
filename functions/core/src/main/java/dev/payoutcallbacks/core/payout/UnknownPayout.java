package dev.payoutcallbacks.core.payout;

/**
 * An outcome that names its payout only by an order key or a provider payout id no payout is known by.
 * It is refused (400, quarantined for replay once the payout is registered), never made a new payout:
 * that would be a second record of one payout.
 */
public final class UnknownPayout extends RuntimeException {
    public UnknownPayout(String message) {
        super(message);
    }
}
