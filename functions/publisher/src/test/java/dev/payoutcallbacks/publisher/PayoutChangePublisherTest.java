package dev.payoutcallbacks.publisher;

import static dev.payoutcallbacks.publisher.StreamRecords.event;
import static dev.payoutcallbacks.publisher.StreamRecords.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.provider.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PayoutChangePublisherTest {
    private final StreamRecords records = new StreamRecords();

    /** Payout A: registered, pending, flagged, paid, partially refunded; B: failed; plus other items. */
    private List<DynamodbStreamRecord> mixedBatch() {
        var a0 = state("A", null, 0, 1, "registeredAt", "2026-11-21T07:59:00.000000Z");
        var a1 = state("A", "pending", 1, 2, "stage", "created");
        var a1flagged = state("A", "pending", 1, 3, "stage", "created", "reviewReason", "amount_mismatch");
        var a2 = state("A", "paid", 2, 4, "bankReference", "UTR-1", "reviewReason", "amount_mismatch");
        var a3 = state("A", "partially_refunded", 3, 5, "bankReference", "UTR-1", "refunded", "5000");
        var b1 = state("B", "failed", 1, 1, "failureReason", "account closed");
        List<DynamodbStreamRecord> batch = new ArrayList<>();
        batch.add(records.insert(a0));                          // registration: version 0
        batch.add(records.otherItem("A", "DEDUP#A|PENDING|created"));
        batch.add(records.modify(a0, a1));                      // v1
        batch.add(records.otherItem("A", "HISTORY#2026-11-21T08:00:01.000000Z#1234abcd"));
        batch.add(records.modify(a1, a1flagged));               // review flag: revision only
        batch.add(records.modify(a1flagged, a2));               // v2
        batch.add(records.insert(b1));                          // B v1 (first write is an applied outcome)
        batch.add(records.remove(records.otherItem("B", "DEDUP#B|FAILED").getDynamodb().getNewImage())); // TTL
        batch.add(records.modify(a2, a3));                      // v3
        batch.add(records.modify(a3, a3));                      // a poll: nothing changed
        return batch;
    }

    @Test
    void publishesExactlyOneEventPerVersionInStreamOrder() {
        RecordingSink sink = new RecordingSink();
        StreamsEventResponse response = new PayoutChangePublisher(sink).handleRequest(event(mixedBatch()), null);

        assertTrue(response.getBatchItemFailures().isEmpty());
        assertEquals(List.of("A#1", "A#2", "B#1", "A#3"),
                sink.accepted.stream().map(PayoutStatusChanged::idempotencyKey).toList());
        PayoutStatusChanged a1 = sink.accepted.get(0);
        assertEquals("pending", a1.status());
        assertNull(a1.previousStatus());
        assertNull(a1.slateStatus(), "pending has no Slate status");
        assertEquals(0, a1.previousVersion());
        PayoutStatusChanged a2 = sink.accepted.get(1);
        assertEquals("paid", a2.status());
        assertEquals("pending", a2.previousStatus());
        assertEquals("paid", a2.slateStatus());
        assertEquals(1, a2.previousVersion());
        assertTrue(a2.flaggedForReview());
        assertEquals("UTR-1", a2.bankReference());
        PayoutStatusChanged b1 = sink.accepted.get(2);
        assertEquals("failed", b1.slateStatus());
        assertEquals("account closed", b1.failureReason());
        PayoutStatusChanged a3 = sink.accepted.get(3);
        assertEquals("paid", a3.previousStatus());
        assertEquals("paid", a3.slateStatus(), "a partial refund is still paid for Slate");
        assertEquals("5000", a3.refunded());
        assertEquals("150000", a3.amount());
        assertEquals("IDR", a3.currency());
        // Two versions of one payout never share a PutEvents call: n+1 goes only after n was accepted.
        for (List<PayoutStatusChanged> call : sink.calls) {
            assertEquals(call.size(), call.stream().map(PayoutStatusChanged::reference).distinct().count(), call.toString());
        }
    }

    @Test
    void aVersionJumpPublishesTheNewStateOnceUnderItsVersion() {
        RecordingSink sink = new RecordingSink();
        var v1 = state("J", "pending", 1, 1);
        var v3 = state("J", "paid", 3, 3);
        new PayoutChangePublisher(sink).handleRequest(event(List.of(records.modify(v1, v3))), null);

        assertEquals(1, sink.accepted.size());
        PayoutStatusChanged e = sink.accepted.get(0);
        assertEquals(3, e.version());
        assertEquals(1, e.previousVersion());
        assertTrue(e.skippedVersions());
        ConsumerModel consumer = new ConsumerModel().consume(sink.accepted);
        assertEquals(List.of("J: held v0, event v3 after v1"), consumer.gaps, "a consumer can see the gap");
    }

    @Test
    void aRetriedBatchPublishesTheSameKeysAgainAndConsumersDedupeThem() {
        RecordingSink sink = new RecordingSink();
        PayoutChangePublisher publisher = new PayoutChangePublisher(sink);
        List<DynamodbStreamRecord> batch = mixedBatch();
        publisher.handleRequest(event(batch), null);
        publisher.handleRequest(event(batch), null);            // Lambda retried the whole batch
        publisher.handleRequest(event(batch.subList(5, batch.size())), null); // and its tail: A#2, B#1, A#3

        assertEquals(4 + 4 + 3, sink.accepted.size(), "duplicates are published: harmless");
        ConsumerModel consumer = new ConsumerModel().consume(sink.accepted);
        assertEquals(List.of("A#1", "A#2", "B#1", "A#3"),
                consumer.applied.stream().map(PayoutStatusChanged::idempotencyKey).toList());
        assertEquals(7, consumer.ignored);
        assertEquals(List.of(), consumer.gaps);
        assertEquals("partially_refunded", consumer.payouts.get("A").status());
    }

    @Test
    void aRefusedEntryIsReportedAndNothingAfterItsCallIsAttempted() {
        var a1 = state("A", "pending", 1, 1);
        var a2 = state("A", "paid", 2, 2);
        List<DynamodbStreamRecord> batch = List.of(
                records.insert(a1),                                  // 0: A#1
                records.insert(state("B", "paid", 1, 1)),            // 1: B#1  <- refused
                records.otherItem("B", "HISTORY#x"),                 // 2
                records.insert(state("C", "paid", 1, 1)),            // 3: C#1  same call, accepted
                records.modify(a1, a2),                              // 4: A#2  next call
                records.insert(state("D", "failed", 1, 1)));         // 5: D#1
        RecordingSink sink = new RecordingSink().failWith(events -> events.size() == 3 ? 1 : -1);
        PayoutChangePublisher publisher = new PayoutChangePublisher(sink);

        StreamsEventResponse response = publisher.handleRequest(event(batch), null);

        assertEquals(List.of(batch.get(1).getDynamodb().getSequenceNumber()), failures(response));
        assertEquals(1, sink.calls.size(), "no call after the failed one");
        assertEquals(List.of("A#1", "B#1", "C#1"), keys(sink.calls.get(0)));
        assertEquals(List.of("A#1", "C#1"), keys(sink.accepted), "PutEvents entries are independent");
        assertFalse(keys(sink.accepted).contains("A#2"), "never ahead of the failed record");

        // Lambda retries from the reported sequence number: B#1, C#1 (again), A#2, D#1.
        sink.healthy();
        StreamsEventResponse retry = publisher.handleRequest(event(batch.subList(1, batch.size())), null);
        assertTrue(retry.getBatchItemFailures().isEmpty());
        ConsumerModel consumer = new ConsumerModel().consume(sink.accepted);
        assertEquals(Set.of("A#1", "A#2", "B#1", "C#1", "D#1"), new TreeSet<>(keys(consumer.applied)));
        assertEquals(5, consumer.applied.size());
        assertEquals(1, consumer.ignored, "C#1 came twice");
    }

    @Test
    void aFailedCallReportsItsFirstRecord() {
        List<DynamodbStreamRecord> batch = List.of(
                records.insert(state("A", "paid", 1, 1)),
                records.insert(state("B", "paid", 1, 1)));
        RecordingSink sink = new RecordingSink(1).failWith(events -> {
            if (events.get(0).reference().equals("B")) {
                throw new IllegalStateException("connection reset");
            }
            return -1;
        });
        StreamsEventResponse response = new PayoutChangePublisher(sink).handleRequest(event(batch), null);
        assertEquals(List.of(batch.get(1).getDynamodb().getSequenceNumber()), failures(response));
        assertEquals(List.of("A#1"), keys(sink.accepted));
    }

    @Test
    void anUnreadableRecordIsReportedAfterEverythingBeforeItIsPublished() {
        var b1 = state("B", "paid", 1, 1);
        var withoutOldImage = records.modify(b1, state("B", "refunded", 2, 2, "refunded", "150000"));
        withoutOldImage.getDynamodb().setOldImage(null); // a stream configured NEW_IMAGE only
        List<DynamodbStreamRecord> batch = List.of(
                records.insert(state("A", "paid", 1, 1)),
                withoutOldImage,
                records.insert(state("C", "paid", 1, 1)));
        RecordingSink sink = new RecordingSink();
        StreamsEventResponse response = new PayoutChangePublisher(sink).handleRequest(event(batch), null);
        assertEquals(List.of(batch.get(1).getDynamodb().getSequenceNumber()), failures(response));
        assertEquals(List.of("A#1"), keys(sink.accepted));

        // Had the pending call failed, that earlier record is the one reported.
        RecordingSink refusing = new RecordingSink().failWith(events -> 0);
        StreamsEventResponse earlier = new PayoutChangePublisher(refusing).handleRequest(event(batch), null);
        assertEquals(List.of(batch.get(0).getDynamodb().getSequenceNumber()), failures(earlier));
    }

    @Test
    void anUnknownStatusIsNotGuessed() {
        RecordingSink sink = new RecordingSink();
        var record = records.insert(state("X", "teleported", 1, 1));
        StreamsEventResponse response = new PayoutChangePublisher(sink).handleRequest(event(List.of(record)), null);
        assertEquals(1, response.getBatchItemFailures().size());
        assertTrue(sink.calls.isEmpty());
    }

    @Test
    void emptyOrIrrelevantBatchesSucceedWithoutCalls() {
        RecordingSink sink = new RecordingSink();
        PayoutChangePublisher publisher = new PayoutChangePublisher(sink);
        assertTrue(publisher.handleRequest(event(List.of()), null).getBatchItemFailures().isEmpty());
        assertTrue(publisher.handleRequest(event(List.of(records.otherItem("A", "DEDUP#A|PAID"),
                records.remove(state("A", "paid", 1, 1)))), null).getBatchItemFailures().isEmpty());
        assertTrue(sink.calls.isEmpty());
    }

    @Test
    void theDetailHoldsCanonicalFieldsOnlyAndOneLinePerEventGoesToStdout() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StdoutSink stdout = new StdoutSink(new PrintStream(out, true, StandardCharsets.UTF_8), 2, "local-bus");
        PayoutChangePublisher publisher = new PayoutChangePublisher(stdout);
        publisher.handleRequest(event(mixedBatch()), null);

        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length);
        JsonNode first = Json.MAPPER.readTree(lines[0]);
        assertEquals("payout-callbacks", first.path("source").asText());
        assertEquals("PayoutStatusChanged", first.path("detail-type").asText());
        assertEquals("local-bus", first.path("eventBusName").asText());
        Set<String> fields = new TreeSet<>();
        first.path("detail").fieldNames().forEachRemaining(fields::add);
        assertEquals(new TreeSet<>(List.of("schemaVersion", "idempotencyKey", "reference", "version",
                "previousVersion", "status", "previousStatus", "slateStatus", "previousSlateStatus", "provider",
                "providerPayoutId", "orderKey", "amount", "currency", "refunded", "bankReference", "failureReason",
                "stage", "flaggedForReview", "occurredAt", "changedAt")), fields);
        assertFalse(String.join("\n", lines).contains("rawPayload"));
        assertEquals(4, stdout.published());
        List<ObjectNode> recent = stdout.recentEvents();
        assertEquals(List.of("B#1", "A#3"), recent.stream().map(e -> e.path("detail").path("idempotencyKey").asText()).toList());
    }

    private static List<String> failures(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    private static List<String> keys(List<PayoutStatusChanged> events) {
        return events.stream().map(PayoutStatusChanged::idempotencyKey).toList();
    }
}
