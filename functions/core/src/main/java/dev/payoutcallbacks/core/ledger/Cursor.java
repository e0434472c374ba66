package dev.payoutcallbacks.core.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Where the next page of an index read starts: opaque to its users (the table's key shape stays inside the
 * storage code). Passed back as it came, or carried as text ({@link #encode()} / {@link #decode(String)}:
 * URL-safe Base64 of the last evaluated key's string and number attributes).
 */
public final class Cursor {
    private final Map<String, AttributeValue> key;

    private Cursor(Map<String, AttributeValue> key) {
        this.key = Map.copyOf(key);
    }

    /** The cursor after a page, or null when the page was the last one. */
    static Cursor after(QueryResponse page) {
        Map<String, AttributeValue> next = PayoutItems.nextPage(page);
        return next == null ? null : new Cursor(next);
    }

    /** The exclusive start key for the next query; null (from the start) for a null cursor. */
    static Map<String, AttributeValue> startKey(Cursor cursor) {
        return cursor == null ? null : cursor.key;
    }

    /** The cursor as URL-safe text. */
    public String encode() {
        ObjectNode json = Json.newObject();
        for (Map.Entry<String, AttributeValue> e : new TreeMap<>(key).entrySet()) {
            AttributeValue v = e.getValue();
            if (v.s() != null) {
                json.putObject(e.getKey()).put("S", v.s());
            } else if (v.n() != null) {
                json.putObject(e.getKey()).put("N", v.n());
            } else {
                throw new IllegalStateException("a key attribute that is neither a string nor a number: " + e.getKey());
            }
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(json).getBytes(StandardCharsets.UTF_8));
    }

    /** A cursor from {@link #encode()}'s text. */
    public static Cursor decode(String text) {
        ObjectNode json;
        try {
            json = Json.object(Base64.getUrlDecoder().decode(text));
        } catch (IllegalArgumentException | CallbackRejected malformed) {
            throw new IllegalArgumentException("not a page cursor");
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.size() == 1 && v.path("S").isTextual()) {
                key.put(e.getKey(), AttributeValue.fromS(v.get("S").textValue()));
            } else if (v.size() == 1 && v.path("N").isTextual()) {
                key.put(e.getKey(), AttributeValue.fromN(v.get("N").textValue()));
            } else {
                throw new IllegalArgumentException("not a page cursor");
            }
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("not a page cursor");
        }
        return new Cursor(key);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cursor c && c.key.equals(key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return "Cursor[" + encode() + "]";
    }
}
