package dev.payoutcallbacks.core.payout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The decision layer over the table: money arithmetic and what the next state keeps. No database. */
class PayoutDecisionTest {
    private static final Instant T = Instant.parse("2026-11-21T08:00:00Z");

    private static PayoutOutcome.Builder outcome(PayoutStatus status) {
        return PayoutOutcome.builder("po-1", status).provider("test").receivedAt(T);
    }

    private static PayoutState after(PayoutState state, PayoutOutcome o) {
        PayoutDecision d = PayoutDecision.decide(state, o);
        assertEquals(ApplyResult.APPLIED, d.result(), () -> "expected APPLIED, anomaly " + d.anomaly());
        return d.next();
    }

    private static PayoutState paid(String amount, String currency) {
        return after(PayoutState.none("po-1"), outcome(PayoutStatus.PAID).amount(Money.parse(amount, currency)).build());
    }

    @Test
    void statusEventWithoutAmountKeepsTheKnownAmount() {
        PayoutState pending = after(PayoutState.none("po-1"),
                outcome(PayoutStatus.PENDING).stage("created").amount(Money.parse("12.50", "USD")).build());
        PayoutState done = after(pending, outcome(PayoutStatus.PAID).bankReference("UTR123").build());
        assertEquals(0, new BigDecimal("12.50").compareTo(done.amount().amount()));
        assertEquals("UTR123", done.bankReference());
        assertEquals(2, done.version());
    }

    @Test
    void partialRefundsAccumulateExactlyToFull() {
        PayoutState state = paid("10.00", "BRL");
        state = after(state, outcome(PayoutStatus.PARTIALLY_REFUNDED).adjustmentId("r1")
                .adjustmentAmount(Money.parse("3.00", "BRL")).build());
        assertEquals(PayoutStatus.PARTIALLY_REFUNDED, state.status());
        assertEquals(0, new BigDecimal("3.00").compareTo(state.refunded()));
        state = after(state, outcome(PayoutStatus.PARTIALLY_REFUNDED).adjustmentId("r2")
                .adjustmentAmount(Money.parse("7.00", "BRL")).build());
        assertEquals(PayoutStatus.REFUNDED, state.status(), "the refunds add up to what was paid");
        assertEquals(0, new BigDecimal("10.00").compareTo(state.refunded()));
    }

    @Test
    void refundBeyondPaidIsAConflict() {
        PayoutState state = paid("10.00", "BRL");
        state = after(state, outcome(PayoutStatus.PARTIALLY_REFUNDED).adjustmentId("r1")
                .adjustmentAmount(Money.parse("6.00", "BRL")).build());
        PayoutDecision d = PayoutDecision.decide(state, outcome(PayoutStatus.PARTIALLY_REFUNDED).adjustmentId("r2")
                .adjustmentAmount(Money.parse("4.01", "BRL")).build());
        assertEquals(ApplyResult.CONFLICT, d.result());
        assertTrue(d.anomaly().startsWith("refund_exceeds_paid"), d.anomaly());
        assertEquals(PayoutStatus.PARTIALLY_REFUNDED, d.next().status());
        assertEquals(0, new BigDecimal("6.00").compareTo(d.next().refunded()), "refunded total unchanged");
        assertTrue(d.next().flaggedForReview());
    }

    @Test
    void amountDisagreementIsFlaggedNotApplied() {
        PayoutState pending = after(PayoutState.none("po-1"),
                outcome(PayoutStatus.PENDING).stage("s").amount(Money.parse("100", "IDR")).build());
        PayoutDecision d = PayoutDecision.decide(pending, outcome(PayoutStatus.PAID).amount(Money.parse("1000", "IDR")).build());
        assertEquals(ApplyResult.CONFLICT, d.result());
        assertEquals(PayoutStatus.PENDING, d.next().status());
        assertEquals(pending.version(), d.next().version());
    }

    @Test
    void sameAmountAtAnotherScaleAgrees() {
        PayoutState pending = after(PayoutState.none("po-1"),
                outcome(PayoutStatus.PENDING).stage("s").amount(Money.parse("10", "USD")).build());
        assertEquals(ApplyResult.APPLIED, PayoutDecision.decide(pending,
                outcome(PayoutStatus.PAID).amount(Money.parse("10.00", "USD")).build()).result());
    }

    @Test
    void conflictKeepsStateAndFlagsOnce() {
        PayoutState state = paid("5", "USD");
        PayoutDecision d = PayoutDecision.decide(state, outcome(PayoutStatus.FAILED).failureReason("x").build());
        assertEquals(ApplyResult.CONFLICT, d.result());
        assertEquals(PayoutStatus.PAID, d.next().status());
        assertNull(d.next().failureReason());
        assertEquals(1, d.next().anomalies());
    }

    @Test
    void dedupKeysSeparateWhatMustApplySeparately() {
        PayoutOutcome paid = outcome(PayoutStatus.PAID).build();
        PayoutOutcome polledPaid = outcome(PayoutStatus.PAID).source(OutcomeSource.POLL).provider("other").build();
        PayoutOutcome notReceived = outcome(PayoutStatus.SUBMIT_NOT_RECEIVED).build();
        assertEquals(paid.dedupKey(), polledPaid.dedupKey(), "a webhook and a poll of one outcome are one outcome");
        assertNotEquals(paid.dedupKey(), notReceived.dedupKey());
        assertNotEquals(outcome(PayoutStatus.PENDING).stage("CREATED").build().dedupKey(),
                outcome(PayoutStatus.PENDING).stage("CONFIRMED").build().dedupKey());
        assertNotEquals(
                outcome(PayoutStatus.PARTIALLY_REFUNDED).adjustmentId("r1").adjustmentAmount(Money.parse("1", "BRL")).build().dedupKey(),
                outcome(PayoutStatus.PARTIALLY_REFUNDED).adjustmentId("r2").adjustmentAmount(Money.parse("1", "BRL")).build().dedupKey());
    }

