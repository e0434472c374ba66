package dev.payoutcallbacks.reconciler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.provider.Json;
import java.util.List;

/**
 * What one reconciler pass did: the handler's answer and its one log line. Counts only: no reference, no
 * provider answer, no secret.
 *
 * @param providers        providers looked after, in pass order
 * @param withoutStatusApi those of them with no status API here (their stuck payouts go to review)
 * @param due              due entries read from the OpenPayouts index (payouts and batch notices)
 * @param polled           status API calls made (payout polls and batch item fetches)
 * @param applied          outcomes the ledger APPLIED (submit_not_received included)
 * @param duplicates       outcomes already known (e.g. the webhook came first)
 * @param conflicts        outcomes the ledger flagged as conflicting
 * @param notFound         definitive "no such payout" answers
 * @param submitNotReceived of those, applied as submit_not_received (past the grace period, never acknowledged)
 * @param unavailable      no usable answer (timeout, 5xx, refused, unreadable, an answer about another payout)
 * @param unsettled        answers that left the payout open: what we already knew (still processing), or an
 *                         outcome the ledger flagged as a conflict; counted as attempts like unavailable ones
 * @param gaveUp           payouts flagged for review and taken out of the index
 * @param batchesResolved  batch notices whose items were fetched and applied
 * @param skipped          due entries not polled (already settled or fresh news: the index lags)
 * @param raced            writes skipped because the payout changed meanwhile (an outcome arrived)
 * @param errors           entries left for the next pass after an error of ours (e.g. DynamoDB)
 * @param complete         false when the pass stopped for time (or an error) with work left
 */
public record PassSummary(List<String> providers, List<String> withoutStatusApi, int due, int polled, int applied,
                          int duplicates, int conflicts, int notFound, int submitNotReceived, int unavailable,
                          int unsettled, int gaveUp, int batchesResolved, int skipped, int raced, int errors, boolean complete) {

    /** The callbacks' metric namespace (core's CallbackLog uses the same). */
    static final String NAMESPACE = "PayoutCallbacks";
    /**
     * Counts published as metrics, namespace {@value #NAMESPACE}, no dimension, named Reconciler + the count
     * (ReconcilerDue, ReconcilerGaveUp — what template.yaml's StuckPayoutsAlarm watches — ...).
     */
    static final List<String> METRICS = List.of("due", "polled", "applied", "conflicts", "notFound",
            "submitNotReceived", "unavailable", "gaveUp", "errors");

    /** What a pass counts as it goes (the components above, by the same names). */
    static final class Counts {
        int due;
        int polled;
        int applied;
        int duplicates;
        int conflicts;
        int notFound;
        int submitNotReceived;
        int unavailable;
        int unsettled;
        int gaveUp;
        int batchesResolved;
        int skipped;
        int raced;
        int errors;
    }

    static PassSummary of(List<String> providers, List<String> withoutStatusApi, Counts c, boolean complete) {
        return new PassSummary(providers, withoutStatusApi, c.due, c.polled, c.applied, c.duplicates, c.conflicts,
                c.notFound, c.submitNotReceived, c.unavailable, c.unsettled, c.gaveUp, c.batchesResolved, c.skipped,
                c.raced, c.errors, complete);
    }

    /** A pass that did not run because another one holds the lease ({@link PassLease}). */
    static PassSummary notRun(List<String> providers) {
        return of(providers, List.of(), new Counts(), false);
    }

    public ObjectNode logLine(long durationMillis) {
        ObjectNode line = Json.newObject();
        line.put("component", "reconciler");
        providers.forEach(line.putArray("providers")::add);
        withoutStatusApi.forEach(line.putArray("withoutStatusApi")::add);
        // Said plainly for an operator: these providers were not asked (no status API, or no credentials).
        withoutStatusApi.forEach(line.putArray("notPolled")::add);
        line.put("due", due);
        line.put("polled", polled);
        line.put("applied", applied);
        line.put("duplicates", duplicates);
        line.put("conflicts", conflicts);
        line.put("notFound", notFound);
        line.put("submitNotReceived", submitNotReceived);
        line.put("unavailable", unavailable);
        line.put("unsettled", unsettled);
        line.put("gaveUp", gaveUp);
        line.put("batchesResolved", batchesResolved);
        line.put("skipped", skipped);
        line.put("raced", raced);
        line.put("errors", errors);
        line.put("complete", complete);
        line.put("durationMs", durationMillis);
        // CloudWatch Embedded Metric Format: the log line is also the pass's metrics (no client, no call).
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", System.currentTimeMillis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray(); // no dimension: one series per metric (StuckPayoutsAlarm)
        for (String count : METRICS) {
            String metric = "Reconciler" + Character.toUpperCase(count.charAt(0)) + count.substring(1);
            directive.withArray("Metrics").addObject().put("Name", metric).put("Unit", "Count");
            line.put(metric, line.get(count).asInt());
        }
        return line;
    }
}
