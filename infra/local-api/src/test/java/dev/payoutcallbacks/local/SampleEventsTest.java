package dev.payoutcallbacks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every file in events/ is invoked on its function's own deployment package, in its own JVM, under AWS's Runtime
 * Interface Client (the directory name is the function's logical id), and must get the answer
 * events/<Fn>/expectations.json states. The runtime binds each event to the handler's type with its own
 * serializers and serialises the answer back: nothing of the test's class path reaches the function. Directories
 * run in template order against one table, so the read function's events can find payouts the callback events
 * created. Once as Lambda starts functions on demand, once with SnapStart's hooks (beforeCheckpoint after init,
 * afterRestore before the first invocation).
 */
class SampleEventsTest {
    private final SamTemplate template = TestRuntime.TEMPLATE;
    private final Path events = template.projectDir().resolve("events");

    @Test
    void everySampleEventGetsItsExpectedAnswerUnderTheRuntimeInterfaceClient() throws IOException {
        try (TestRuntime local = new TestRuntime(false)) {
            checkEveryEvent(local);
        }
    }

    @Test
    void everySampleEventGetsItsExpectedAnswerAfterASnapStartRestore() throws IOException {
        try (TestRuntime local = new TestRuntime(true)) {
            checkEveryEvent(local);
            // Priming ran before the "snapshot" and no step of it was refused (each function warms only with the
            // calls its policy grants; a failed step logs one line).
            List<String> primingFailures = local.output().stream().filter(l -> l.contains("\"snapStartPriming\"")).toList();
            assertEquals(List.of(), primingFailures);
        }
    }

    private void checkEveryEvent(TestRuntime local) throws IOException {
        LambdaRuntime functions = local.runtime;

        Set<String> directories = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(events)) {
            dirs.filter(Files::isDirectory).forEach(d -> directories.add(d.getFileName().toString()));
        }
        assertTrue(functions.functions().keySet().containsAll(directories),
                "every events/ directory names a function of template.yaml: " + directories);

        List<String> failures = new ArrayList<>();
        int invoked = 0;
        for (String logicalId : functions.functions().keySet()) {
            Path dir = events.resolve(logicalId);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            JsonNode expectations = LocalFunctions.EVENTS.readTree(dir.resolve("expectations.json").toFile());
            Set<String> listed = new TreeSet<>();
            for (JsonNode expected : expectations) {
                String file = expected.path("event").asText();
                listed.add(file);
                byte[] event = Files.readAllBytes(dir.resolve(file));
                FunctionInvoker.Invocation invocation = functions.invoke(logicalId, event);
                invoked++;
                String where = logicalId + "/" + file;
                if (!invocation.succeeded()) {
                    failures.add(where + ": " + invocation.describe());
                    continue;
                }
                JsonNode returned = LocalFunctions.EVENTS.readTree(invocation.payload());
                if (expected.has("batchItemFailures")) {
                    // A stream consumer: {"event", "batchItemFailures": <how many records it reports failed>}
                    int failed = returned.path("batchItemFailures").size();
                    if (failed != expected.path("batchItemFailures").asInt(-1)) {
                        failures.add(where + ": " + failed + " batch item failures (expected "
                                + expected.path("batchItemFailures") + "): " + returned);
                    }
                    continue;
                }
                if (!expected.has("status")) {
                    // Any other handler (e.g. the reconciler's pass summary): {"event", "output": {field: value}};
                    // each listed field of the answer, as JSON, must equal the value given.
                    if (!expected.path("output").isObject()) {
                        failures.add(where + ": expectations need \"output\" for a non-HTTP answer: " + returned);
                    }
                    expected.path("output").fields().forEachRemaining(field -> {
                        if (!field.getValue().equals(returned.path(field.getKey()))) {
                            failures.add(where + ": " + field.getKey() + " " + returned.path(field.getKey()) + " (expected "
                                    + field.getValue() + "): " + returned);
                        }
                    });
                    continue;
                }
                LocalHttpApi.HttpAnswer answer = LocalHttpApi.HttpAnswer.fromLambda(invocation.payload());
                if (answer.status() != expected.path("status").asInt()) {
                    failures.add(where + ": status " + answer.status() + " (expected "
                            + expected.path("status").asInt() + "): " + answer.bodyText());
                    continue;
                }
                if (expected.has("result")) {
                    String result = LocalFunctions.EVENTS.readTree(answer.body()).path("result").asText();
                    if (!expected.path("result").asText().equals(result)) {
                        failures.add(where + ": result " + result + " (expected " + expected.path("result").asText()
                                + "): " + answer.bodyText());
                    }
                }
            }
            try (Stream<Path> files = Files.list(dir)) {
                List<String> unlisted = files.map(f -> f.getFileName().toString())
                        .filter(n -> n.endsWith(".json") && !n.equals("expectations.json") && !listed.contains(n))
                        .toList();
                assertEquals(List.of(), unlisted, logicalId + ": every event file needs an expectation");
            }
        }
        assertTrue(invoked > 0, "no events invoked");
        assertFalse(!failures.isEmpty(), String.join("\n", failures));
    }
}
