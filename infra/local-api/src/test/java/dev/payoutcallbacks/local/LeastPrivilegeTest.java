package dev.payoutcallbacks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The template is checked against the code: every function runs its sample events (and, with SnapStart, its
 * priming; the reconciler a second pass once payouts are due) in its own process under the Runtime Interface Client, every DynamoDB call it makes is recorded on
 * the wire, and each must be granted by that function's statements in template.yaml — on the table or on the
 * index it names. A granted DynamoDB action no sample event or priming ever uses fails too: nothing more than the
 * code needs.
 */
class LeastPrivilegeTest {

    @Test
    void everyDynamoDbCallIsGrantedAndEveryGrantIsUsed() throws Exception {
        EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.shared();
        Map<String, Map<String, Set<String>>> used;
        try (AwsCallRecorder recorder = new AwsCallRecorder(dynamo.endpoint());
             TestRuntime local = new TestRuntime(true, recorder.endpoint())) {
            Path events = TestRuntime.TEMPLATE.projectDir().resolve("events");
            for (String logicalId : local.runtime.functions().keySet()) {
                Path dir = events.resolve(logicalId);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                for (JsonNode expected : LocalFunctions.EVENTS.readTree(dir.resolve("expectations.json").toFile())) {
                    local.runtime.invoke(logicalId, Files.readAllBytes(dir.resolve(expected.path("event").asText())));
                }
            }
            // The next scheduled pass, as EventBridge would send it: by now payouts registered long ago are due,
            // so the reconciler reads and polls them (the local status APIs do not answer: each poll backs off).
            local.runtime.invoke("ReconcilerFunction", Files.readAllBytes(events.resolve("ReconcilerFunction/scheduled.json")));
            used = recorder.byCaller();
        }
        Map<String, Map<String, Set<String>>> granted = grantedDynamoDbActions();
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Set<String>>> observed = new TreeMap<>();
        for (String logicalId : granted.keySet()) {
            Map<String, Set<String>> calls = used.getOrDefault("LOCAL" + logicalId.toUpperCase(Locale.ROOT), Map.of());
            observed.put(logicalId, calls);
            Map<String, Set<String>> grants = granted.get(logicalId);
            calls.forEach((action, resources) -> resources.forEach(resource -> {
                if (!grants.getOrDefault(action, Set.of()).contains(resource)) {
                    problems.add(logicalId + " calls " + action + " on " + resource + " but template.yaml does not grant it");
                }
            }));
            grants.forEach((action, resources) -> resources.forEach(resource -> {
                if (!calls.getOrDefault(action, Set.of()).contains(resource)) {
                    problems.add(logicalId + " is granted " + action + " on " + resource
                            + " but no sample event or priming uses it");
                }
            }));
        }
        System.out.println("[least-privilege] observed DynamoDB calls per function: " + observed);
        assertTrue(observed.values().stream().anyMatch(m -> !m.isEmpty()), "calls were recorded: " + used);
        assertEquals(List.of(), problems);
    }

    /** Per function: DynamoDB action → resources ("table", "index/<name>") its template statements allow. */
    private static Map<String, Map<String, Set<String>>> grantedDynamoDbActions() {
        Map<String, Map<String, Set<String>>> granted = new TreeMap<>();
        JsonNode templateResources = TestRuntime.TEMPLATE.root().path("Resources");
        TestRuntime.TEMPLATE.resources("AWS::Serverless::Function").forEach((logicalId, fn) -> {
            Map<String, Set<String>> grants = new TreeMap<>();
            List<JsonNode> policies = new ArrayList<>();
            fn.path("Properties").path("Policies").forEach(policies::add);
            // A function with its own role (the publisher): that role's inline policies are what it is granted.
            String role = fn.path("Properties").path("Role").asText("");
            if (!role.isEmpty()) {
                templateResources.path(role.replace(".Arn", "")).path("Properties").path("Policies")
                        .forEach(p -> policies.add(p.path("PolicyDocument")));
            }
            for (JsonNode policy : policies) {
                if (policy.isTextual() || (policy.isObject() && !policy.has("Statement"))) {
                    String name = policy.isTextual() ? policy.asText() : policy.fieldNames().next();
                    assertTrue(!name.startsWith("DynamoDB"), logicalId + ": grant DynamoDB with explicit statements, not "
                            + name + " (its actions cannot be checked against the code)");
                    continue;
                }
                for (JsonNode statement : policy.path("Statement")) {
                    if (!"Allow".equals(statement.path("Effect").asText())) {
                        continue;
                    }
                    List<String> resources = new ArrayList<>();
                    JsonNode r = statement.path("Resource");
                    (r.isArray() ? r : LocalFunctions.EVENTS.createArrayNode().add(r)).forEach(x -> resources.add(x.asText()));
                    JsonNode a = statement.path("Action");
                    for (JsonNode action : a.isArray() ? a : LocalFunctions.EVENTS.createArrayNode().add(a)) {
                        if (!action.asText().startsWith("dynamodb:")) {
                            continue;
                        }
                        for (String resource : resources) {
                            if (!resource.contains("PayoutsTable.Arn") || resource.contains("/stream")) {
                                continue; // the stream's actions are the event source mapping's, not the code's
                            }
                            int index = resource.indexOf("/index/");
                            grants.computeIfAbsent(action.asText(), k -> new TreeSet<>())
                                    .add(index < 0 ? "table" : "index/" + resource.substring(index + "/index/".length()));
                        }
                    }
                }
            }
            granted.put(logicalId, grants);
        });
        return granted;
    }
}
