package dev.payoutcallbacks.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the functions of template.yaml as `sam local` does, with a SAM --env-vars file applied. */
final class TemplateFunctions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TemplateFunctions() {
    }

    /**
     * @param envVarsFile SAM's --env-vars format: {"Parameters": {...}, "<LogicalId>": {...}}; may be null
     * @param extra       variables every function gets on top (the local endpoints; a test's table name)
     */
    static Map<String, LocalFunction> read(SamTemplate template, Path envVarsFile, Map<String, String> extra) {
        JsonNode overrides = readOverrides(envVarsFile);
        JsonNode globalFn = template.root().path("Globals").path("Function");
        JsonNode globals = globalFn.path("Environment").path("Variables");
        Map<String, LocalFunction> functions = new LinkedHashMap<>();
        template.resources("AWS::Serverless::Function").forEach((logicalId, resource) -> {
            JsonNode props = resource.path("Properties");
            Map<String, String> env = new LinkedHashMap<>();
            putAll(env, globals, template);
            putAll(env, props.path("Environment").path("Variables"), template);
            // As sam local: the file overrides only variables the template declares.
            for (String name : List.copyOf(env.keySet())) {
                JsonNode specific = overrides.path(logicalId).path(name);
                JsonNode shared = overrides.path("Parameters").path(name);
                if (!specific.isMissingNode()) {
                    env.put(name, specific.asText());
                } else if (!shared.isMissingNode()) {
                    env.put(name, shared.asText());
                }
            }
            env.putAll(extra);
            List<LocalFunction.Route> routes = new ArrayList<>();
            props.path("Events").forEach(e -> {
                if ("HttpApi".equals(e.path("Type").asText())) {
                    routes.add(new LocalFunction.Route(e.path("Properties").path("Method").asText("ANY").toUpperCase(),
                            e.path("Properties").path("Path").asText()));
                }
            });
            int timeout = props.path("Timeout").asInt(globalFn.path("Timeout").asInt(LocalFunction.DEFAULT_TIMEOUT_SECONDS));
            int memory = props.path("MemorySize").asInt(globalFn.path("MemorySize").asInt(LocalFunction.DEFAULT_MEMORY_MB));
            String codeUri = props.path("CodeUri").asText(globalFn.path("CodeUri").asText(null));
            functions.put(logicalId, new LocalFunction(logicalId, props.path("Handler").asText(), Map.copyOf(env),
                    List.copyOf(routes), timeout, memory, codeUri));
        });
        return functions;
    }

    private static JsonNode readOverrides(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Template values: a bare Ref to a parameter resolves to its default, to a resource to its logical id. */
    private static void putAll(Map<String, String> env, JsonNode variables, SamTemplate template) {
        Iterator<Map.Entry<String, JsonNode>> it = variables.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> v = it.next();
            String value = v.getValue().asText();
            String parameterDefault = template.parameterDefault(value);
            env.put(v.getKey(), parameterDefault != null ? parameterDefault : value);
        }
    }

    /** A variable still holding a deploy-time reference cannot be given to a local function. */
    static void requireLocalValues(LocalFunction f) {
        for (Map.Entry<String, String> v : f.environment().entrySet()) {
            if (v.getValue().contains("{{resolve:")) {
                throw new IllegalStateException(f.logicalId() + ": " + v.getKey()
                        + " is a deploy-time secret reference; give it a local value in infra/local-env.json");
            }
        }
    }
}
