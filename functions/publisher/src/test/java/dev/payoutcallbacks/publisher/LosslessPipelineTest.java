package dev.payoutcallbacks.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.core.ledger.PayoutHistory;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.payout.ApplyResult;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.testing.TestTables;
import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import dev.payoutcallbacks.local.dynamodb.LocalStreams;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Nothing the stream carries is lost: a poison record is skipped only once it is stored whole in the failure
 * bucket, a publisher outage longer than the stream's 24 h retention ends with every recorded outcome in
 * history and every applied version published, and the redrive (the same handler) does it exactly once.
 * The real ledger and publisher on DynamoDB Local and its stream; the stream mapping and the stream's trim are
 * modelled ({@link StreamMappingModel}) with the settings template.yaml gives the mapping.
 */
class LosslessPipelineTest {
    private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");
    private final AtomicInteger tick = new AtomicInteger();

    @TempDir
    Path bucketDir;

    @Test
    void aPoisonRecordIsSkippedOnlyOnceItIsSafeInTheFailureBucketAndRedriveRestoresItsHistoryAndEvent() throws Exception {
        EmbeddedDynamoDb dynamo = TestTables.dynamo();
        String table = TestTables.freshPayoutsTable();
        PayoutLedger ledger = TestTables.ledger(table);
        PayoutHistory history = new PayoutHistory(ledger.table());
        for (String ref : List.of("po-ok-1", "po-poison", "po-ok-2")) {
            assertEquals(ApplyResult.APPLIED, ledger.apply(outcome(ref, PayoutStatus.PAID, 0).build()).result());
        }
        List<Record> records = stateRecords(dynamo, table);
        assertEquals(3, records.size());
        String poisonSequence = records.get(1).dynamodb().sequenceNumber();

        RecordingSink sink = new RecordingSink();
        PayoutChangePublisher fixedBuild = new PayoutChangePublisher(sink, history);
        // A build with a bug for one record: it cannot read it, every time (a deploy-skew status, say).
        PayoutChangePublisher.RecordHandling buggy = r -> {
            if ("PAYOUT#po-poison".equals(r.getDynamodb().getKeys().get("pk").getS())) {
                throw new IllegalArgumentException("this build cannot read this record");
            }
            return fixedBuild.recordAndRead(r);
        };
        FailedBatchStore bucket = new FailedBatchStore.DirectoryStore(bucketDir);
        FailingStore unreachable = new FailingStore(bucket);

        // 1. The failure bucket cannot take it: not skipped. Lambda is told to retry from the poison record.
        PayoutChangePublisher withBucketDown = new PayoutChangePublisher(sink, history, unreachable, Clock.systemUTC(), buggy);
        StreamsEventResponse first = withBucketDown.handleRequest(LambdaStreamEvents.fromSdkRecords(records, "arn"), null);
        assertEquals(1, first.getBatchItemFailures().size());
        assertEquals(poisonSequence, first.getBatchItemFailures().get(0).getItemIdentifier());
        assertEquals(List.of("po-ok-1"), sink.accepted.stream().map(PayoutStatusChanged::reference).toList());
        assertTrue(bucket.keys("").isEmpty());
        assertEquals(1, unreachable.attempts, "it tried to park the record");
        assertEquals(0, historyItems(table, "po-ok-2").size(), "nothing after the poison record was handled");

        // 2. Lambda retries from it; the bucket takes it: parked whole, then skipped; what follows goes on.
        PayoutChangePublisher withBucket = new PayoutChangePublisher(sink, history, bucket, Clock.systemUTC(), buggy);
        StreamsEventResponse second = withBucket.handleRequest(
                LambdaStreamEvents.fromSdkRecords(records.subList(1, 3), "arn"), null);
        assertTrue(second.getBatchItemFailures().isEmpty());
        assertEquals(List.of("po-ok-1", "po-ok-2"), sink.accepted.stream().map(PayoutStatusChanged::reference).toList());
        List<String> parked = bucket.keys(FailedBatchRecord.PARKED_PREFIX);
        assertEquals(1, parked.size());
        DynamodbEvent kept = FailedBatchRecord.payload(bucket.get(parked.get(0)));
        assertEquals(poisonSequence, kept.getRecords().get(0).getDynamodb().getSequenceNumber());
        assertEquals(records.get(1).dynamodb().newImage().get("lastOutcome"),
                StreamImages.toSdk(kept.getRecords().get(0).getDynamodb().getNewImage()).get("lastOutcome"),
                "the whole record is kept, its images included");
        JsonNode failureRecord = Json.MAPPER.readTree(bucket.get(parked.get(0)));
        assertEquals("PoisonRecord", failureRecord.path("requestContext").path("condition").asText());
        assertEquals(poisonSequence, failureRecord.path("DDBStreamBatchInfo").path("startSequenceNumber").asText());
        assertEquals(0, historyItems(table, "po-poison").size());

        // 3. After the fix: the redrive replays it through the same handler — its history item and its event, once.
        PayoutChangeRedrive redrive = new PayoutChangeRedrive(bucket, fixedBuild, Clock.systemUTC(), System.out);
        PayoutChangeRedrive.Summary done = redrive.run(false, false);
        assertEquals(1, done.redriven());
        assertTrue(done.complete(), done.problems().toString());
        assertEquals(1, historyItems(table, "po-poison").size());
        assertEquals(1, sink.accepted.stream().filter(e -> e.reference().equals("po-poison")).count());

        // 4. Again: nothing replayed twice.
        PayoutChangeRedrive.Summary again = redrive.run(false, false);
        assertEquals(0, again.redriven());
        assertEquals(1, again.alreadyRedriven());
        assertEquals(3, sink.accepted.size());
        assertEquals(1, historyItems(table, "po-poison").size());
    }

