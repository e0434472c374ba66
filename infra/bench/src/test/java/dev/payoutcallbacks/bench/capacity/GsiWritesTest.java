package dev.payoutcallbacks.bench.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** GSI write rules: entering, leaving, key change (delete + put), projected change, untouched. */
class GsiWritesTest {
    private static final DynamoCallLog.Index OPEN =
            new DynamoCallLog.Index("OpenPayouts", List.of("openProvider", "checkAfter"), List.of("reference"));
    private static final List<String> TABLE_KEYS = List.of("pk", "sk");

    private static Map<String, AttributeValue> item(String... nameValues) {
        HashMap<String, AttributeValue> m = new HashMap<>();
        m.put("pk", AttributeValue.fromS("PAYOUT#x"));
        m.put("sk", AttributeValue.fromS("STATE"));
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            m.put(nameValues[i], AttributeValue.fromS(nameValues[i + 1]));
        }
        return m;
    }

    @Test
    void anItemOutsideTheIndexBeforeAndAfterCostsNothing() {
        assertEquals(0, DynamoCallLog.indexWrites(OPEN, TABLE_KEYS, null, item("status", "paid")));
        assertEquals(0, DynamoCallLog.indexWrites(OPEN, TABLE_KEYS, item("status", "paid"), item("status", "failed")));
    }

    @Test
    void enteringOrLeavingTheIndexCostsOneWrite() {
        assertEquals(1, DynamoCallLog.indexWrites(OPEN, TABLE_KEYS, null,
                item("openProvider", "pivot", "checkAfter", "t1", "reference", "x")));
        assertEquals(1, DynamoCallLog.indexWrites(OPEN, TABLE_KEYS,
                item("openProvider", "pivot", "checkAfter", "t1", "reference", "x"), item("status", "paid")));
    }

    @Test
    void aChangedIndexKeyCostsADeleteAndAPut() {
        assertEquals(2, DynamoCallLog.indexWrites(OPEN, TABLE_KEYS,
                item("openProvider", "pivot", "checkAfter", "t1"), item("openProvider", "pivot", "checkAfter", "t2")));
    }

    @Test
    void onlyProjectedAttributesCountAsAChange() {
        assertEquals(0, DynamoCallLog.indexWrites(OPEN, TABLE_KEYS,
                item("openProvider", "pivot", "checkAfter", "t1", "status", "pending"),
                item("openProvider", "pivot", "checkAfter", "t1", "status", "delayed")));
        assertEquals(1, DynamoCallLog.indexWrites(OPEN, TABLE_KEYS,
                item("openProvider", "pivot", "checkAfter", "t1", "reference", "a"),
                item("openProvider", "pivot", "checkAfter", "t1", "reference", "b")));
    }
}
