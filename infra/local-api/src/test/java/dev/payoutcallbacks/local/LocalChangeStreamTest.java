package dev.payoutcallbacks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The local change stream: callbacks applied through the Slate function's own process, the table's stream read
 * from DynamoDB Local by the poller, the publisher's own process invoked with Lambda's DynamoDB stream event (bound
 * by the Runtime Interface Client's serializers, which need joda-time in the publisher's package), and the events
 * it wrote to its output listed by GET /_local/events.
 */
class LocalChangeStreamTest {
    private static final SamTemplate TEMPLATE = SamTemplate.find();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void appliedChangesAppearOnceEachOnTheLocalEventsRoute() throws Exception {
        EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.shared();
        Path slate = TEMPLATE.projectDir().resolve("events/SlateCallbackFunction");
        try (TestRuntime local = new TestRuntime(false);
             LocalHttpApi api = new LocalHttpApi(local.runtime, "127.0.0.1", 0);
             LocalStreamPoller poller = new LocalStreamPoller(TEMPLATE, local.runtime, dynamo,
                     Map.of("PayoutsTable", local.table))) {
            assertEquals(List.of("PayoutChangePublisherFunction"),
                    poller.mappings().stream().map(LocalStreamPoller.Mapping::functionId).toList());
            poller.start();
            // paid, its duplicate, a contradicting failure (flag only), submit_not_received, then paid.
            for (String file : List.of("01-paid.json", "02-paid-duplicate.json", "03-failed-after-paid-conflict.json",
                    "04-submit-not-received.json", "05-paid-after-submit-not-received.json")) {
                FunctionInvoker.Invocation invocation = local.runtime.invoke("SlateCallbackFunction",
                        Files.readAllBytes(slate.resolve(file)));
                LocalHttpApi.HttpAnswer answer = LocalHttpApi.HttpAnswer.fromLambda(invocation.payload());
                assertEquals(200, answer.status(), file + ": " + invocation.describe());
            }

            JsonNode events = null;
            for (int i = 0; i < 100; i++) {
                events = get(api, "/_local/events").path("events");
                if (events.size() >= 3) {
                    break;
                }
                Thread.sleep(100);
            }
            Thread.sleep(600); // anything extra (a duplicate, the flag) would have arrived by now
            events = get(api, "/_local/events").path("events");
            List<String> keys = new ArrayList<>();
            events.forEach(e -> keys.add(e.path("detail").path("idempotencyKey").asText()));
            assertEquals(List.of("slate-po-1001#1", "slate-po-1002#1", "slate-po-1002#2"), keys);
            JsonNode paid = get(api, "/_local/events?reference=slate-po-1002").path("events").get(1);
            assertEquals("PayoutStatusChanged", paid.path("detail-type").asText());
            assertEquals("paid", paid.path("detail").path("status").asText());
            assertEquals("submit_not_received", paid.path("detail").path("previousStatus").asText());
            assertEquals("paid", paid.path("detail").path("slateStatus").asText());
            assertEquals(2, paid.path("detail").path("version").asInt());
            assertTrue(get(api, "/_local/events").path("published").asLong() >= 3);
        }
    }

    private static JsonNode get(LocalHttpApi api, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return LocalFunctions.EVENTS.readTree(r.body());
    }
}
