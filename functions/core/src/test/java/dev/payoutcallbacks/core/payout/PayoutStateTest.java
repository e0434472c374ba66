package dev.payoutcallbacks.core.payout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The copy-builder is the one place the 19 components are listed in order: each setter moves its own field only. */
class PayoutStateTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    private static PayoutState everyFieldSet() {
        return new PayoutState("po-1", PayoutStatus.PAID, 3, 7, Money.parse("100.50", "INR"), new BigDecimal("10.00"),
                "pivot", "pp-1", "ok-1", "utr-1", "bank said no", "settled", "amount_mismatch", 2, T.plusSeconds(1),
                T.plusSeconds(2), T.plusSeconds(3), 4, T.plusSeconds(5));
    }

    /** A value of each component's type unlike anything in {@link #everyFieldSet()}. */
    private static final Map<Class<?>, Object> OTHER = Map.of(
            String.class, "other", PayoutStatus.class, PayoutStatus.FAILED, long.class, 99L, int.class, 98,
            Money.class, Money.parse("1.000", "BHD"), BigDecimal.class, new BigDecimal("0.01"),
            Instant.class, T.minusSeconds(60));

    @Test
    void aCopyIsEqualToItsOriginal() {
        assertEquals(everyFieldSet(), everyFieldSet().toBuilder().build());
    }

    @Test
    void eachSetterChangesItsOwnComponentAndNoOther() throws Exception {
        PayoutState original = everyFieldSet();
        for (RecordComponent changed : PayoutState.class.getRecordComponents()) {
            if (changed.getName().equals("reference")) {
                continue; // a payout's identity: no setter on purpose
            }
            PayoutState.Builder builder = original.toBuilder();
            Object value = OTHER.get(changed.getType());
            PayoutState.Builder.class.getMethod(changed.getName(), changed.getType()).invoke(builder, value);
            PayoutState copy = builder.build();
            for (RecordComponent c : PayoutState.class.getRecordComponents()) {
                Object before = c.getAccessor().invoke(original);
                Object after = c.getAccessor().invoke(copy);
                if (c.getName().equals(changed.getName())) {
                    assertEquals(value, after, c.getName());
                    assertNotEquals(before, after, c.getName());
                } else {
                    assertEquals(before, after, "setting " + changed.getName() + " moved " + c.getName());
                }
            }
        }
    }

    @Test
    void aRegistrationKeepsWhatCallbacksAlreadyToldAndTakesTheRest() {
        PayoutState fromCallbacks = PayoutState.none("po-1").toBuilder().provider("slate").orderKey("ok-cb").build();
        Registration r = new Registration("po-1", "pivot", Money.parse("10", "IDR"), "ok-reg", "pp-reg", T);
        PayoutState kept = fromCallbacks.registered(r, T.plusSeconds(1), T, false);
        assertEquals("slate", kept.provider());
        assertEquals("ok-cb", kept.orderKey());
        assertEquals("pp-reg", kept.providerPayoutId());
        assertEquals(Money.parse("10", "IDR"), kept.amount());
        assertEquals(T.plusSeconds(1), kept.registeredAt());
        assertEquals(1, kept.revision());
        assertEquals("pivot", fromCallbacks.registered(r, T, T, true).provider(), "the internal route's name gives way");
    }

    @Test
    void flaggingKeepsTheFirstReasonAndTimeAndCountsEachAnomaly() {
        PayoutState once = PayoutState.none("po-1").flagged("amount_mismatch", T);
        PayoutState twice = once.flagged("currency_mismatch", T.plusSeconds(5));
        assertEquals("amount_mismatch", twice.reviewReason());
        assertEquals(T, twice.flaggedAt());
        assertEquals(2, twice.anomalies());
        assertEquals(2, twice.revision());
    }
}
