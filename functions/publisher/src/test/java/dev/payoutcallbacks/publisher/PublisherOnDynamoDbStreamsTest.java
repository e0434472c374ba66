package dev.payoutcallbacks.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.payoutcallbacks.core.ledger.LedgerSettings;
import dev.payoutcallbacks.core.ledger.PayoutHistory;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.PayoutRegistrations;
import dev.payoutcallbacks.core.payout.Applied;
import dev.payoutcallbacks.core.payout.ApplyResult;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutState;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.payout.Registration;
import dev.payoutcallbacks.core.testing.TestTables;
import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The real thing end to end, minus Lambda and EventBridge: outcomes applied by the real PayoutLedger
 * (concurrent and duplicated deliveries, registrations, conflicts) on DynamoDB Local with the stream
 * template.yaml declares, the stream read with the DynamoDB Streams API, fed to the publisher the way
 * Lambda does (batches in order, retry from the reported record), with refusals injected.
 */
class PublisherOnDynamoDbStreamsTest {
    private static final int PAYOUTS = 12;
    private final AtomicInteger tick = new AtomicInteger();

    @Test
    void onePayoutStatusChangedPerAppliedVersionEvenWithConcurrentDuplicatesAndRetries() throws Exception {
        EmbeddedDynamoDb dynamo = TestTables.dynamo();
        String table = TestTables.freshPayoutsTable();
        PayoutLedger ledger = new PayoutLedger(TestTables.table(table), Clock.systemUTC(),
                LedgerSettings.defaults().withMaxAttempts(100));
        PayoutRegistrations registrations = new PayoutRegistrations(ledger);

        // Every payout: registration, two open stages, paid, a partial refund, a contradicting failure
        // (CONFLICT: flagged, no version), each delivered 3 times, by 8 threads at once.
        List<Supplier<Object>> deliveries = new ArrayList<>();
        for (int p = 0; p < PAYOUTS; p++) {
            String ref = "po-stream-" + p;
            String utr = "UTR-" + p;
            List<Supplier<Object>> once = new ArrayList<>();
            once.add(() -> registrations.register(new Registration(ref, "pivot", Money.parse("150000", "IDR"),
                    "order-" + ref, null, Instant.parse("2026-11-21T07:00:00Z"))));
            once.add(() -> ledger.apply(outcome(ref, PayoutStatus.PENDING).stage("created").build()));
            once.add(() -> ledger.apply(outcome(ref, PayoutStatus.PENDING).stage("processing").build()));
            once.add(() -> ledger.apply(outcome(ref, PayoutStatus.PAID).bankReference(utr).build()));
            once.add(() -> ledger.apply(outcome(ref, PayoutStatus.PARTIALLY_REFUNDED)
                    .adjustmentAmount(Money.parse("5000", "IDR")).adjustmentId("rf-" + ref).build()));
            once.add(() -> ledger.apply(outcome(ref, PayoutStatus.FAILED).failureReason("rejected").build()));
            for (int copy = 0; copy < 3; copy++) {
                deliveries.addAll(once);
            }
        }
        Collections.shuffle(deliveries, new Random(7));
        Map<String, Integer> appliedPerPayout = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (Supplier<Object> d : deliveries) {
            done.add(pool.submit(() -> {
                start.await();
                Object result = d.get();
                if (result instanceof Applied a && a.result() == ApplyResult.APPLIED) {
                    appliedPerPayout.merge(a.state().reference(), 1, Integer::sum);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<Record> stream = readWholeStream(dynamo, table);
        // One state write per registration and per recorded outcome (5 distinct outcomes per payout).
        assertTrue(stream.size() >= PAYOUTS * 6, "stream records: " + stream.size());
        String arn = dynamo.client().describeTable(b -> b.tableName(table)).table().latestStreamArn();

        // Lambda's way: batches of 9 in stream order; a refused entry (every 5th call) makes the
        // publisher report its record, and the next batch starts from that record.
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean redelivering = new AtomicBoolean();
        RecordingSink sink = new RecordingSink().failWith(events ->
                !redelivering.get() && calls.incrementAndGet() % 5 == 0 ? events.size() - 1 : -1);
        PayoutChangePublisher publisher = new PayoutChangePublisher(sink, new PayoutHistory(ledger.table()));
        int from = 0;
        int failures = 0;
        Random redeliver = new Random(11);
        while (from < stream.size()) {
            List<Record> batch = stream.subList(from, Math.min(stream.size(), from + 9));
            DynamodbEvent event = LambdaStreamEvents.fromSdkRecords(batch, arn);
            StreamsEventResponse response = publisher.handleRequest(event, null);
            if (redeliver.nextInt(4) == 0) {
                redelivering.set(true);
                publisher.handleRequest(event, null); // a whole batch delivered again (a timed-out invocation)
                redelivering.set(false);
            }
            if (response.getBatchItemFailures().isEmpty()) {
                from += batch.size();
            } else {
                failures++;
                String failed = response.getBatchItemFailures().get(0).getItemIdentifier();
                int at = indexOf(batch, failed);
                assertTrue(at >= 0, "the reported record is in the batch");
                from += at;
            }
        }
        assertTrue(failures > 0, "refusals were injected");

        ConsumerModel consumer = new ConsumerModel().consume(sink.accepted);
        assertEquals(List.of(), consumer.gaps);
        assertTrue(consumer.ignored > 0, "duplicates reached the consumer and were ignored");
        Map<String, List<PayoutStatusChanged>> byPayout = new LinkedHashMap<>();
        Set<String> distinctKeys = new HashSet<>();
        for (PayoutStatusChanged e : sink.accepted) {
            if (distinctKeys.add(e.idempotencyKey())) {
                byPayout.computeIfAbsent(e.reference(), k -> new ArrayList<>()).add(e);
            }
        }
        assertEquals(PAYOUTS, byPayout.size());
        for (int p = 0; p < PAYOUTS; p++) {
            String ref = "po-stream-" + p;
            PayoutState stored = ledger.read(ref).orElseThrow().state();
            long historyItems = TestTables.items(table, "HISTORY#").stream()
                    .filter(i -> i.get("pk").s().equals("PAYOUT#" + ref)).count();
            assertEquals(5, historyItems, ref + ": the publisher wrote one history item per distinct outcome");
            List<PayoutStatusChanged> events = byPayout.get(ref);
            assertNotNull(events, ref);
            assertEquals(appliedPerPayout.get(ref).longValue(), stored.version(), ref + ": versions = APPLIED results");
            assertEquals(stored.version(), events.size(), ref + ": one event per applied version");
            // First publication of each version came in version order, each after the one before.
            Map<Long, PayoutStatusChanged> byVersion = new HashMap<>();
            for (int i = 0; i < events.size(); i++) {
                PayoutStatusChanged e = events.get(i);
                assertEquals(i + 1, e.version(), ref + " order");
                assertEquals(i, e.previousVersion(), ref);
                byVersion.put(e.version(), e);
                String expectedPrevious = i == 0 ? null : byVersion.get((long) i).status();
                assertEquals(expectedPrevious, e.previousStatus(), ref + " v" + e.version());
            }
            PayoutStatusChanged last = events.get(events.size() - 1);
            assertEquals(stored.status().wireName(), last.status(), ref);
            assertEquals(stored.refunded().toPlainString(), last.refunded(), ref);
            // (flaggedForReview is as of that version: a later flag alone bumps no version, publishes nothing)
            assertEquals("pivot", last.provider());
            // orderKey comes with the registration, which bumps no version: present once registered before.
            assertTrue(last.orderKey() == null || last.orderKey().equals("order-" + ref), last.orderKey());
            assertEquals(last.status(), consumer.payouts.get(ref).status());
        }
    }

    private PayoutOutcome.Builder outcome(String reference, PayoutStatus status) {
        Instant received = Instant.parse("2026-11-21T08:00:00Z").plusMillis(tick.incrementAndGet());
        return PayoutOutcome.builder(reference, status).provider("pivot").amount(Money.parse("150000", "IDR"))
                .receivedAt(received);
    }

    private static int indexOf(List<Record> batch, String sequenceNumber) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).dynamodb().sequenceNumber().equals(sequenceNumber)) {
                return i;
            }
        }
        return -1;
    }

    /** Every record of the table's stream, shard by shard (parents first), oldest first. */
    static List<Record> readWholeStream(EmbeddedDynamoDb dynamo, String table) {
        String arn = dynamo.client().describeTable(b -> b.tableName(table)).table().latestStreamArn();
        assertNotNull(arn, "the table has a stream (template.yaml StreamSpecification)");
        try (DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder()
                .endpointOverride(URI.create(dynamo.endpoint()))
                .region(Region.of(EmbeddedDynamoDb.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            List<Shard> shards = streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards();
            List<Shard> ordered = new ArrayList<>();
            Set<String> placed = new HashSet<>();
            Set<String> known = new HashSet<>();
            shards.forEach(s -> known.add(s.shardId()));
            while (ordered.size() < shards.size()) {
                for (Shard s : shards) {
                    boolean parentDone = s.parentShardId() == null || !known.contains(s.parentShardId())
                            || placed.contains(s.parentShardId());
                    if (!placed.contains(s.shardId()) && parentDone) {
                        ordered.add(s);
                        placed.add(s.shardId());
                    }
                }
            }
            List<Record> all = new ArrayList<>();
            for (Shard shard : ordered) {
                String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                int empty = 0;
                while (iterator != null && empty < 2) {
                    String it = iterator;
                    var page = streams.getRecords(b -> b.shardIterator(it).limit(1000));
                    all.addAll(page.records());
                    empty = page.records().isEmpty() ? empty + 1 : 0;
                    iterator = page.nextShardIterator();
                }
            }
            return all;
        }
    }
}
