package dev.payoutcallbacks.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.payoutcallbacks.core.payout.ApplyResult;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutDecision;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutState;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.payout.StuckThresholds;
import dev.payoutcallbacks.core.testing.TestTables;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The one-write path against the decision it stands in for, on DynamoDB Local: for generated stored
 * states and outcomes, whenever the UpdateItem's condition holds, {@link PayoutDecision} must say APPLIED
 * and the item written must be the state the decision computes, attribute for attribute. A condition that
 * fails where the decision would apply is allowed (the Java path then applies) and counted.
 */
class OutcomeUpdateTest {
    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");
    private static final Set<String> NOT_STATE = Set.of("updatedAt", PayoutItems.LAST_OUTCOME, PayoutItems.LAST_WRITE,
            PayoutItems.SEEN, PayoutItems.RECORDED);

    private final DynamoDbClient db = TestTables.dynamo().client();
    private final String table = TestTables.freshPayoutsTable();
    private final StuckThresholds stuck = StuckThresholds.defaults();

    @Test
    void whereTheConditionHoldsTheWriteIsExactlyTheDecision() {
        Random random = new Random(Long.getLong("outcomeUpdate.seed", 20261121L));
        int pairs = Integer.getInteger("outcomeUpdate.pairs", 1500);
        Map<PayoutStatus, int[]> byTarget = new EnumMap<>(PayoutStatus.class); // [one write, Java path, not applied]
        int recordedOnly = 0;
        for (int i = 0; i < pairs; i++) {
            String reference = "ou-" + i;
            PayoutState stored = randomState(random, reference);
            PayoutOutcome outcome = randomOutcome(random, reference);
            String pk = PayoutItems.payoutKey(reference);
            if (stored != null) {
                db.putItem(b -> b.tableName(table).item(PayoutItems.stateItem(pk, stored, T0, stored.lastOutcomeAt() == null
                        ? null : stored.lastOutcomeAt().plus(stuck.forProvider(stored.provider())))));
            }
            PayoutState current = stored != null ? stored : PayoutState.none(reference);
            PayoutDecision decision = PayoutDecision.decide(current, outcome);
            Optional<UpdateItemRequest> update = OutcomeUpdate.request(table, pk, outcome, "HISTORY#x",
                    List.of(SdkBytes.fromByteArray(new byte[16])), null, "attempt", T0, stuck);
            int[] counts = byTarget.computeIfAbsent(outcome.status(), s -> new int[3]);
            Map<String, AttributeValue> written = null;
            if (update.isPresent()) {
                try {
                    written = db.updateItem(update.get()).attributes();
                } catch (ConditionalCheckFailedException refused) {
                    written = null;
                }
            }
            if (written == null) {
                counts[decision.result() == ApplyResult.APPLIED ? 1 : 2]++;
                if (stored != null && (decision.result() == ApplyResult.STALE || decision.result() == ApplyResult.CONFLICT)) {
                    // The record-only write of a stale or conflicting outcome, on the state it was decided on.
                    Map<String, AttributeValue> recorded = db.updateItem(OutcomeUpdate.recording(table, pk, current,
                            decision, outcome, "HISTORY#x", List.of(SdkBytes.fromByteArray(new byte[16])), null,
                            "attempt", T0)).attributes();
                    PayoutState expected = decision.result() == ApplyResult.STALE ? decision.next().touched() : decision.next();
                    assertEquals(comparable(PayoutItems.stateItem(pk, expected, T0, expected.lastOutcomeAt() == null ? null
                                    : expected.lastOutcomeAt().plus(stuck.forProvider(expected.provider())))),
                            comparable(recorded), "state recorded for " + decision.result() + " " + outcome.dedupKey()
                                    + " on " + current);
                    recordedOnly++;
                }
                continue;
            }
            counts[0]++;
            if (decision.result() != ApplyResult.APPLIED) {
                fail("the one write applied " + outcome.dedupKey() + " to " + current + " but the decision is "
                        + decision.result() + " (" + decision.anomaly() + ")");
            }
            PayoutState next = decision.next();
            Instant checkAfter = next.lastOutcomeAt().plus(stuck.forProvider(next.provider()));
            assertEquals(comparable(PayoutItems.stateItem(pk, next, T0, checkAfter)), comparable(written),
                    "state written by the one write vs the decision, " + outcome.dedupKey() + " on " + current);
        }
        int direct = byTarget.values().stream().mapToInt(c -> c[0]).sum();
        int javaPath = byTarget.values().stream().mapToInt(c -> c[1]).sum();
        int directNotRefund = 0;
        int javaNotRefund = 0;
        for (Map.Entry<PayoutStatus, int[]> e : byTarget.entrySet()) {
            if (!e.getKey().isRefund()) {
                directNotRefund += e.getValue()[0];
                javaNotRefund += e.getValue()[1];
            }
        }
        System.out.printf("outcome update: %d pairs, %d applied in one write, %d applied on the Java path, %d not applied"
                + " (%d stale/conflict recorded by the record-only write, each equal to the decision)%n",
                pairs, direct, javaPath, pairs - direct - javaPath, recordedOnly);
        assertTrue(recordedOnly > pairs / 10, "the record-only write was exercised: " + recordedOnly);
        byTarget.forEach((s, c) -> System.out.printf("  %-20s one write %4d, Java path %4d, not applied %4d%n",
                s.wireName(), c[0], c[1], c[2]));
        // The one write must carry the common cases, not only be safe. Refunds whose generated amount does
        // not match what is left take the Java path by design (aRefund... below covers their one write).
        assertTrue(directNotRefund > 3 * javaNotRefund, "one write " + directNotRefund + " vs Java path " + javaNotRefund);
        for (PayoutStatus s : PayoutStatus.values()) {
            assertTrue(s == PayoutStatus.REFUNDED || byTarget.get(s)[0] > 0, "no outcome " + s + " took the one write");
        }
    }

