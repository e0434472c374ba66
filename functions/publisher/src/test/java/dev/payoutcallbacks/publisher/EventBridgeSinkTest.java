package dev.payoutcallbacks.publisher;

import static dev.payoutcallbacks.publisher.StreamRecords.event;
import static dev.payoutcallbacks.publisher.StreamRecords.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.payoutcallbacks.core.provider.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deployed path, handler → SDK EventBridge client → HTTP, against a loopback PutEvents endpoint
 * (AWS JSON 1.1, X-Amz-Target AWSEvents.PutEvents): the request the SDK builds, and PutEvents'
 * partial failures (HTTP 200 with FailedEntryCount) reported as a record failure.
 */
class EventBridgeSinkTest {
    private final StreamRecords records = new StreamRecords();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> targets = new CopyOnWriteArrayList<>();
    /** Given an entry index, its error code; null accepts it. */
    private volatile IntFunction<String> refuse = i -> null;
    private volatile int status = 200;
    private HttpServer server;

    @BeforeEach
    void fakeEventBridge() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
                requests.add(body);
                targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
                ObjectNode answer = Json.newObject();
                if (status != 200) {
                    answer.put("__type", "ValidationException");
                    answer.put("message", "injected");
                } else {
                    ArrayNode entries = answer.putArray("Entries");
                    int failed = 0;
                    for (int i = 0; i < body.path("Entries").size(); i++) {
                        String code = refuse.apply(i);
                        if (code == null) {
                            entries.addObject().put("EventId", "evt-" + requests.size() + "-" + i);
                        } else {
                            failed++;
                            entries.addObject().put("ErrorCode", code).put("ErrorMessage", "injected");
                        }
                    }
                    answer.put("FailedEntryCount", failed);
                }
                byte[] out = Json.write(answer).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                exchange.sendResponseHeaders(status, out.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private PayoutChangePublisher publisher() {
        return new PayoutChangePublisher(Map.of(
                "TABLE_NAME", "PayoutsTable",
                "EVENT_BUS_NAME", "payouts-bus",
                "EVENTBRIDGE_ENDPOINT", "http://127.0.0.1:" + server.getAddress().getPort(),
                "AWS_REGION", "eu-west-1"));
    }

    @Test
    void putsOneEntryPerChangeOnTheBus() throws IOException {
        var a1 = state("A", "pending", 1, 1);
        StreamsEventResponse response = publisher().handleRequest(event(List.of(
                records.insert(a1),
                records.modify(a1, state("A", "paid", 2, 2, "bankReference", "UTR-9")),
                records.insert(state("B", "failed", 1, 1)))), null);

        assertTrue(response.getBatchItemFailures().isEmpty());
        assertEquals(List.of("AWSEvents.PutEvents", "AWSEvents.PutEvents"), targets, "A#2 waits for A#1");
        JsonNode second = requests.get(1).path("Entries");
        assertEquals(2, second.size());
        JsonNode entry = second.get(0);
        assertEquals("payouts-bus", entry.path("EventBusName").asText());
        assertEquals("payout-callbacks", entry.path("Source").asText());
        assertEquals("PayoutStatusChanged", entry.path("DetailType").asText());
        assertTrue(entry.has("Time"));
        JsonNode detail = Json.MAPPER.readTree(entry.path("Detail").asText());
        assertEquals("A#2", detail.path("idempotencyKey").asText());
        assertEquals("paid", detail.path("status").asText());
        assertEquals("pending", detail.path("previousStatus").asText());
        assertEquals(2, detail.path("version").asLong());
        assertEquals("UTR-9", detail.path("bankReference").asText());
    }

    @Test
    void failedEntryCountMakesTheFirstRefusedEntryARecordFailure() {
        var batch = List.of(
                records.insert(state("A", "paid", 1, 1)),
                records.insert(state("B", "paid", 1, 1)),
                records.insert(state("C", "paid", 1, 1)));
        refuse = i -> i >= 1 ? "ThrottlingException" : null;
        StreamsEventResponse response = publisher().handleRequest(event(batch), null);
        assertEquals(List.of(batch.get(1).getDynamodb().getSequenceNumber()),
                response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList());
    }

    @Test
    void aRefusedCallMakesItsFirstRecordAFailure() {
        var batch = List.of(records.insert(state("A", "paid", 1, 1)));
        status = 400;
        StreamsEventResponse response = publisher().handleRequest(event(batch), null);
        assertEquals(List.of(batch.get(0).getDynamodb().getSequenceNumber()),
                response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList());
    }
}
