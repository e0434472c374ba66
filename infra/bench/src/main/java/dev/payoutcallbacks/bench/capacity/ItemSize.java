package dev.payoutcallbacks.bench.capacity;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB item size by AWS's documented rules (Developer Guide, "DynamoDB item sizes and formats",
 * CapacityUnitCalculations.html):
 * <ul>
 *   <li>every attribute: UTF-8 bytes of its name + the size of its value;</li>
 *   <li>String: UTF-8 bytes; Binary: raw bytes; Boolean and Null: 1 byte;</li>
 *   <li>Number: about 1 byte per two significant digits + 1 byte (leading and trailing zeros trimmed);</li>
 *   <li>List and Map: 3 bytes + their elements, + 1 byte per element (a Map element counts its name);</li>
 *   <li>sets: the sum of their elements.</li>
 * </ul>
 * The 100 bytes per item of storage overhead are for storage billing, not for capacity units.
 */
public final class ItemSize {
    private ItemSize() {
    }

    /** Size in bytes of an item; 0 for null. */
    public static long of(Map<String, AttributeValue> item) {
        if (item == null) {
            return 0;
        }
        long total = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            total += utf8(e.getKey()) + value(e.getValue());
        }
        return total;
    }

    /** Size of one value, without its name. */
    public static long value(AttributeValue v) {
        return switch (v.type()) {
            case S -> utf8(v.s());
            case N -> number(v.n());
            case B -> bytes(v.b());
            case BOOL, NUL -> 1;
            case SS -> v.ss().stream().mapToLong(ItemSize::utf8).sum();
            case NS -> v.ns().stream().mapToLong(ItemSize::number).sum();
            case BS -> v.bs().stream().mapToLong(ItemSize::bytes).sum();
            case L -> 3 + v.l().stream().mapToLong(e -> 1 + value(e)).sum();
            case M -> 3 + v.m().entrySet().stream().mapToLong(e -> 1 + utf8(e.getKey()) + value(e.getValue())).sum();
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("unknown attribute type");
        };
    }

    /** (1 byte per two significant digits) + 1 byte; zero is 1 byte. */
    public static long number(String n) {
        int digits = significantDigits(n);
        return (digits + 1) / 2 + 1;
    }

    static int significantDigits(String n) {
        String s = n.trim();
        int exponent = Math.max(s.indexOf('e'), s.indexOf('E'));
        if (exponent >= 0) {
            s = s.substring(0, exponent);
        }
        StringBuilder digits = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        int start = 0;
        int end = digits.length();
        while (start < end && digits.charAt(start) == '0') {
            start++;
        }
        while (end > start && digits.charAt(end - 1) == '0') {
            end--;
        }
        return end - start;
    }

    public static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long bytes(SdkBytes b) {
        return b.asByteArrayUnsafe().length;
    }
}
