package dev.payoutcallbacks.core.provider;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One strict JSON reader for every callback: tree model only (no reflection binding), duplicate keys
 * rejected, decimals read exactly, nesting and number length bounded.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder(new JsonFactoryBuilder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxNumberLength(40)
                            .maxStringLength(64 * 1024)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final String MASK = "***";

    private Json() {
    }

    /**
     * Parses a callback body that must be a JSON object. Numbers in exponent notation are refused: an
     * amount such as 1.5e3 is ambiguous to people and to some senders' serialisers alike.
     */
    public static ObjectNode object(byte[] body) throws CallbackRejected {
        JsonNode node;
        try {
            rejectExponents(body);
            node = MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            // Jackson's message names its own settings and methods: say what the sender can change.
            throw CallbackRejected.malformed("body exceeds this receiver's limits (nesting at most 32 deep, numbers at"
                    + " most 40 digits, strings at most 64 KB)");
        } catch (JsonProcessingException e) {
            throw CallbackRejected.malformed("body is not valid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw CallbackRejected.malformed("body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw CallbackRejected.malformed("body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private static void rejectExponents(byte[] body) throws IOException, CallbackRejected {
        try (JsonParser parser = MAPPER.createParser(body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                    String text = parser.getText();
                    if (text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
                        throw CallbackRejected.malformed("numbers in exponent notation are not accepted: " + text);
                    }
                }
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 160 ? line.substring(0, 160) : line;
    }

    /** A copy of the payload with every field named in {@code personal} masked, at any depth. */
    public static String masked(JsonNode payload, Set<String> personal) {
        JsonNode copy = payload.deepCopy();
        mask(copy, personal);
        return write(copy);
    }

    private static void mask(JsonNode node, Set<String> personal) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (personal.contains(field.getKey()) && !field.getValue().isNull()) {
                    field.setValue(TextNode.valueOf(MASK));
                } else {
                    mask(field.getValue(), personal);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> mask(child, personal));
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Text of a field that may arrive as a JSON string or number (exact, no exponent expansion). A string is
     * taken as sent: " 10.00" is not an amount (refused by the parser that reads it), nor an id equal to "10".
     */
    public static String scalarText(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber()) {
            return node.isBigDecimal() ? node.decimalValue().toPlainString() : node.asText();
        }
        return null;
    }

    /** Text of an optional string field; null when absent or JSON null. */
    public static String text(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        return node == null || node.isNull() ? null : node.isValueNode() ? node.asText() : null;
    }

    public static ObjectNode newObject() {
        return MAPPER.createObjectNode();
    }
}
