package dev.payoutcallbacks.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payoutcallbacks.core.payout.Applied;
import dev.payoutcallbacks.core.payout.ApplyResult;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.testing.TestTables;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A ledger recognises its own committed-but-unanswered write by its attempt id. Under SnapStart two execution
 * environments restored from one snapshot once drew the same ids (ThreadLocalRandom seeded before the snapshot):
 * the ledger must never take another writer's item for its own lost answer, whatever the ids.
 */
class AttemptIdentityTest {

    private static PayoutOutcome outcome(String reference, PayoutStatus status, int millis) {
        return PayoutOutcome.builder(reference, status).provider("test").amount(Money.parse("10.00", "USD"))
                .receivedAt(Instant.parse("2026-11-21T08:00:00Z").plusMillis(millis)).build();
    }

    @Test
    void anotherWritersItemWithTheSameAttemptIdIsNeverTakenForOurOwnAnswer() {
        String table = TestTables.freshPayoutsTable();
        PayoutLedger base = TestTables.ledger(table);
        // Two restored environments whose generators replay one sequence.
        PayoutLedger first = base.withAttemptIds(() -> "cloned-attempt-1");
        PayoutLedger second = base.withAttemptIds(() -> "cloned-attempt-1");

        assertEquals(ApplyResult.APPLIED, first.apply(outcome("po-twin", PayoutStatus.PAID, 1)).result());
        // The one write refuses paid → failed and hands back the item the first writer stored, with "its" id.
        Applied contradicting = second.apply(outcome("po-twin", PayoutStatus.FAILED, 2));

        assertEquals(ApplyResult.CONFLICT, contradicting.result(), "decided on its own, not the first writer's answer");
        Map<String, AttributeValue> item = TestTables.dynamo().client().getItem(b -> b.tableName(table).consistentRead(true)
                .key(TestTables.key("PAYOUT#po-twin", "STATE"))).item();
        Set<String> seen = new HashSet<>();
        item.get("seen").bs().forEach(k -> seen.add(HexFormat.of().formatHex(k.asByteArray())));
        assertTrue(seen.contains(HexFormat.of().formatHex(
                PayoutLedger.seenKey(outcome("po-twin", PayoutStatus.FAILED, 2).dedupKey()).asByteArray())),
                "the second outcome is recorded");
        assertEquals("paid", item.get("status").s());
        assertEquals("CONFLICT", item.get("lastOutcome").m().get("result").s());
    }

    @Test
    void attemptIdsDifferBetweenLedgersAndCalls() {
        String table = TestTables.freshPayoutsTable();
        PayoutLedger ledger = TestTables.ledger(table);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String reference = "po-ids-" + i;
            ledger.apply(outcome(reference, PayoutStatus.PAID, i));
            ids.add(TestTables.dynamo().client().getItem(b -> b.tableName(table).consistentRead(true)
                    .key(TestTables.key("PAYOUT#" + reference, "STATE"))).item().get("lastWrite").s());
        }
        assertEquals(50, ids.size(), "one distinct attempt id per write");
        assertTrue(ids.stream().allMatch(id -> id != null && id.length() == 16), ids.toString());
    }
}