    @Test
    void aRefundAddsToTheRefundedTotalInTheWriteItself() {
        String pk = PayoutItems.payoutKey("ou-refund");
        PayoutState paid = PayoutState.none("ou-refund").applied(PayoutOutcome.builder("ou-refund", PayoutStatus.PAID)
                .provider("test").amount(Money.parse("10.00", "USD")).receivedAt(T0).build(), PayoutStatus.PAID, BigDecimal.ZERO);
        db.putItem(b -> b.tableName(table).item(PayoutItems.stateItem(pk, paid, T0, null)));
        for (int i = 1; i <= 3; i++) {
            PayoutOutcome refund = PayoutOutcome.builder("ou-refund", PayoutStatus.PARTIALLY_REFUNDED).provider("test")
                    .adjustmentId("r" + i).adjustmentAmount(Money.parse("2.50", "USD")).receivedAt(T0.plusSeconds(i)).build();
            db.updateItem(OutcomeUpdate.request(table, pk, refund, "HISTORY#r" + i,
                    List.of(PayoutLedger.seenKey(refund.dedupKey())), null, "a" + i, T0, stuck).orElseThrow());
        }
        Map<String, AttributeValue> item = db.getItem(b -> b.tableName(table)
                .key(PayoutItems.key(pk, PayoutItems.STATE_SK)).consistentRead(true)).item();
        assertEquals(0, new BigDecimal("7.50").compareTo(new BigDecimal(item.get("refunded").n())));
        assertEquals(0, new BigDecimal("2.50").compareTo(new BigDecimal(item.get(PayoutItems.REFUNDABLE).n())));
        assertEquals("partially_refunded", item.get("status").s());
        assertEquals("4", item.get("version").n());
        PayoutOutcome tooMuch = PayoutOutcome.builder("ou-refund", PayoutStatus.PARTIALLY_REFUNDED).provider("test")
                .adjustmentId("r9").adjustmentAmount(Money.parse("2.51", "USD")).receivedAt(T0).build();
        try {
            db.updateItem(OutcomeUpdate.request(table, pk, tooMuch, "HISTORY#r9",
                    List.of(PayoutLedger.seenKey(tooMuch.dedupKey())), null, "a9", T0, stuck).orElseThrow());
            fail("a refund beyond what is left must not apply in the one write");
        } catch (ConditionalCheckFailedException refused) {
            assertEquals("4", refused.item().get("version").n(), "the stored payout comes back with the refusal");
        }
        PayoutOutcome rest = PayoutOutcome.builder("ou-refund", PayoutStatus.REFUNDED).provider("test")
                .adjustmentId("r4").adjustmentAmount(Money.parse("2.5", "USD")).receivedAt(T0).build();
        Map<String, AttributeValue> full = db.updateItem(OutcomeUpdate.request(table, pk, rest, "HISTORY#r4",
                List.of(PayoutLedger.seenKey(rest.dedupKey())), null, "a4", T0, stuck).orElseThrow()).attributes();
        assertEquals("refunded", full.get("status").s());
        assertEquals(0, BigDecimal.ZERO.compareTo(new BigDecimal(full.get(PayoutItems.REFUNDABLE).n())));
    }