    @Test
    void aFailureRecordWithOnlyTheStreamPositionIsReportedNotMarked() throws Exception {
        FailedBatchStore bucket = new FailedBatchStore.DirectoryStore(bucketDir);
        String sqsStyle = "{\"requestContext\":{\"condition\":\"RetryAttemptsExhausted\"},\"version\":\"1.0\","
                + "\"DDBStreamBatchInfo\":{\"shardId\":\"shardId-1\",\"startSequenceNumber\":\"100\",\"batchSize\":2}}";
        bucket.put("aws/lambda/esm/shardId-1/2026/11/21/x", sqsStyle.getBytes(StandardCharsets.UTF_8));
        RecordingSink sink = new RecordingSink();
        PayoutChangeRedrive.Summary s = new PayoutChangeRedrive(bucket, new PayoutChangePublisher(sink),
                Clock.systemUTC(), System.out).run(false, false);
        assertEquals(1, s.unredrivable());
        assertFalse(s.complete());
        assertFalse(bucket.exists(FailedBatchRecord.REDRIVEN_PREFIX + "aws/lambda/esm/shardId-1/2026/11/21/x"));
    }

    @Test
    void aPublisherOutageLongerThanTheStreamRetentionLosesNoOutcome() throws Exception {
        JsonNode mapping = publisherStreamEvent();
        long maxAge = mapping.path("MaximumRecordAgeInSeconds").asLong(-1);
        assertTrue(maxAge > 0 && Duration.ofSeconds(maxAge).compareTo(Duration.ofHours(12)) <= 0,
                "template.yaml: a record the publisher cannot handle reaches the failure bucket with hours to spare"
                        + " before the stream's 24 h trim (MaximumRecordAgeInSeconds " + maxAge + ")");

        Outage withTemplateSettings = outage(StreamMappingModel.fromTemplate(mapping,
                new FailedBatchStore.DirectoryStore(bucketDir.resolve("template"))), bucketDir.resolve("template"));
        assertEquals(0, withTemplateSettings.model.lostToTrim);
        assertEquals(0, withTemplateSettings.model.pendingRecords());
        for (String ref : withTemplateSettings.recorded.keySet()) {
            Map<String, AttributeValue> state = withTemplateSettings.state(ref);
            long recorded = Long.parseLong(state.get("recorded").n());
            assertEquals(withTemplateSettings.recorded.get(ref).intValue(), recorded, ref);
            assertEquals(recorded, historyItems(withTemplateSettings.table, ref).size(),
                    ref + ": one history item per recorded outcome, though the state item holds only the last");
            long version = Long.parseLong(state.get("version").n());
            Map<Long, Integer> published = new TreeMap<>();
            withTemplateSettings.sink.accepted.stream().filter(e -> e.reference().equals(ref))
                    .forEach(e -> published.merge(e.version(), 1, Integer::sum));
            Map<Long, Integer> once = new TreeMap<>();
            for (long v = 1; v <= version; v++) {
                once.put(v, 1);
            }
            assertEquals(once, published, ref + ": every applied version published exactly once");
        }
        assertTrue(withTemplateSettings.recorded.get("po-out-1") >= 3, "the long-lived payout recorded several outcomes");
        assertTrue(withTemplateSettings.redrive.redriven() > 0, "the outage went through the failure bucket");

        // Control: with no age limit (-1, AWS's default) the same outage loses records to the stream's trim.
        Outage withoutAgeLimit = outage(new StreamMappingModel(null, 100,
                new FailedBatchStore.DirectoryStore(bucketDir.resolve("control"))), bucketDir.resolve("control"));
        assertTrue(withoutAgeLimit.model.lostToTrim > 0);
        assertTrue(historyItems(withoutAgeLimit.table, "po-out-1").size() < withoutAgeLimit.recorded.get("po-out-1"));
    }

