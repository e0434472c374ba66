package dev.payoutcallbacks.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payoutcallbacks.core.payout.Applied;
import dev.payoutcallbacks.core.payout.ApplyResult;
import dev.payoutcallbacks.core.payout.BatchNotice;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutState;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.payout.Registration;
import dev.payoutcallbacks.core.payout.StuckThresholds;
import dev.payoutcallbacks.core.testing.TestTables;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistrationAndOpenPayoutsTest {
    private static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");
    private PayoutLedger ledger;
    private PayoutRegistrations registrations;
    private OpenPayouts open;

    @BeforeEach
    void setUp() {
        ledger = new PayoutLedger(TestTables.table(TestTables.freshPayoutsTable()), Clock.fixed(NOW, ZoneOffset.UTC),
                LedgerSettings.defaults().withStuckAfter(StuckThresholds.parse("default=30,pivot=60")));
        registrations = new PayoutRegistrations(ledger);
        open = new OpenPayouts(ledger.table(), ledger.clock());
    }

    private Registration registration(String ref, String amount) {
        return new Registration(ref, "pivot", Money.parse(amount, "IDR"), "order-" + ref, null, NOW.minusSeconds(60));
    }

    private PayoutOutcome.Builder outcome(String ref, PayoutStatus status) {
        return PayoutOutcome.builder(ref, status).provider("pivot").receivedAt(NOW);
    }

    private List<String> dueReferences(Instant at) {
        return open.due("pivot", at, 50, null).due().stream().map(OpenPayouts.Due::reference).toList();
    }

    @Test
    void registrationIsIdempotentAndRefusesADifferentSecondRegistration() {
        assertEquals(PayoutRegistrations.Result.REGISTERED, registrations.register(registration("a", "1000")).result());
        assertEquals(PayoutRegistrations.Result.ALREADY_REGISTERED, registrations.register(registration("a", "1000.00")).result());
        assertEquals(PayoutRegistrations.Result.DIFFERS_FROM_REGISTRATION,
                registrations.register(registration("a", "999")).result());
        PayoutState s = ledger.read("a").orElseThrow().state();
        assertTrue(s.registered());
        assertEquals("1000", s.amount().amountText());
        assertNull(s.status());
    }

    @Test
    void callbackDisagreeingWithTheRegistrationIsFlaggedNotApplied() {
        registrations.register(registration("b", "1000"));
        Applied applied = ledger.apply(outcome("b", PayoutStatus.PAID).amount(Money.parse("1500", "IDR")).build());
        assertEquals(ApplyResult.CONFLICT, applied.result());
        PayoutState s = ledger.read("b").orElseThrow().state();
        assertNull(s.status());
        assertTrue(s.reviewReason().startsWith("amount_mismatch"));
        // The same disagreement again is its duplicate; the paid outcome that agrees is news, and applies.
        assertEquals(ApplyResult.DUPLICATE, ledger.apply(outcome("b", PayoutStatus.PAID)
                .amount(Money.parse("1500.00", "IDR")).build()).result());
        assertEquals(ApplyResult.APPLIED, ledger.apply(outcome("b", PayoutStatus.PAID)
                .amount(Money.parse("1000", "IDR")).build()).result());
    }

    @Test
    void callbackBeforeRegistrationIsRecordedUnregisteredThenChecked() {
        ledger.apply(outcome("c", PayoutStatus.PENDING).stage("x").amount(Money.parse("700", "IDR")).build());
        assertFalse(ledger.read("c").orElseThrow().state().registered());
        PayoutRegistrations.Registered r = registrations.register(registration("c", "800"));
        assertEquals(PayoutRegistrations.Result.REGISTERED, r.result());
        assertTrue(r.anomaly().startsWith("amount_mismatch"));
        PayoutState s = ledger.read("c").orElseThrow().state();
        assertTrue(s.registered());
        assertTrue(s.flaggedForReview());
        assertEquals(PayoutStatus.PENDING, s.status());
    }

    @Test
    void onlyOpenPayoutsPastTheirProvidersThresholdAreDue() {
        registrations.register(registration("open-1", "10"));
        ledger.apply(outcome("open-2", PayoutStatus.PENDING).stage("x").build());
        ledger.apply(outcome("done-1", PayoutStatus.PAID).build());
        assertEquals(List.of(), dueReferences(NOW.plus(Duration.ofMinutes(30))), "pivot's threshold is 60 minutes");
        assertEquals(List.of("open-1", "open-2"), dueReferences(NOW.plus(Duration.ofMinutes(61))));

        ledger.apply(outcome("open-2", PayoutStatus.PAID).build());
        assertEquals(List.of("open-1"), dueReferences(NOW.plus(Duration.ofMinutes(61))), "terminal leaves the index");
    }

    @Test
    void unresolvedPollsBackOffAndGivingUpFlagsForReview() {
        registrations.register(registration("d", "10"));
        PayoutState seen = open.state("d").orElseThrow();
        assertTrue(open.pollUnresolved(seen, NOW.plus(Duration.ofHours(5))));
        assertFalse(open.pollUnresolved(seen, NOW), "a stale read writes nothing");
        assertEquals(List.of(), dueReferences(NOW.plus(Duration.ofHours(2))));
        assertEquals(List.of("d"), dueReferences(NOW.plus(Duration.ofHours(6))));

        PayoutState again = open.state("d").orElseThrow();
        assertEquals(1, again.pollAttempts());
        assertTrue(open.giveUp(again, "reconciler_gave_up: 2 polls without an answer"));
        assertEquals(List.of(), dueReferences(NOW.plus(Duration.ofDays(30))));
        PayoutState flagged = open.state("d").orElseThrow();
        assertTrue(flagged.flaggedForReview());
        assertEquals(2, flagged.pollAttempts());
    }

    @Test
    void pagesOfDueWorkContinueFromAnOpaqueCursorCarriedAsText() {
        for (String ref : List.of("p1", "p2", "p3")) {
            registrations.register(registration(ref, "1000"));
        }
        Instant later = NOW.plus(Duration.ofHours(2));
        OpenPayouts.Page first = open.due("pivot", later, 2, null);
        assertEquals(2, first.due().size());
        assertTrue(first.hasMore());
        Cursor carried = Cursor.decode(first.next().encode());
        assertEquals(first.next(), carried, "the text form decodes to the same cursor");
        OpenPayouts.Page second = open.due("pivot", later, 2, carried);
        assertEquals(1, second.due().size());
        assertFalse(second.hasMore());
        List<String> all = new ArrayList<>();
        first.due().forEach(d -> all.add(d.reference()));
        second.due().forEach(d -> all.add(d.reference()));
        assertEquals(Set.of("p1", "p2", "p3"), Set.copyOf(all), "every payout once, none twice");
        assertThrows(IllegalArgumentException.class, () -> Cursor.decode("not-a-cursor"));
        assertThrows(IllegalArgumentException.class, () -> Cursor.decode(Base64.getUrlEncoder()
                .encodeToString("{\"PK\":{\"B\":\"AA==\"}}".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void bulkNoticesAreDueAtOnceUntilResolved() {
        ledger.recordBatchNotice(new BatchNotice("pivot", "batch-1", "PAYOUT.DONE", "{}", NOW, "{}"));
        List<OpenPayouts.Due> due = open.due("pivot", NOW, 10, null).due();
        assertEquals(1, due.size());
        assertTrue(due.get(0).batch());
        open.batchResolved(due.get(0), 3);
        assertEquals(List.of(), open.due("pivot", NOW.plusSeconds(60), 10, null).due());
    }

    @Test
    void aLateRegistrationMeetsTheChecksACallbackAfterItMeets() {
        ledger.apply(outcome("d", PayoutStatus.PAID).amount(Money.parse("1000", "IDR")).build()); // from pivot
        PayoutRegistrations.Registered otherProvider = registrations.register(
                new Registration("d", "m2money", Money.parse("1000", "IDR"), null, null, NOW));
        assertTrue(otherProvider.anomaly().startsWith("provider_mismatch"), otherProvider.anomaly());
        assertTrue(ledger.read("d").orElseThrow().state().flaggedForReview());

        ledger.apply(outcome("e", PayoutStatus.PAID).amount(Money.parse("1000", "IDR")).build());
        PayoutRegistrations.Registered otherCurrency = registrations.register(
                new Registration("e", "pivot", Money.parse("1000", "USD"), null, null, NOW));
        assertTrue(otherCurrency.anomaly().startsWith("currency_mismatch"), otherCurrency.anomaly());

        // The other order: registered with m2money, a callback from pivot is flagged the same way.
        registrations.register(new Registration("f", "m2money", Money.parse("1000", "IDR"), null, null, NOW));
        Applied fromPivot = ledger.apply(outcome("f", PayoutStatus.PAID).amount(Money.parse("1000", "IDR")).build());
        assertEquals(ApplyResult.CONFLICT, fromPivot.result());
        assertTrue(fromPivot.anomaly().startsWith("provider_mismatch"), fromPivot.anomaly());
    }

    @Test
    void aRegisteredOrderKeyAndProviderPayoutIdFindThePayout() {
        registrations.register(new Registration("g", "pivot", Money.parse("1000", "IDR"), "order-g", "pp-g", NOW));
        Applied byOrderKey = ledger.apply(PayoutOutcome.builder(null, PayoutStatus.PENDING).stage("s").orderKey("order-g")
                .provider("pivot").receivedAt(NOW).build());
        assertEquals("g", byOrderKey.state().reference());
        Applied byPayoutId = ledger.apply(PayoutOutcome.builder(null, PayoutStatus.PAID).providerPayoutId("pp-g")
                .identifiedByProviderPayoutId().amount(Money.parse("1000", "IDR")).provider("pivot").receivedAt(NOW).build());
        assertEquals(ApplyResult.APPLIED, byPayoutId.result());
        assertEquals("g", byPayoutId.state().reference());
    }
}
