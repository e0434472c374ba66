package dev.payoutcallbacks.core.payout;

import java.util.Locale;

/**
 * Canonical payout statuses. Slate's three (paid, failed, submit_not_received) keep their wire names;
 * the rest let every provider status map without loss.
 */
public enum PayoutStatus {
    /** Accepted by the provider, not final yet (created, queued, delayed, confirmed, hash seen...). */
    PENDING(Kind.OPEN),
    /** The provider says it never received the submit. Not final: the provider may still pay. */
    SUBMIT_NOT_RECEIVED(Kind.OPEN),
    PAID(Kind.SUCCESS),
    /** A mass payout in which some items failed (Calypso PARTIAL). */
    PARTIALLY_PAID(Kind.SUCCESS),
    FAILED(Kind.FAILURE),
    CANCELLED(Kind.FAILURE),
    /** Money came back after a success (M2Money reversal). */
    REVERSED(Kind.ADJUSTMENT),
    /** Some of a paid amount was refunded; more refunds may follow. */
    PARTIALLY_REFUNDED(Kind.ADJUSTMENT),
    /** The whole paid amount was refunded. */
    REFUNDED(Kind.ADJUSTMENT);

    public enum Kind { OPEN, SUCCESS, FAILURE, ADJUSTMENT }

    private final Kind kind;

    PayoutStatus(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public boolean terminal() {
        return kind != Kind.OPEN;
    }

    public boolean isRefund() {
        return this == PARTIALLY_REFUNDED || this == REFUNDED;
    }

    /** Wire name: lower snake case, as Slate's paid | failed | submit_not_received. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The nearest of Slate's own statuses, for consumers that only know Slate's three (null: still open). */
    public String slateStatus() {
        return switch (this) {
            case PAID, PARTIALLY_PAID, PARTIALLY_REFUNDED -> "paid";
            // Money is back with the sender: for Slate that is a failed payout (re-credit).
            case FAILED, CANCELLED, REVERSED, REFUNDED -> "failed";
            case SUBMIT_NOT_RECEIVED -> "submit_not_received";
            case PENDING -> null;
        };
    }

    /** Parses a wire name; null when unknown. */
    public static PayoutStatus fromWireName(String value) {
        if (value == null) {
            return null;
        }
        for (PayoutStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        return null;
    }
}