    /** One run of the outage: the publisher down from hour 0 to hour 28, the stream mapping polling hourly. */
    private Outage outage(StreamMappingModel model, Path bucketPath) throws Exception {
        EmbeddedDynamoDb dynamo = TestTables.dynamo();
        String table = TestTables.freshPayoutsTable();
        PayoutLedger ledger = TestTables.ledger(table);
        RecordingSink sink = new RecordingSink();
        FailedBatchStore bucket = new FailedBatchStore.DirectoryStore(bucketPath);
        PayoutChangePublisher publisher = new PayoutChangePublisher(sink, new PayoutHistory(ledger.table()),
                bucket, Clock.systemUTC());
        Map<String, Integer> recorded = new HashMap<>();
        Map<Integer, List<PayoutOutcome>> plan = new HashMap<>();
        plan.put(0, List.of(outcome("po-out-1", PayoutStatus.PENDING, 0).stage("created").build()));
        plan.put(3, List.of(outcome("po-out-1", PayoutStatus.PAID, 3).bankReference("UTR-1").build(),
                outcome("po-out-2", PayoutStatus.PENDING, 3).build()));
        plan.put(4, List.of(outcome("po-out-1", PayoutStatus.PAID, 3).bankReference("UTR-1").build())); // a redelivery
        plan.put(9, List.of(outcome("po-out-1", PayoutStatus.PARTIALLY_REFUNDED, 9)
                .adjustmentAmount(Money.parse("5000", "IDR")).adjustmentId("rf-1").build()));
        plan.put(20, List.of(outcome("po-out-2", PayoutStatus.PAID, 20).build(),
                outcome("po-out-1", PayoutStatus.FAILED, 20).failureReason("late contradiction").build()));
        plan.put(27, List.of(outcome("po-out-3", PayoutStatus.PAID, 27).build()));
        for (int hour = 0; hour <= 30; hour++) {
            Instant now = T0.plus(Duration.ofHours(hour));
            for (PayoutOutcome o : plan.getOrDefault(hour, List.of())) {
                ApplyResult r = ledger.apply(o).result();
                if (r != ApplyResult.DUPLICATE) {
                    recorded.merge(o.payoutReference(), 1, Integer::sum);
                }
            }
            model.arrived(stateRecords(dynamo, table), now);
            if (hour < 28) {
                model.poll(e -> {
                    throw new IllegalStateException("publisher down");
                }, now);
            } else {
                model.poll(e -> publisher.handleRequest(e, null), now);
            }
        }
        PayoutChangePublisher redriving = new PayoutChangePublisher(sink, new PayoutHistory(ledger.table()));
        PayoutChangeRedrive.Summary summary = new PayoutChangeRedrive(bucket, redriving, Clock.systemUTC(), System.out)
                .run(false, false);
        assertTrue(summary.complete(), summary.problems().toString());
        PayoutChangeRedrive.Summary again = new PayoutChangeRedrive(bucket, redriving, Clock.systemUTC(), System.out)
                .run(false, false);
        assertEquals(0, again.redriven(), "a second redrive replays nothing");
        return new Outage(model, table, sink, recorded, summary);
    }

    private record Outage(StreamMappingModel model, String table, RecordingSink sink, Map<String, Integer> recorded,
                          PayoutChangeRedrive.Summary redrive) {
        Map<String, AttributeValue> state(String ref) {
            return TestTables.dynamo().client().getItem(b -> b.tableName(table).consistentRead(true)
                    .key(TestTables.key("PAYOUT#" + ref, "STATE"))).item();
        }
    }

    /** The PayoutChanges event of PayoutChangePublisherFunction in template.yaml. */
    private static JsonNode publisherStreamEvent() {
        return SamTemplate.find().root().path("Resources").path("PayoutChangePublisherFunction").path("Properties")
                .path("Events").path("PayoutChanges").path("Properties");
    }

    /** New STATE records of the table's stream (what the mapping's filter lets through), in order. */
    private static List<Record> stateRecords(EmbeddedDynamoDb dynamo, String table) {
        List<Record> out = new ArrayList<>();
        LocalStreams.drain(dynamo.client(), dynamo.endpoint(), table, r -> {
            if ("STATE".equals(r.dynamodb().keys().get("sk").s()) && !"REMOVE".equals(r.eventNameAsString())) {
                out.add(r);
            }
        });
        return out;
    }

    private static List<Map<String, AttributeValue>> historyItems(String table, String ref) {
        return TestTables.items(table, "HISTORY#").stream()
                .filter(i -> i.get("pk").s().equals("PAYOUT#" + ref)).toList();
    }

    private PayoutOutcome.Builder outcome(String reference, PayoutStatus status, int hour) {
        Instant received = T0.plus(Duration.ofHours(hour)).plusMillis(tick.incrementAndGet());
        return PayoutOutcome.builder(reference, status).provider("pivot").amount(Money.parse("150000", "IDR"))
                .receivedAt(received);
    }

    /** A failure bucket that cannot be reached. */
    private static final class FailingStore implements FailedBatchStore {
        private final FailedBatchStore real;
        int attempts;

        FailingStore(FailedBatchStore real) {
            this.real = real;
        }

        @Override
        public void put(String key, byte[] json) {
            attempts++;
            throw new IllegalStateException("bucket unreachable");
        }

        @Override
        public List<String> keys(String prefix) {
            return real.keys(prefix);
        }

        @Override
        public byte[] get(String key) {
            return real.get(key);
        }

        @Override
        public boolean exists(String key) {
            return real.exists(key);
        }

        @Override
        public String describe() {
            return "unreachable";
        }
    }
}
