package dev.payoutcallbacks.publisher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.lambda.CallbackLog;
import dev.payoutcallbacks.core.ledger.PayoutHistory;
import dev.payoutcallbacks.core.provider.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB Streams of the payouts table → each payout's HISTORY# items, and one PayoutStatusChanged
 * event per applied change.
 *
 * <p>History: a state write that recorded an outcome carries it as lastOutcome; it is written to its
 * HISTORY# item before anything later in the stream is handled (a failed history write is reported as
 * that record's failure, like a failed publish).
 *
 * <p>Order: records are handled in stream order (per shard, which keeps every item's changes in order);
 * versions of one payout are never sent in the same PutEvents call, so version n+1 is sent only after
 * version n was accepted. Failure: the first record not published is reported (partial batch
 * response) and nothing after it is attempted, so Lambda retries from it and never skips ahead. A
 * retry may publish again a change already accepted (a later entry of the same PutEvents call, or a
 * lost answer): consumers dedupe on (reference, version).
 *
 * <p>Poison: a record this build cannot read (our readers throw IllegalArgumentException: an unknown status, a
 * stream without images, an unreadable lastOutcome) fails the same way on every retry. With a failure bucket
 * (FAILED_BATCHES_BUCKET) it is parked there, whole, in the shape of Lambda's own S3 failure records, and only
 * then skipped; when it cannot be stored it is reported as failed like any other. Everything else (DynamoDB,
 * EventBridge) is retried in place; after the mapping's age limit Lambda itself sends the batch, whole, to the
 * same bucket. {@link PayoutChangeRedrive} replays both through this handler.
 */
public final class PayoutChangePublisher implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final PayoutEventSink sink;
    private final PayoutHistory history;
    private final FailedBatchStore failures;
    private final Clock clock;
    private final RecordHandling handling;

    /** What one stream record does: writes the history item it records, and returns the change to publish. */
    interface RecordHandling {
        /** @throws IllegalArgumentException when this build cannot read the record (poison) */
        Optional<PayoutStatusChanged> handle(DynamodbEvent.DynamodbStreamRecord record);
    }

    /** In Lambda: configuration from the process environment; the client is built once per container. */
    public PayoutChangePublisher() {
        this(System.getenv());
    }

    /** TABLE_NAME, EVENT_BUS_NAME, PAYOUT_EVENTS_SINK (eventbridge | stdout), PAYOUT_EVENTS_KEEP, AWS_REGION. */
    public PayoutChangePublisher(Map<String, String> env) {
        this(EventSinks.fromEnvironment(new FunctionEnvironment(env)),
                PayoutHistory.fromEnvironment(new FunctionEnvironment(env)),
                FailedBatchStore.fromEnvironment(new FunctionEnvironment(env)), Clock.systemUTC());
    }

    /** Publishes events only, writes no history (tests of the publishing alone). */
    public PayoutChangePublisher(PayoutEventSink sink) {
        this(sink, null);
    }

    /**
     * @param history where recorded outcomes become HISTORY# items; null publishes events only (tests of
     *                the publishing alone)
     */
    public PayoutChangePublisher(PayoutEventSink sink, PayoutHistory history) {
        this(sink, history, null, Clock.systemUTC());
    }

    /**
     * @param failures where a poison record is parked before it is skipped; null: never skipped (it blocks its
     *                 shard until the mapping gives up on it). A redrive passes null, so a record still
     *                 unreadable is reported, not parked again
     */
    public PayoutChangePublisher(PayoutEventSink sink, PayoutHistory history, FailedBatchStore failures, Clock clock) {
        this(sink, history, failures, clock, null);
    }

    /** @param handling how a record is read and recorded; null for this build's (history, then the change) */
    PayoutChangePublisher(PayoutEventSink sink, PayoutHistory history, FailedBatchStore failures, Clock clock,
                          RecordHandling handling) {
        this.sink = sink;
        this.history = history;
        this.failures = failures;
        this.clock = clock;
        this.handling = handling != null ? handling : this::recordAndRead;
    }

    /** This build's handling: the history item first (so a change is never published before it is in history). */
    Optional<PayoutStatusChanged> recordAndRead(DynamodbEvent.DynamodbStreamRecord record) {
        StreamRecord stream = record.getDynamodb();
        if (stream == null) {
            throw new IllegalArgumentException("stream record without keys");
        }
        Map<String, AttributeValue> before = StreamImages.toSdk(stream.getOldImage());
        Map<String, AttributeValue> after = StreamImages.toSdk(stream.getNewImage());
        if (history != null) {
            history.record(before, after);
        }
        return StateChanges.from(record.getEventName(), StreamImages.toSdk(stream.getKeys()), before, after);
    }

    /** Where events go (the local run reads a StdoutSink's recent events). */
    public PayoutEventSink sink() {
        return sink;
    }

    private record Pending(String sequenceNumber, PayoutStatusChanged event) {
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        List<DynamodbEvent.DynamodbStreamRecord> records =
                event == null || event.getRecords() == null ? List.of() : event.getRecords();
        List<Pending> chunk = new ArrayList<>();
        int published = 0;
        for (DynamodbEvent.DynamodbStreamRecord record : records) {
            String sequence = sequenceNumber(record);
            Optional<PayoutStatusChanged> change;
            try {
                change = handling.handle(record);
            } catch (IllegalArgumentException poison) {
                // Everything before it goes first, so skipping it never reorders what was readable.
                StreamsEventResponse failed = flush(chunk, context);
                if (failed != null) {
                    return failed;
                }
                published += chunk.size();
                chunk.clear();
                if (!parked(record, poison, context)) {
                    return failure(sequence);
                }
                continue;
            } catch (RuntimeException notNow) {
                StreamsEventResponse failed = flush(chunk, context);
                if (failed != null) {
                    return failed;
                }
                log(context, "record " + sequence + " not handled, retried: " + notNow);
                return failure(sequence);
            }
            if (change.isEmpty()) {
                continue;
            }
            String reference = change.get().reference();
            if (chunk.size() >= Math.max(1, sink.maxBatch())
                    || chunk.stream().anyMatch(p -> p.event().reference().equals(reference))) {
                StreamsEventResponse failed = flush(chunk, context);
                if (failed != null) {
                    return failed;
                }
                published += chunk.size();
                chunk.clear();
            }
            chunk.add(new Pending(sequence, change.get()));
        }
        StreamsEventResponse failed = flush(chunk, context);
        if (failed != null) {
            return failed;
        }
        published += chunk.size();
        if (!records.isEmpty()) {
            log(context, "published " + published + " PayoutStatusChanged for " + records.size() + " stream records");
        }
        return new StreamsEventResponse(new ArrayList<>());
    }

    /** True once a poison record is stored whole in the failure bucket (it may then be skipped). */
    private boolean parked(DynamodbEvent.DynamodbStreamRecord record, IllegalArgumentException poison, Context context) {
        String sequence = sequenceNumber(record);
        if (failures == null) {
            log(context, "record " + sequence + " cannot be read (" + poison.getMessage() + "); no failure bucket: retried");
            return false;
        }
        Instant now = clock.instant();
        String key = FailedBatchRecord.poisonKey(record, now);
        try {
            failures.put(key, FailedBatchRecord.poison(record, poison.getMessage(), context, now));
        } catch (RuntimeException notStored) {
            log(context, "record " + sequence + " cannot be read (" + poison.getMessage() + ") and could not be parked in "
                    + failures.describe() + " (" + notStored + "): retried, not skipped");
            return false;
        }
        log(context, "record " + sequence + " cannot be read (" + poison.getMessage() + "): parked as " + key
                + " in " + failures.describe() + " and skipped; redrive it after the fix");
        System.out.println(parkedMetric(now));
        return true;
    }

    /** One CloudWatch EMF line: ChangeRecordsParked = 1 (namespace PayoutCallbacks), which template.yaml alarms on. */
    static String parkedMetric(Instant now) {
        ObjectNode line = Json.newObject();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", now.toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", CallbackLog.NAMESPACE);
        directive.putArray("Dimensions").addArray();
        directive.putArray("Metrics").addObject().put("Name", "ChangeRecordsParked").put("Unit", "Count");
        line.put("ChangeRecordsParked", 1);
        return Json.write(line);
    }

    /** Publishes a chunk; null when all of it was accepted, else the failure to return. */
    private StreamsEventResponse flush(List<Pending> chunk, Context context) {
        if (chunk.isEmpty()) {
            return null;
        }
        PayoutEventSink.Result result;
        try {
            result = sink.publish(chunk.stream().map(Pending::event).toList());
        } catch (RuntimeException callFailed) {
            log(context, "publishing " + chunk.size() + " events failed: " + callFailed);
            return failure(chunk.get(0).sequenceNumber());
        }
        if (result.allPublished()) {
            return null;
        }
        int at = Math.min(Math.max(0, result.firstFailed()), chunk.size() - 1);
        Pending first = chunk.get(at);
        log(context, "event " + first.event().idempotencyKey() + " (record " + first.sequenceNumber()
                + ") not published: " + result.error());
        return failure(first.sequenceNumber());
    }

    private static StreamsEventResponse failure(String sequenceNumber) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        // A null identifier makes Lambda retry the whole batch: still never skipping ahead.
        failures.add(new StreamsEventResponse.BatchItemFailure(sequenceNumber));
        return new StreamsEventResponse(failures);
    }

    private static String sequenceNumber(DynamodbEvent.DynamodbStreamRecord record) {
        return record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
    }

    private static void log(Context context, String message) {
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(message + "\n");
        } else {
            System.err.println(message);
        }
    }
}
