package dev.payoutcallbacks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.joda.time.DateTimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Triggering what has no HTTP route (a reconciler pass) in the local run — its own process under the Runtime
 * Interface Client, which binds the ScheduledEvent with the runtime's serializers — and the event file itself.
 */
class LocalInvokeTest {
    private static final SamTemplate TEMPLATE = SamTemplate.find();
    private static final Path SCHEDULED = TEMPLATE.projectDir().resolve("events/ReconcilerFunction/scheduled.json");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestRuntime local;
    private static LocalHttpApi api;

    @BeforeAll
    static void start() throws Exception {
        local = new TestRuntime(false);
        api = new LocalHttpApi(local.runtime, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        api.close();
        local.close();
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anEventBridgeScheduledEventBindsWithItsTimeAndDetailType() throws Exception {
        ScheduledEvent event = LocalFunctions.EVENTS.treeToValue(LocalFunctions.EVENTS.readTree(SCHEDULED.toFile()),
                ScheduledEvent.class);
        assertEquals("Scheduled Event", event.getDetailType());
        assertEquals("aws.events", event.getSource());
        assertEquals(2026, event.getTime().getYear());
        assertEquals(5, event.getTime().getMinuteOfHour());
        assertEquals(DateTimeZone.UTC.getOffset(event.getTime()), event.getTime().getZone().getOffset(event.getTime()));
        assertEquals(1, event.getResources().size());
    }

    @Test
    void theReconcilerGetsItsTemplateTimeoutAndMemory() {
        LocalFunction reconciler = local.runtime.function("ReconcilerFunction");
        assertEquals(300, reconciler.timeoutSeconds(), "Timeout: 300 in template.yaml");
        assertEquals(1024, reconciler.memoryMb(), "MemorySize from Globals");
        assertEquals(512, local.runtime.function("PayoutChangePublisherFunction").memoryMb());
    }

    @Test
    void postToLocalInvokeRunsAReconcilerPassAndAnswersItsSummary() throws Exception {
        HttpResponse<String> r = post("/_local/invoke/ReconcilerFunction", Files.readString(SCHEDULED));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode summary = LocalFunctions.EVENTS.readTree(r.body());
        assertTrue(summary.path("complete").asBoolean(), r.body());
        assertEquals(4, summary.path("providers").size(), r.body());
        assertEquals(0, summary.path("withoutStatusApi").size(), "every provider module answers for itself");
        assertEquals(0, summary.path("errors").asInt());
    }

    @Test
    void localInvokeRefusesWhatItCannotRun() throws Exception {
        assertEquals(404, post("/_local/invoke/NoSuchFunction", "{}").statusCode());
        assertEquals(400, post("/_local/invoke/ReconcilerFunction", "{not json").statusCode());
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + api.port() + "/_local/invoke/ReconcilerFunction")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
    }
}
