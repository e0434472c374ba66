package dev.payoutcallbacks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
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
                APIGatewayV2HTTPResponse answer = (APIGatewayV2HTTPResponse) functions.invoke(logicalId, event,
                        new LocalContext(logicalId));
                invoked++;
                String where = logicalId + "/" + file;
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
