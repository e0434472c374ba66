package dev.payoutcallbacks.bench.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The calculators against the examples AWS gives with its rules. */
class CapacityRulesTest {

    @Test
    void stringsCountTheNameAndTheValueInUtf8() {
        // "shirt-color" = "R", "shirt-size" = "M": 11 + 1 + 10 + 1 bytes.
        assertEquals(23, ItemSize.of(Map.of("shirt-color", AttributeValue.fromS("R"),
                "shirt-size", AttributeValue.fromS("M"))));
        assertEquals(2 + 5, ItemSize.of(Map.of("pk", AttributeValue.fromS("é€")))); // name 2 + value 5 UTF-8 bytes (é 2, € 3)
    }

    @Test
    void numbersAreOneBytePerTwoSignificantDigitsPlusOne() {
        assertEquals(2, ItemSize.number("7"));
        assertEquals(2, ItemSize.number("100000"));        // one significant digit: trailing zeros trimmed
        assertEquals(3, ItemSize.number("123"));
        assertEquals(3, ItemSize.number("-0012.30"));      // 123
        assertEquals(5, ItemSize.number("1795248000"));    // 1795248: 7 significant digits -> 4 + 1
        assertEquals(1, ItemSize.number("0"));
        assertEquals(20, ItemSize.number("12345678901234567890123456789012345678")); // 38 digits
    }

    @Test
    void binaryBooleanNullListMapAndSets() {
        assertEquals(3 + 4, ItemSize.of(Map.of("bin", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[4])))));
        assertEquals(4 + 1, ItemSize.of(Map.of("flag", AttributeValue.fromBool(true))));
        assertEquals(4 + 1, ItemSize.of(Map.of("none", AttributeValue.fromNul(true))));
        // empty list/map: name + 3 bytes
        assertEquals(4 + 3, ItemSize.of(Map.of("list", AttributeValue.fromL(List.of()))));
        // list of "ab", "c": 3 + (1 + 2) + (1 + 1)
        assertEquals(1 + 3 + 3 + 2, ItemSize.of(Map.of("l", AttributeValue.fromL(List.of(
                AttributeValue.fromS("ab"), AttributeValue.fromS("c"))))));
        // map {"k": "v"}: 3 + (1 + 1 + 1)
        assertEquals(1 + 3 + 3, ItemSize.of(Map.of("m", AttributeValue.fromM(Map.of("k", AttributeValue.fromS("v"))))));
        assertEquals(2 + 3 + 2, ItemSize.of(Map.of("ss", AttributeValue.fromSs(List.of("abc", "de")))));
    }

    @Test
    void writesAreOneUnitPerKilobyteRoundedUpPerItem() {
        assertEquals(1, CapacityRules.writeUnits(0));      // minimum
        assertEquals(1, CapacityRules.writeUnits(500));
        assertEquals(1, CapacityRules.writeUnits(1024));
        assertEquals(2, CapacityRules.writeUnits(1025));
        assertEquals(4, CapacityRules.writeUnits(3500));   // 3.5 KB -> 4
        assertEquals(2, CapacityRules.transactionalWriteUnits(300));
        assertEquals(4, CapacityRules.transactionalWriteUnits(1500));
    }

    @Test
    void readsAreOneUnitPerFourKilobytesStrongHalfEventualDoubleTransactional() {
        // "reading a 3,500-byte item consumes the same throughput as reading a 4 KB item"
        assertEquals(1.0, CapacityRules.readUnits(3500, true));
        // "if your item size is 8 KB, you require 2 read units ... strongly consistent, 1 ... eventually
        //  consistent, or 4 for a transactional read"
        assertEquals(2.0, CapacityRules.readUnits(8 * 1024, true));
        assertEquals(1.0, CapacityRules.readUnits(8 * 1024, false));
        assertEquals(4.0, CapacityRules.transactionalReadUnits(8 * 1024));
        // BatchGetItem of 1.5 KB and 6.5 KB items: 4 KB + 8 KB = 12 KB, i.e. 3 units strongly consistent
        assertEquals(3.0, CapacityRules.readUnits(1536, true) + CapacityRules.readUnits(6656, true));
        // a missing item still costs the minimum
        assertEquals(1.0, CapacityRules.readUnits(0, true));
        assertEquals(0.5, CapacityRules.readUnits(0, false));
    }
}
