package dev.payoutcallbacks.core.lambda;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.provider.Json;
import java.io.PrintStream;

/**
 * One structured JSON line per callback, which is also a CloudWatch Embedded Metric Format record: the
 * Lambda log stream turns it into metrics (no client, no extra call). Only identifiers and outcomes: never a
 * body, a header value or a personal field.
 *
 * <p>Metrics in namespace {@value #NAMESPACE}: {@code Callbacks} (count) and {@code Latency} (ms), by
 * (provider, result) and by result alone — results APPLIED, DUPLICATE, STALE, CONFLICT, RECORDED,
 * unauthenticated, quarantined, unavailable (our 5xx), too_large, malformed_encoding, replayed — and
 * {@code Anomalies} when a CONFLICT carries one (amount mismatch, refund beyond paid...). An authenticated
 * callback's line names the key it matched, {@code matchedKey} = {@code <secret key>:<position>/<count>} (e.g.
 * {@code pivotCallbackApiKeys:2/2}; never the key itself), also a dimension of {@code Callbacks}, so an operator
 * sees when the old key of a rotation is no longer used.
 */
public final class CallbackLog {
    public static final String NAMESPACE = "PayoutCallbacks";

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
        if (line.hasNonNull("result")) {
            ObjectNode aws = line.putObject("_aws");
            aws.put("Timestamp", System.currentTimeMillis());
            ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
            directive.put("Namespace", NAMESPACE);
            ArrayNode dimensions = directive.putArray("Dimensions");
            dimensions.addArray().add("provider").add("result");
            dimensions.addArray().add("result");
            dimensions.addArray(); // no dimension: the total, for rates
            if (line.hasNonNull("matchedKey")) {
                // Rotation: which configured key (setting:position/count, never the key) callbacks come with.
                dimensions.addArray().add("provider").add("matchedKey");
            }
            ArrayNode metrics = directive.putArray("Metrics");
            metrics.addObject().put("Name", "Callbacks").put("Unit", "Count");
            line.put("Callbacks", 1);
            if (line.has("latencyMs")) {
                metrics.addObject().put("Name", "Latency").put("Unit", "Milliseconds");
                line.put("Latency", line.get("latencyMs").asLong());
            }
            if (line.has("anomaly")) {
                metrics.addObject().put("Name", "Anomalies").put("Unit", "Count");
                line.put("Anomalies", 1);
            }
        }
        out.println(Json.write(line));
    }
}
