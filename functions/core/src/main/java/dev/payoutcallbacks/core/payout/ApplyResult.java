package dev.payoutcallbacks.core.payout;

/** What applying one outcome did. */
public enum ApplyResult {
    /** The outcome changed the payout (version + 1). */
    APPLIED,
    /** The same outcome was seen before: nothing changed, nothing recorded again. */
    DUPLICATE,
    /** Late or out of order: recorded in history, state unchanged. */
    STALE,
    /** Contradicts the payout's state: recorded, state kept, payout flagged for review. */
    CONFLICT
}
