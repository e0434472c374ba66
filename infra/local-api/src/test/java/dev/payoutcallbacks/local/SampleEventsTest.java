package dev.payoutcallbacks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every file in events/ is invoked through the handler template.yaml names for its function (the
 * directory name is the function's logical id) and must get the answer events/<Fn>/expectations.json
 * states. Directories run in template order against one table, so the read function's events can
 * find payouts the callback events created.
 */
class SampleEventsTest {
    private final SamTemplate template = SamTemplate.find();
    private final Path events = template.projectDir().resolve("events");

    @Test
    void everySampleEventGetsItsExpectedAnswer() throws IOException {
        EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.shared();
        String table = dynamo.freshTable(template, "PayoutsTable");
        LocalFunctions functions = LocalFunctions.fromTemplate(template,
                template.projectDir().resolve("infra/local-env.json"),
                Map.of("TABLE_NAME", table, "DYNAMODB_ENDPOINT", dynamo.endpoint(), "AWS_REGION", EmbeddedDynamoDb.REGION));

        Set<String> directories = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(events)) {
            dirs.filter(Files::isDirectory).forEach(d -> directories.add(d.getFileName().toString()));
        }
        assertTrue(functions.all().keySet().containsAll(directories),
                "every events/ directory names a function of template.yaml: " + directories);

        List<String> failures = new ArrayList<>();
        int invoked = 0;
        for (String logicalId : functions.all().keySet()) {
            Path dir = events.resolve(logicalId);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            JsonNode expectations = LocalFunctions.EVENTS.readTree(dir.resolve("expectations.json").toFile());
            Set<String> listed = new TreeSet<>();
            for (JsonNode expected : expectations) {
                String file = expected.path("event").asText();
                listed.add(file);
                JsonNode event = LocalFunctions.EVENTS.readTree(dir.resolve(file).toFile());
                Object returned = functions.invoke(logicalId, event, functions.context(logicalId));
                invoked++;
                String where = logicalId + "/" + file;
                if (returned instanceof StreamsEventResponse stream) {
                    // A stream consumer: {"event", "batchItemFailures": <how many records it reports failed>}
                    int failed = stream.getBatchItemFailures() == null ? 0 : stream.getBatchItemFailures().size();
                    if (failed != expected.path("batchItemFailures").asInt(-1)) {
                        failures.add(where + ": " + failed + " batch item failures (expected "
                                + expected.path("batchItemFailures") + ")");
                    }
                    continue;
                }
                if (!(returned instanceof APIGatewayV2HTTPResponse)) {
                    // Any other handler (e.g. the reconciler's pass summary): {"event", "output": {field: value}};
                    // each listed field of the answer, as JSON, must equal the value given.
                    JsonNode output = LocalFunctions.EVENTS.valueToTree(returned);
                    if (!expected.path("output").isObject()) {
                        failures.add(where + ": expectations need \"output\" for a non-HTTP answer: " + output);
                    }
                    expected.path("output").fields().forEachRemaining(field -> {
                        if (!field.getValue().equals(output.path(field.getKey()))) {
                            failures.add(where + ": " + field.getKey() + " " + output.path(field.getKey()) + " (expected "
                                    + field.getValue() + "): " + output);
                        }
                    });
                    continue;
                }
                APIGatewayV2HTTPResponse answer = (APIGatewayV2HTTPResponse) returned;
                if (answer.getStatusCode() != expected.path("status").asInt()) {
                    failures.add(where + ": status " + answer.getStatusCode() + " (expected "
                            + expected.path("status").asInt() + "): " + answer.getBody());
                    continue;
                }
                if (expected.has("result")) {
                    String result = LocalFunctions.EVENTS.readTree(answer.getBody()).path("result").asText();
                    if (!expected.path("result").asText().equals(result)) {
                        failures.add(where + ": result " + result + " (expected " + expected.path("result").asText()
                                + "): " + answer.getBody());
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