    @Test
    void moneyIsExactAndStrict() {
        assertEquals("0.30", Money.parse("0.10", "USD").amount().add(Money.parse("0.20", "USD").amount()).toPlainString());
        assertThrows(IllegalArgumentException.class, () -> Money.parse("1e3", "USD"));
        assertThrows(IllegalArgumentException.class, () -> Money.parse("-5", "USD"));
        assertThrows(IllegalArgumentException.class, () -> Money.parse("5", "usd"));
        assertEquals("10.00", Money.ofMinorUnits("1000", 2, "BRL").amountText());
    }

    @Test
    void aDisagreementIsAConflictWithItsOwnCodeWhateverTheTableSays() {
        PayoutState paid = after(PayoutState.none("po-1"), outcome(PayoutStatus.PAID).amount(Money.parse("10.50", "USD"))
                .providerPayoutId("pp-1").bankReference("UTR1").build());
        PayoutDecision moreMoney = PayoutDecision.decide(paid, outcome(PayoutStatus.PAID).amount(Money.parse("99", "USD")).build());
        assertEquals(ApplyResult.CONFLICT, moreMoney.result());
        assertTrue(moreMoney.anomaly().startsWith("amount_mismatch"), moreMoney.anomaly());
        assertTrue(moreMoney.disagrees());
        assertEquals("10.50", moreMoney.next().amount().amountText(), "known values kept");
        assertTrue(PayoutDecision.decide(paid, outcome(PayoutStatus.PENDING).amount(Money.parse("10.50", "EUR")).build())
                .anomaly().startsWith("currency_mismatch"), "even where the table says stale");
        assertTrue(PayoutDecision.decide(paid, outcome(PayoutStatus.PAID).providerPayoutId("pp-2").build())
                .anomaly().startsWith("duplicate_provider_payout"));
        assertTrue(PayoutDecision.decide(paid, outcome(PayoutStatus.PAID).bankReference("UTR2").build())
                .anomaly().startsWith("duplicate_provider_payout"));
        assertEquals(ApplyResult.STALE, PayoutDecision.decide(paid, outcome(PayoutStatus.PAID).amount(Money.parse("10.5", "USD"))
                .providerPayoutId("pp-1").bankReference("UTR1").build()).result(), "the same thing said again");
        PayoutDecision statusConflict = PayoutDecision.decide(paid, outcome(PayoutStatus.FAILED).build());
        assertEquals(ApplyResult.CONFLICT, statusConflict.result());
        assertTrue(!statusConflict.disagrees(), "a contradicting status is not a disagreement about what it says");
    }

    @Test
    void aRegisteredProviderIsCheckedExceptForInternalServices() {
        PayoutState registered = PayoutState.none("po-1").registered(
                new Registration("po-1", "pivot", Money.parse("1000", "IDR"), null, null, T), T, T, false);
        PayoutDecision other = PayoutDecision.decide(registered, outcome(PayoutStatus.PAID).provider("m2money").build());
        assertTrue(other.anomaly().startsWith("provider_mismatch"), other.anomaly());
        assertEquals(ApplyResult.APPLIED, PayoutDecision.decide(registered, outcome(PayoutStatus.PAID).provider("slate")
                .source(OutcomeSource.INTERNAL).build()).result());
    }

    @Test
    void staleFillsInMissingFactsAndAnExcessRefundIsReviewedAsOne() {
        PayoutState paid = paid("6.00", "BRL");
        PayoutDecision late = PayoutDecision.decide(paid, outcome(PayoutStatus.PENDING).bankReference("E2E").build());
        assertEquals(ApplyResult.STALE, late.result());
        assertEquals("E2E", late.next().bankReference());
        assertEquals(PayoutStatus.PAID, late.next().status());
        PayoutState refunded = after(paid, outcome(PayoutStatus.REFUNDED).adjustmentId("r1")
                .adjustmentAmount(Money.parse("6", "BRL")).build());
        PayoutDecision excess = PayoutDecision.decide(refunded, outcome(PayoutStatus.PARTIALLY_REFUNDED).adjustmentId("r2")
                .adjustmentAmount(Money.parse("1", "BRL")).build());
        assertEquals(ApplyResult.CONFLICT, excess.result());
        assertTrue(excess.anomaly().startsWith("refund_exceeds_paid"), excess.anomaly());
    }

    @Test
    void identifiersRefuseControlCharactersAndAnOutcomeNeedsAWayToItsPayout() {
        assertThrows(IllegalArgumentException.class, () -> outcome(PayoutStatus.PAID).payoutReference("po\u00001").build());
        assertThrows(IllegalArgumentException.class, () -> PayoutOutcome.builder(null, PayoutStatus.PAID).provider("t")
                .receivedAt(T).build());
        assertThrows(IllegalArgumentException.class, () -> PayoutOutcome.builder(null, PayoutStatus.PAID).provider("t")
                .providerPayoutId("pp").receivedAt(T).build(), "a provider payout id is a way only where the provider says so");
        assertNull(PayoutOutcome.builder(null, PayoutStatus.PAID).provider("t").orderKey("k").receivedAt(T).build()
                .payoutReference());
    }
}
