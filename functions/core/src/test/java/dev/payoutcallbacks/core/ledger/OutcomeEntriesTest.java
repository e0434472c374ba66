package dev.payoutcallbacks.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payoutcallbacks.core.payout.ApplyResult;
import dev.payoutcallbacks.core.payout.HistoryEntry;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** lastOutcome's compact form: what the ledger reads stays an attribute, the rest deflates, and it expands back whole. */
class OutcomeEntriesTest {
    private static final String PAYLOAD = "{\"event\":\"payout.transfer.success\",\"data\":{\"clientRefId\":\"m2money-po-14\","
            + "\"firstName\":\"***\",\"lastName\":\"***\",\"email\":\"***\",\"phone\":\"***\",\"amount\":\"1500.00\","
            + "\"status\":\"processed\",\"utr\":\"412345678901\",\"accountNumber\":\"***\",\"accountIFSC\":\"***\"}}";

    private static PayoutOutcome outcome() {
        return PayoutOutcome.builder("m2money-po-14", PayoutStatus.PAID).provider("m2money")
                .amount(Money.parse("1500.00", "INR")).bankReference("412345678901")
                .receivedAt(Instant.parse("2026-11-21T08:00:00Z")).rawPayload(PAYLOAD).build();
    }

    private static Map<String, AttributeValue> plain(PayoutOutcome o, String anomaly) {
        Map<String, AttributeValue> compact = PayoutItems.outcomeEntry("HISTORY#2026-11-21T08:00:00.000000Z#abcd1234", o,
                ApplyResult.APPLIED, PayoutStatus.PAID, anomaly);
        return OutcomeEntries.expand(compact);
    }

    @Test
    void onlyTheKeyTheResultAndTheAnomalyStayAttributesAndTheRestExpandsBackWhole() {
        Map<String, AttributeValue> compact = PayoutItems.outcomeEntry("HISTORY#2026-11-21T08:00:00.000000Z#abcd1234",
                outcome(), ApplyResult.CONFLICT, PayoutStatus.PAID, "amount mismatch");
        assertEquals(Set.of("sk", "result", "anomaly", "z"), compact.keySet());
        assertEquals("CONFLICT", compact.get("result").s());
        assertEquals("amount mismatch", compact.get("anomaly").s());

        Map<String, AttributeValue> expanded = OutcomeEntries.expand(compact);
        assertEquals(PAYLOAD, expanded.get("rawPayload").s());
        assertEquals("412345678901", expanded.get("bankReference").s());
        assertEquals("1500.00", expanded.get("amount").s());
        assertEquals("INR", expanded.get("currency").s());
        assertEquals("paid", expanded.get("reported").s());
        assertEquals("m2money", expanded.get("provider").s());
        assertFalse(expanded.containsKey("z"));
        // The history entry a reader sees is the outcome itself.
        Map<String, AttributeValue> stateItem = new HashMap<>();
        stateItem.put("pk", AttributeValue.fromS("PAYOUT#m2money-po-14"));
        stateItem.put("version", AttributeValue.fromN("3"));
        stateItem.put(PayoutItems.LAST_OUTCOME, AttributeValue.fromM(compact));
        HistoryEntry entry = PayoutItems.historyEntry(PayoutItems.historyItem(stateItem).orElseThrow());
        assertEquals(PAYLOAD, entry.rawPayload());
        assertEquals(3, entry.versionAfter());
        assertEquals("amount mismatch", entry.anomaly());
    }

    @Test
    void theDedupKeysAnOutcomeWasRecordedUnderPackAndExpandBackAsAList() {
        List<String> keys = List.of("m2money-po-14|paid|disagrees:amount_mismatch:1600.00");
        Map<String, AttributeValue> compact = PayoutItems.outcomeEntry("HISTORY#2026-11-21T08:00:00.000000Z#abcd1234",
                outcome(), ApplyResult.CONFLICT, PayoutStatus.PAID, "amount_mismatch", keys);
        assertFalse(compact.containsKey(PayoutItems.RECORDED_AS), "packed with the rest");
        Map<String, AttributeValue> expanded = OutcomeEntries.expand(compact);
        assertEquals(keys, expanded.get(PayoutItems.RECORDED_AS).l().stream().map(AttributeValue::s).toList());
    }

    @Test
    void theCompactFormIsSmallerAndTheSameBytesForTheSameOutcome() {
        Map<String, AttributeValue> plain = plain(outcome(), null);
        Map<String, AttributeValue> compact = OutcomeEntries.compact(plain);
        // Measured on this M2Money outcome: 358 B against 476 B plain (the state item as a whole: 883 B against 968 B).
        assertTrue(size(compact) < size(plain) * 0.8, size(compact) + " vs " + size(plain));
        assertEquals(compact, OutcomeEntries.compact(new HashMap<>(plain)), "a retried write writes the same item");
    }

    @Test
    void aPlainLastOutcomeOfAnEarlierBuildStillReads() {
        Map<String, AttributeValue> plain = plain(outcome(), null);
        assertEquals(plain, OutcomeEntries.expand(plain));
    }

    @Test
    void anUnreadableCompactFormIsRefusedNotMisread() {
        Map<String, AttributeValue> broken = new HashMap<>(OutcomeEntries.compact(plain(outcome(), null)));
        broken.put("z", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2, 3})));
        assertThrows(IllegalArgumentException.class, () -> OutcomeEntries.expand(broken));
    }

    /** Attribute names + values, as DynamoDB sizes an item (strings UTF-8, binaries raw). */
    private static long size(Map<String, AttributeValue> item) {
        long bytes = 0;
        for (var e : item.entrySet()) {
            bytes += e.getKey().length();
            AttributeValue v = e.getValue();
            bytes += v.s() != null ? v.s().getBytes(StandardCharsets.UTF_8).length : v.b().asByteArray().length;
        }
        return bytes;
    }
}