    /** Attributes as comparable text; numbers by value ("7.5" = "7.50"). */
    private static Map<String, String> comparable(Map<String, AttributeValue> item) {
        Map<String, String> out = new TreeMap<>();
        item.forEach((name, v) -> {
            if (!NOT_STATE.contains(name)) {
                out.put(name, v.n() != null ? new BigDecimal(v.n()).stripTrailingZeros().toPlainString() : String.valueOf(v.s()));
            }
        });
        return out;
    }

    private static <T> T pick(Random r, List<T> options) {
        return options.get(r.nextInt(options.size()));
    }

    private static PayoutState randomState(Random r, String reference) {
        if (r.nextInt(8) == 0) {
            return null;
        }
        List<PayoutStatus> statuses = new ArrayList<>(List.of(PayoutStatus.values()));
        statuses.add(null);
        PayoutStatus status = pick(r, statuses);
        Money amount = pick(r, Arrays.asList(null, Money.parse("100.00", "USD"), Money.parse("100.00", "USD"),
                Money.parse("60", "EUR")));
        BigDecimal refunded = status == PayoutStatus.PARTIALLY_REFUNDED ? new BigDecimal(pick(r, List.of("40.00", "10")))
                : status == PayoutStatus.REFUNDED && amount != null ? amount.amount() : BigDecimal.ZERO;
        if (amount != null && refunded.compareTo(amount.amount()) > 0) {
            refunded = BigDecimal.ZERO;
        }
        boolean registered = r.nextBoolean();
        String provider = registered ? pick(r, List.of("test", "test", "other")) : pick(r, Arrays.asList(null, "test", "other"));
        String review = r.nextInt(4) == 0 ? "conflict: earlier" : null;
        Instant last = status == null ? null : T0.minusSeconds(600);
        return new PayoutState(reference, status, status == null ? 0 : 1 + r.nextInt(3), 1 + r.nextInt(5), amount, refunded,
                provider, r.nextBoolean() ? "pp-1" : null, r.nextBoolean() ? "order-1" : null,
                r.nextBoolean() ? "utr-1" : null, status == PayoutStatus.FAILED ? "earlier reason" : null,
                r.nextBoolean() ? "QUEUED" : null, review, review == null ? 0 : 1, last,
                registered ? T0.minusSeconds(3600) : null, registered ? T0.minusSeconds(3600) : null, r.nextInt(3),
                review == null ? null : T0.minusSeconds(60));
    }

    private static PayoutOutcome randomOutcome(Random r, String reference) {
        PayoutStatus status = pick(r, List.of(PayoutStatus.values()));
        PayoutOutcome.Builder b = PayoutOutcome.builder(reference, status).provider(pick(r, List.of("test", "test", "other")))
                .receivedAt(T0.plusSeconds(r.nextInt(100)));
        b.amount(pick(r, Arrays.asList(null, null, Money.parse("100.00", "USD"), Money.parse("100.0", "USD"),
                Money.parse("90", "USD"), Money.parse("100.00", "EUR"))));
        if (status.isRefund() || status == PayoutStatus.REVERSED || r.nextInt(4) == 0) {
            b.adjustmentAmount(pick(r, List.of(Money.parse("10", "USD"), Money.parse("60.00", "USD"),
                    Money.parse("100.00", "USD"), Money.parse("50", "USD"), Money.parse("10", "EUR"))));
            b.adjustmentId("adj-" + r.nextInt(3));
        }
        if (r.nextBoolean()) {
            b.stage(pick(r, List.of("CREATED", "IN_PROGRESS")));
        }
        if (r.nextBoolean()) {
            b.failureReason("bank said no");
        }
        if (r.nextBoolean()) {
            b.bankReference("utr-2");
        }
        if (r.nextBoolean()) {
            b.providerPayoutId(pick(r, List.of("pp-1", "pp-1", "pp-2"))); // mostly the known one, sometimes another
        }
        if (r.nextBoolean()) {
            b.orderKey("order-2");
        }
        return b.build();
    }
}
