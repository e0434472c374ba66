package dev.payoutcallbacks.core.payout;

import static dev.payoutcallbacks.core.payout.TransitionTable.Verdict.APPLY;
import static dev.payoutcallbacks.core.payout.TransitionTable.Verdict.CONFLICT;
import static dev.payoutcallbacks.core.payout.TransitionTable.Verdict.STALE;

import java.util.EnumMap;
import java.util.Map;

/**
 * Every allowed payout transition, declared once. Pure data: no I/O, no clock.
 *
 * <ul>
 *   <li>APPLY: the outcome moves the payout.</li>
 *   <li>STALE: a late or out-of-order outcome that does not contradict the state: recorded in history, state kept.</li>
 *   <li>CONFLICT: a contradicting outcome (paid vs failed, refund of a failed payout...): state kept,
 *       payout flagged for review, anomaly recorded. It never silently wins.</li>
 * </ul>
 */
public final class TransitionTable {

    public enum Verdict { APPLY, STALE, CONFLICT }

    private static final Verdict A = APPLY;
    private static final Verdict S = STALE;
    private static final Verdict C = CONFLICT;

    /** Row for a payout no outcome has touched yet. */
    private static final Verdict[] FROM_NEW;
    private static final Map<PayoutStatus, Verdict[]> ROWS = new EnumMap<>(PayoutStatus.class);

    static {
        // Columns, in PayoutStatus order:
        //                               PENDING SUBMIT_NR PAID PART_PAID FAILED CANCELLED REVERSED PART_REFUND REFUNDED
        // A reversal or refund of an open payout proves the success it follows: the success is implied and
        // the adjustment applies, so the final state does not depend on delivery order (the late success
        // is then stale). Providers do not guarantee order; consuming the adjustment as a conflict would
        // lose it, since its retries are duplicates.
        FROM_NEW =                    row(A,      A,        A,   A,        A,     A,        A,       A,          A);
        ROWS.put(PayoutStatus.PENDING, row(A,      A,        A,   A,        A,     A,        A,       A,          A));
        // The provider said it never got the submit, but it may still pay or fail: those apply.
        ROWS.put(PayoutStatus.SUBMIT_NOT_RECEIVED,
                                      row(A,      S,        A,   A,        A,     A,        A,       A,          A));
        // After a failure an adjustment contradicts it: only a success can be reversed or refunded.
        ROWS.put(PayoutStatus.PAID,    row(S,      S,        S,   C,        C,     C,        A,       A,          A));
        ROWS.put(PayoutStatus.PARTIALLY_PAID,
                                      row(S,      S,        C,   S,        C,     C,        A,       A,          A));
        // Failed and cancelled both leave the money with the sender: the same money outcome, so stale.
        ROWS.put(PayoutStatus.FAILED,  row(S,      S,        C,   C,        S,     S,        C,       C,          C));
        ROWS.put(PayoutStatus.CANCELLED,
                                      row(S,      S,        C,   C,        S,     S,        C,       C,          C));
        // A reversal already returned the money: a refund on top would credit it twice.
        ROWS.put(PayoutStatus.REVERSED, row(S,     S,        S,   S,        S,     S,        S,       C,          C));
        ROWS.put(PayoutStatus.PARTIALLY_REFUNDED,
                                      row(S,      S,        S,   S,        C,     C,        C,       A,          A));
        // Fully refunded: any further refund or reversal would exceed what was paid.
        ROWS.put(PayoutStatus.REFUNDED, row(S,     S,        S,   S,        C,     C,        C,       C,          C));
    }

    private TransitionTable() {
    }

    private static Verdict[] row(Verdict... verdicts) {
        if (verdicts.length != PayoutStatus.values().length) {
            throw new IllegalStateException("a row needs one verdict per status");
        }
        return verdicts;
    }

    /**
     * @param from the payout's current status, or null when no outcome has been applied yet
     * @param to   the status the outcome reports
     */
    public static Verdict verdict(PayoutStatus from, PayoutStatus to) {
        Verdict[] row = from == null ? FROM_NEW : ROWS.get(from);
        return row[to.ordinal()];
    }
}
