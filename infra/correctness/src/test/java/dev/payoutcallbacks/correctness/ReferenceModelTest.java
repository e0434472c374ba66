package dev.payoutcallbacks.correctness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.payout.TransitionTable;
import dev.payoutcallbacks.correctness.support.Evidence;
import dev.payoutcallbacks.correctness.support.ReferenceModel;
import dev.payoutcallbacks.correctness.support.ReferenceModel.Amount;
import dev.payoutcallbacks.correctness.support.ReferenceModel.Event;
import dev.payoutcallbacks.correctness.support.ReferenceModel.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reference model against the specification's own sentences, and a differential check against the
 * core's TransitionTable: the two were written independently, so a disagreement is a defect in one of them.
 */
class ReferenceModelTest {
    private static final Amount TEN = Amount.of("10.00", "BRL");

    private static Event of(PayoutStatus status) {
        return new Event("p", status, null, null, null, null, null);
    }

    private static Event paid(Amount amount) {
        return new Event("p", PayoutStatus.PAID, null, amount, null, null, null);
    }

    private static Event refund(String value, String id) {
        return new Event("p", PayoutStatus.PARTIALLY_REFUNDED, null, TEN, Amount.of(value, "BRL"), id, value);
    }

    @Test
    void theSpecificationsSentences() {
        // A terminal state is never overwritten by a non-terminal one.
        ReferenceModel m = new ReferenceModel();
        m.deliver(paid(TEN));
        assertEquals(Result.STALE, m.deliver(new Event("p", PayoutStatus.PENDING, "late", null, null, null, null)).result());
        assertEquals(PayoutStatus.PAID, m.status());
        // A contradicting terminal: CONFLICT, state kept, flagged.
        assertEquals(Result.CONFLICT, m.deliver(of(PayoutStatus.FAILED)).result());
        assertEquals(PayoutStatus.PAID, m.status());
        assertEquals(1, m.anomalies());
        // The same outcome again: DUPLICATE.
        assertEquals(Result.DUPLICATE, m.deliver(paid(TEN)).result());

        // submit_not_received has its own identity: a later paid applies; a second one is a duplicate.
        m = new ReferenceModel();
        assertEquals(Result.APPLIED, m.deliver(of(PayoutStatus.SUBMIT_NOT_RECEIVED)).result());
        assertEquals(Result.DUPLICATE, m.deliver(of(PayoutStatus.SUBMIT_NOT_RECEIVED)).result());
        assertEquals(Result.APPLIED, m.deliver(paid(TEN)).result());
        assertEquals(2, m.version());

        // An adjustment of an open payout implies its success; the late success is then stale.
        m = new ReferenceModel();
        assertEquals(Result.APPLIED, m.deliver(refund("3.00", "r1")).result());
        assertEquals(PayoutStatus.PARTIALLY_REFUNDED, m.status());
        assertEquals(Result.STALE, m.deliver(paid(TEN)).result());

        // Refunds accumulate exactly; beyond paid is a conflict; the full amount makes it refunded; after a full
        // refund any further refund is one beyond the paid amount.
        assertEquals("refund_exceeds_paid", m.deliver(refund("7.01", "r2")).anomalyCategory());
        assertEquals(PayoutStatus.PARTIALLY_REFUNDED, m.status());
        assertEquals(Result.APPLIED, m.deliver(refund("7.00", "r3")).result());
        assertEquals(PayoutStatus.REFUNDED, m.status());
        assertEquals(0, m.refunded().compareTo(TEN.value()));
        assertEquals("refund_exceeds_paid", m.deliver(refund("0.01", "r4")).anomalyCategory());

        // An adjustment after a failure contradicts it.
        m = new ReferenceModel();
        m.deliver(of(PayoutStatus.FAILED));
        assertEquals(Result.CONFLICT, m.deliver(refund("1.00", "r1")).result());
        assertEquals(PayoutStatus.FAILED, m.status());

        // A reversal after a success applies; a refund after the reversal would credit twice.
        m = new ReferenceModel();
        m.deliver(paid(TEN));
        assertEquals(Result.APPLIED, m.deliver(new Event("p", PayoutStatus.REVERSED, null, TEN, TEN, null, null)).result());
        assertEquals(Result.CONFLICT, m.deliver(refund("1.00", "r1")).result());

        // A reported amount that differs from the known one is a conflict.
        m = new ReferenceModel();
        m.deliver(paid(TEN));
        assertEquals("amount_mismatch", m.deliver(new Event("p", PayoutStatus.REVERSED, null, Amount.of("11", "BRL"),
                Amount.of("11", "BRL"), null, null)).anomalyCategory());
    }

    @Test
    void theModelAndTheCoresTransitionTableAgreeOnEveryPair() {
        List<String> differences = new ArrayList<>();
        List<PayoutStatus> from = new ArrayList<>();
        from.add(null);
        from.addAll(List.of(PayoutStatus.values()));
        int pairs = 0;
        for (PayoutStatus f : from) {
            for (PayoutStatus t : PayoutStatus.values()) {
                pairs++;
                String table = switch (TransitionTable.verdict(f, t)) {
                    case APPLY -> "APPLIED";
                    case STALE -> "STALE";
                    case CONFLICT -> "CONFLICT";
                };
                String model = modelVerdict(f, t);
                if (!table.equals(model)) {
                    differences.add((f == null ? "new" : f) + " -> " + t + ": table " + table + ", model " + model);
                }
            }
        }
        Evidence.print("model-vs-table", "pairs=" + pairs + " differences=" + differences.size());
        assertEquals(List.of(), differences);
    }

    /** The model's verdict for a transition, observed through its public behaviour (no amounts involved). */
    @Test
    void aDisagreementAboutMoneyIsAConflictWhereverTheRulesWouldSayStale() {
        ReferenceModel m = new ReferenceModel();
        m.deliver(paid(TEN));
        assertEquals("amount_mismatch", m.decide(new Event("r", PayoutStatus.PENDING, "late", Amount.of("11.00", "BRL"),
                null, null, null)).anomalyCategory());
        assertEquals("currency_mismatch", m.decide(new Event("r", PayoutStatus.PAID, null, Amount.of("10.00", "USD"),
                null, null, null)).anomalyCategory());
        assertEquals(PayoutStatus.PAID, m.status());
        assertEquals(0, TEN.value().compareTo(m.amount().value()), "the known amount is kept");
    }

    private static String modelVerdict(PayoutStatus from, PayoutStatus to) {
        ReferenceModel m = new ReferenceModel();
        if (from != null) {
            Event setup = switch (from) {
                case PARTIALLY_REFUNDED -> new Event("p", from, null, null, Amount.of("1", "BRL"), "setup", "1");
                case REFUNDED -> new Event("p", from, null, null, Amount.of("1", "BRL"), "setup", "1");
                default -> new Event("p", from, "setup", null, null, "setup", null);
            };
            m.deliver(setup);
        }
        Event e = to == PayoutStatus.PARTIALLY_REFUNDED || to == PayoutStatus.REFUNDED
                ? new Event("p", to, null, null, Amount.of("1", "BRL"), "probe", "1")
                : new Event("p", to, "probe", null, null, "probe", null);
        return m.decide(e).result().name(); // decide, not deliver: X -> X would otherwise be a duplicate
    }
}
