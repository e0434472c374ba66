package dev.payoutcallbacks.core.payout;

import static dev.payoutcallbacks.core.payout.TransitionTable.Verdict.APPLY;
import static dev.payoutcallbacks.core.payout.TransitionTable.Verdict.CONFLICT;
import static dev.payoutcallbacks.core.payout.TransitionTable.Verdict.STALE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payoutcallbacks.core.payout.PayoutStatus.Kind;
import dev.payoutcallbacks.core.payout.TransitionTable.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every (from, to) pair of the table against the rules written out independently. */
class TransitionTableTest {

    /** The rules of the payout lifecycle, derived from status kinds rather than copied from the table. */
    private static Verdict rule(PayoutStatus from, PayoutStatus to) {
        Kind f = from == null ? Kind.OPEN : from.kind();
        Kind t = to.kind();
        if (f == Kind.OPEN) {
            // An adjustment of an open payout implies its success, so it applies.
            return from == PayoutStatus.SUBMIT_NOT_RECEIVED && to == PayoutStatus.SUBMIT_NOT_RECEIVED ? STALE : APPLY;
        }
        if (t == Kind.OPEN) {
            return STALE; // a terminal state is never overwritten by a late non-terminal outcome
        }
        if (f == Kind.SUCCESS) {
            if (t == Kind.ADJUSTMENT) {
                return APPLY;
            }
            return from == to ? STALE : CONFLICT; // paid vs failed, paid vs partially paid
        }
        if (f == Kind.FAILURE) {
            return t == Kind.FAILURE ? STALE : CONFLICT; // failed then paid, refund of a failed payout
        }
        // from an adjustment
        if (t == Kind.SUCCESS) {
            return STALE; // the success was already implied
        }
        if (from == PayoutStatus.REVERSED) {
            return to.isRefund() ? CONFLICT : STALE; // money already back: a refund would credit twice
        }
        if (t == Kind.FAILURE) {
            return CONFLICT; // refunded money does not make a failed payout
        }
        if (from == PayoutStatus.PARTIALLY_REFUNDED) {
            return to.isRefund() ? APPLY : CONFLICT; // more refunds, but not a reversal on top
        }
        return CONFLICT; // fully refunded: nothing more can come back
    }

    @Test
    void everyPairFollowsTheRules() {
        List<String> wrong = new ArrayList<>();
        List<PayoutStatus> froms = new ArrayList<>();
        froms.add(null);
        froms.addAll(List.of(PayoutStatus.values()));
        int pairs = 0;
        for (PayoutStatus from : froms) {
            for (PayoutStatus to : PayoutStatus.values()) {
                pairs++;
                Verdict expected = rule(from, to);
                Verdict actual = TransitionTable.verdict(from, to);
                if (expected != actual) {
                    wrong.add((from == null ? "new" : from) + " -> " + to + ": " + actual + ", rule says " + expected);
                }
            }
        }
        assertEquals(10 * 9, pairs);
        assertEquals(List.of(), wrong);
    }

    @Test
    void lateNonTerminalNeverOverwritesTerminal() {
        for (PayoutStatus from : PayoutStatus.values()) {
            if (from.terminal()) {
                assertEquals(STALE, TransitionTable.verdict(from, PayoutStatus.PENDING), from.name());
            }
        }
    }

    @Test
    void contradictingTerminalsConflict() {
        assertEquals(CONFLICT, TransitionTable.verdict(PayoutStatus.PAID, PayoutStatus.FAILED));
        assertEquals(CONFLICT, TransitionTable.verdict(PayoutStatus.FAILED, PayoutStatus.PAID));
        assertEquals(CONFLICT, TransitionTable.verdict(PayoutStatus.CANCELLED, PayoutStatus.PAID));
    }

    @Test
    void submitNotReceivedLetsALaterOutcomeApply() {
        assertEquals(APPLY, TransitionTable.verdict(PayoutStatus.SUBMIT_NOT_RECEIVED, PayoutStatus.PAID));
        assertEquals(APPLY, TransitionTable.verdict(PayoutStatus.SUBMIT_NOT_RECEIVED, PayoutStatus.FAILED));
        assertEquals(STALE, TransitionTable.verdict(PayoutStatus.PAID, PayoutStatus.SUBMIT_NOT_RECEIVED));
    }

    @Test
    void adjustmentsFollowASuccessNeverAFailure() {
        for (PayoutStatus adjustment : PayoutStatus.values()) {
            if (adjustment.kind() != Kind.ADJUSTMENT) {
                continue;
            }
            assertEquals(APPLY, TransitionTable.verdict(PayoutStatus.PAID, adjustment));
            assertEquals(APPLY, TransitionTable.verdict(null, adjustment), "implies the success it follows");
            assertEquals(APPLY, TransitionTable.verdict(PayoutStatus.PENDING, adjustment));
            assertEquals(CONFLICT, TransitionTable.verdict(PayoutStatus.FAILED, adjustment));
            assertEquals(CONFLICT, TransitionTable.verdict(PayoutStatus.CANCELLED, adjustment));
            // Whichever arrives first, the adjustment wins over the success it implies.
            assertEquals(STALE, TransitionTable.verdict(adjustment, PayoutStatus.PAID));
        }
    }

    @Test
    void slateStatusesKeepTheirWireNames() {
        assertEquals(PayoutStatus.PAID, PayoutStatus.fromWireName("paid"));
        assertEquals(PayoutStatus.FAILED, PayoutStatus.fromWireName("failed"));
        assertEquals(PayoutStatus.SUBMIT_NOT_RECEIVED, PayoutStatus.fromWireName("submit_not_received"));
        for (PayoutStatus s : PayoutStatus.values()) {
            assertEquals(s, PayoutStatus.fromWireName(s.wireName()));
            assertTrue(s.slateStatus() == null || List.of("paid", "failed", "submit_not_received").contains(s.slateStatus()));
        }
    }
}
