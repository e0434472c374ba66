package dev.payoutcallbacks.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;

/**
 * One structured JSON line per callback. Only identifiers and outcomes: never a body, a header value
 * or a personal field.
 */
public final class CallbackLog {
    private static volatile PrintStream out = System.out;

    private CallbackLog() {
    }

    /** For tests that read what was logged. */
    public static void redirect(PrintStream stream) {
        out = stream;
    }

    public static ObjectNode line(String provider, String requestId) {
        ObjectNode line = Json.newObject();
        line.put("provider", provider);
        if (requestId != null) {
            line.put("requestId", requestId);
        }
        return line;
    }

    public static void emit(ObjectNode line) {
        out.println(Json.write(line));
    }
}
