package dev.payoutcallbacks.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** events/PayoutChangePublisherFunction: Lambda's wire format, bound by hand, published as expected. */
class SampleStreamEventTest {
    private final Path dir = SamTemplate.find().projectDir().resolve("events/PayoutChangePublisherFunction");

    private DynamodbEvent sample(String name) throws IOException {
        return LambdaStreamEvents.fromLambdaJson(Json.MAPPER.readTree(dir.resolve(name).toFile()));
    }

    @Test
    void appliedChangesSample() throws IOException {
        DynamodbEvent event = sample("01-applied-changes.json");
        assertEquals(3, event.getRecords().size());
        assertNotNull(event.getRecords().get(0).getDynamodb().getApproximateCreationDateTime());
        assertEquals("NEW_AND_OLD_IMAGES", event.getRecords().get(1).getDynamodb().getStreamViewType());
        RecordingSink sink = new RecordingSink();
        StreamsEventResponse response = new PayoutChangePublisher(sink).handleRequest(event, null);

        assertTrue(response.getBatchItemFailures().isEmpty());
        assertEquals(List.of("po-20261121-0042#1", "po-20261121-0042#2"),
                sink.accepted.stream().map(PayoutStatusChanged::idempotencyKey).toList());
        PayoutStatusChanged paid = sink.accepted.get(1);
        assertEquals("paid", paid.status());
        assertEquals("pending", paid.previousStatus());
        assertEquals("paid", paid.slateStatus());
        assertEquals("UTR2026112100042", paid.bankReference());
        assertEquals("pv-88121", paid.providerPayoutId());
        assertEquals("2026-11-21T08:03:10.400000Z", paid.occurredAt());
    }

    @Test
    void otherItemsPublishNothingAndANewImageOnlyStreamIsAFailure() throws IOException {
        RecordingSink sink = new RecordingSink();
        PayoutChangePublisher publisher = new PayoutChangePublisher(sink);
        assertTrue(publisher.handleRequest(sample("02-other-items-and-registration.json"), null)
                .getBatchItemFailures().isEmpty());
        DynamodbEvent newImageOnly = sample("03-new-image-only-stream.json");
        StreamsEventResponse response = publisher.handleRequest(newImageOnly, null);
        assertEquals(newImageOnly.getRecords().get(0).getDynamodb().getSequenceNumber(),
                response.getBatchItemFailures().get(0).getItemIdentifier());
        assertTrue(sink.calls.isEmpty());
    }
}
