package dev.payoutcallbacks.core.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.provider.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How a recorded outcome is kept on the state item as {@code lastOutcome}: compact. The state item's size is
 * what every callback pays for (1 WCU per KB; a refused write is charged the stored item's size), and an
 * outcome is mostly text a provider repeats (its masked raw payload, and the bank reference, ids and amount
 * that payload also carries). So only what the ledger itself reads stays an attribute (the history key, the
 * result, the anomaly); every other field goes into one deflated JSON object, the binary {@code z}.
 *
 * <p>The HISTORY# item is the expanded form, field for field what it was before this encoding (plain
 * attributes, the payload as text): {@link #expand} is the one way back, and it also reads a plain
 * lastOutcome written before this encoding.
 */
final class OutcomeEntries {
    /**
     * Binary: raw DEFLATE (RFC 1951) of a UTF-8 JSON object of the entry's other fields: strings, and lists of
     * strings (the dedup keys an outcome was recorded under, when not just its news) as JSON arrays.
     */
    static final String PACKED = "z";
    /** Kept as attributes: the history key, and what the ledger reads when its own write's answer was lost. */
    private static final Set<String> KEPT = Set.of(PayoutItems.SK, PayoutItems.RESULT, PayoutItems.ANOMALY);

    private OutcomeEntries() {
    }

    /** The lastOutcome form of a plain outcome entry (every field a string or a list of strings). */
    static Map<String, AttributeValue> compact(Map<String, AttributeValue> entry) {
        Map<String, AttributeValue> out = new HashMap<>();
        ObjectNode packed = Json.newObject();
        // Sorted, so one outcome always packs to the same bytes (a write retried or replayed writes the same item).
        new TreeMap<>(entry).forEach((name, value) -> {
            if (KEPT.contains(name)) {
                out.put(name, value);
            } else if (value.s() != null) {
                packed.put(name, value.s());
            } else if (value.hasL() && value.l().stream().allMatch(v -> v.s() != null)) {
                ArrayNode list = packed.putArray(name);
                value.l().forEach(v -> list.add(v.s()));
            } else {
                throw new IllegalArgumentException("outcome field " + name + " is not a string");
            }
        });
        if (!packed.isEmpty()) {
            out.put(PACKED, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(deflate(Json.write(packed)
                    .getBytes(StandardCharsets.UTF_8)))));
        }
        return out;
    }

    /** The plain entry a lastOutcome stands for (either form). */
    static Map<String, AttributeValue> expand(Map<String, AttributeValue> lastOutcome) {
        AttributeValue packed = lastOutcome.get(PACKED);
        if (packed == null || packed.b() == null) {
            return new HashMap<>(lastOutcome); // written before the compact form
        }
        Map<String, AttributeValue> out = new HashMap<>(lastOutcome);
        out.remove(PACKED);
        JsonNode fields;
        try {
            fields = Json.MAPPER.readTree(inflate(packed.b().asByteArrayUnsafe()));
        } catch (IOException e) {
            throw new IllegalArgumentException("lastOutcome.z is not a JSON object: " + e.getMessage(), e);
        }
        Iterator<Map.Entry<String, JsonNode>> it = fields.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isArray()) {
                List<AttributeValue> list = new ArrayList<>();
                f.getValue().forEach(v -> list.add(AttributeValue.fromS(v.asText())));
                out.putIfAbsent(f.getKey(), AttributeValue.fromL(list));
            } else {
                out.putIfAbsent(f.getKey(), AttributeValue.fromS(f.getValue().asText()));
            }
        }
        return out;
    }

    static byte[] deflate(byte[] input) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setInput(input);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, input.length / 2));
            byte[] buffer = new byte[1024];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    static byte[] inflate(byte[] input) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream(input.length * 3);
            byte[] buffer = new byte[1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("lastOutcome.z is truncated");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("lastOutcome.z is not deflated data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }
}
