package dev.payoutcallbacks.publisher;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.ledger.PayoutHistory;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays the failure bucket: every failure record (Lambda's own, under aws/lambda/, and the publisher's parked
 * poison records, under parked/), oldest first, through {@link PayoutChangePublisher#handleRequest}, the code the
 * stream runs. Idempotent: a history item is written under its outcome's key (the same item again), and a record
 * redriven is marked (redriven/&lt;key&gt;) so a second run skips it; a record that still fails is reported and
 * left for the next run, unmarked. Its publisher has no failure bucket, so nothing is parked again.
 *
 * <p>An event can be published twice only if a run stops between the publish and the marker (or a PutEvents
 * answer was lost before the record failed): consumers dedupe on (reference, version), as for stream retries.
 *
 * <pre>
 * TABLE_NAME=... EVENT_BUS_NAME=... java -cp publisher-function-lambda.jar \
 *     dev.payoutcallbacks.publisher.PayoutChangeRedrive --bucket &lt;failure bucket&gt; [--force] [--dry-run]
 * java -cp ... PayoutChangeRedrive --dir &lt;directory&gt;     (the local run: FAILED_BATCHES_BUCKET=file:&lt;directory&gt;)
 * </pre>
 */
public final class PayoutChangeRedrive {
    private final FailedBatchStore store;
    private final PayoutChangePublisher publisher;
    private final Clock clock;
    private final PrintStream out;

    public PayoutChangeRedrive(FailedBatchStore store, PayoutChangePublisher publisher, Clock clock, PrintStream out) {
        this.store = store;
        this.publisher = publisher;
        this.clock = clock;
        this.out = out;
    }

    /**
     * @param records        stream records replayed (of failure records redriven now)
     * @param alreadyRedriven failure records skipped because a marker says they were redriven
     * @param unredrivable   failure records without a payload (stream position only) or not readable
     * @param stillFailing   failure records the publisher still could not handle (left unmarked)
     */
    public record Summary(int failureRecords, int redriven, int records, int alreadyRedriven, int unredrivable,
                          int stillFailing, List<String> problems) {
        public boolean complete() {
            return unredrivable == 0 && stillFailing == 0;
        }
    }

    /** Redrives every failure record not yet redriven (all of them with force); dryRun only lists them. */
    public Summary run(boolean force, boolean dryRun) {
        int seen = 0;
        int redriven = 0;
        int records = 0;
        int already = 0;
        int unredrivable = 0;
        int failing = 0;
        List<String> problems = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (String prefix : FailedBatchRecord.prefixes()) {
            keys.addAll(store.keys(prefix));
        }
        for (String key : keys) {
            seen++;
            String marker = FailedBatchRecord.REDRIVEN_PREFIX + key;
            if (!force && store.exists(marker)) {
                already++;
                continue;
            }
            byte[] json = store.get(key);
            DynamodbEvent event;
            try {
                event = FailedBatchRecord.payload(json);
            } catch (IllegalArgumentException unreadable) {
                unredrivable++;
                problems.add(key + ": " + unreadable.getMessage());
                continue;
            }
            int size = event.getRecords() == null ? 0 : event.getRecords().size();
            if (dryRun) {
                out.println("would redrive " + key + ": " + FailedBatchRecord.describe(json));
                continue;
            }
            StreamsEventResponse response = publisher.handleRequest(event, null);
            if (response.getBatchItemFailures() != null && !response.getBatchItemFailures().isEmpty()) {
                failing++;
                problems.add(key + ": still fails from record "
                        + response.getBatchItemFailures().get(0).getItemIdentifier() + " (see the log above)");
                continue;
            }
            store.put(marker, FailedBatchRecord.redrivenMarker(key, size, clock.instant()));
            redriven++;
            records += size;
            out.println("redriven " + key + ": " + FailedBatchRecord.describe(json));
        }
        return new Summary(seen, redriven, records, already, unredrivable, failing, problems);
    }

    /** The redrive command. Exit status 0 when everything was redriven, 1 when something is left, 2 on bad usage. */
    public static void main(String[] args) {
        Map<String, String> env = new HashMap<>(System.getenv());
        boolean force = false;
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bucket" -> env.put("FAILED_BATCHES_BUCKET", args[++i]);
                case "--dir" -> env.put("FAILED_BATCHES_BUCKET", FailedBatchStore.DIRECTORY_PREFIX + args[++i]);
                case "--force" -> force = true;
                case "--dry-run" -> dryRun = true;
                default -> {
                    System.err.println("usage: PayoutChangeRedrive (--bucket <failure bucket> | --dir <directory>)"
                            + " [--force] [--dry-run]   (TABLE_NAME, EVENT_BUS_NAME, AWS_REGION from the environment)");
                    System.exit(2);
                }
            }
        }
        FunctionEnvironment environment = new FunctionEnvironment(env);
        FailedBatchStore store = FailedBatchStore.fromEnvironment(environment);
        if (store == null) {
            System.err.println("no failure bucket: --bucket <name> or --dir <path>");
            System.exit(2);
        }
        PayoutChangePublisher publisher = new PayoutChangePublisher(EventSinks.fromEnvironment(environment),
                PayoutHistory.fromEnvironment(environment), null, Clock.systemUTC());
        Summary summary = new PayoutChangeRedrive(store, publisher, Clock.systemUTC(), System.out).run(force, dryRun);
        System.out.println("failure records " + summary.failureRecords() + ", redriven " + summary.redriven()
                + " (" + summary.records() + " stream records), already redriven " + summary.alreadyRedriven()
                + ", without payload " + summary.unredrivable() + ", still failing " + summary.stillFailing()
                + " in " + store.describe());
        summary.problems().forEach(p -> System.out.println("  " + p));
        System.exit(summary.complete() ? 0 : 1);
    }
}
