package dev.payoutcallbacks.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The functions of template.yaml, hosted in this JVM: each one's handler (as named in the template),
 * its environment (template values, then the SAM-style env-vars file, then the local DynamoDB endpoint)
 * and its HttpApi routes. What `sam local invoke` does, without Docker.
 */
public final class LocalFunctions {
    static final ObjectMapper EVENTS = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(StreamEventBinding.module())
            .addModule(ScheduledEventBinding.module())
            .build();

    private final Map<String, LocalFunction> functions;
    private final Map<String, Object> handlers = new ConcurrentHashMap<>();

    private LocalFunctions(Map<String, LocalFunction> functions) {
        this.functions = functions;
    }

    /**
     * @param envVarsFile SAM's --env-vars format: {"Parameters": {...}, "<LogicalId>": {...}}; may be null
     * @param extra       variables every function gets (the DynamoDB endpoint)
     */
    public static LocalFunctions fromTemplate(SamTemplate template, Path envVarsFile, Map<String, String> extra) {
        JsonNode overrides = readOverrides(envVarsFile);
        JsonNode globals = template.root().path("Globals").path("Function").path("Environment").path("Variables");
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
            resource.path("Properties").path("Events").forEach(e -> {
                if ("HttpApi".equals(e.path("Type").asText())) {
                    routes.add(new LocalFunction.Route(e.path("Properties").path("Method").asText("ANY").toUpperCase(),
                            e.path("Properties").path("Path").asText()));
                }
            });
            int timeout = props.path("Timeout").asInt(template.root().path("Globals").path("Function").path("Timeout")
                    .asInt(LocalFunction.DEFAULT_TIMEOUT_SECONDS));
            functions.put(logicalId, new LocalFunction(logicalId, props.path("Handler").asText(), Map.copyOf(env),
                    List.copyOf(routes), timeout));
        });
        return new LocalFunctions(functions);
    }

    private static JsonNode readOverrides(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return EVENTS.createObjectNode();
        }
        try {
            return EVENTS.readTree(file.toFile());
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

    public Map<String, LocalFunction> all() {
        return functions;
    }

    public LocalFunction get(String logicalId) {
        LocalFunction f = functions.get(logicalId);
        if (f == null) {
            throw new IllegalArgumentException("no function " + logicalId + " in template.yaml; known: " + functions.keySet());
        }
        return f;
    }

    /** The function's handler instance (created on first use, as on a cold start). */
    public Object handler(String logicalId) {
        LocalFunction f = get(logicalId);
        return handlers.computeIfAbsent(logicalId, id -> instantiate(f));
    }

    /** A Context for one invocation of the function: its remaining time counts down from the template's Timeout. */
    Context context(String logicalId) {
        return new LocalContext(logicalId, get(logicalId).timeoutSeconds() * 1000L);
    }

    /** Invokes a function with an event given as JSON, as Lambda would: the event is bound to the handler's type. */
    public Object invoke(String logicalId, JsonNode event, Context context) {
        LocalFunction f = get(logicalId);
        Object handler = handlers.computeIfAbsent(logicalId, id -> instantiate(f));
        Method method = handlerMethod(handler.getClass(), f.handlerMethod());
        try {
            Object input = EVENTS.treeToValue(event, method.getParameterTypes()[0]);
            return method.invoke(handler, input, context);
        } catch (IOException e) {
            throw new IllegalArgumentException("event does not fit " + method.getParameterTypes()[0].getSimpleName()
                    + ": " + e.getMessage(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(logicalId + " threw " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object instantiate(LocalFunction f) {
        for (Map.Entry<String, String> v : f.environment().entrySet()) {
            if (v.getValue().contains("{{resolve:")) {
                throw new IllegalStateException(f.logicalId() + ": " + v.getKey()
                        + " is a deploy-time secret reference; give it a local value in infra/local-env.json");
            }
        }
        try {
            Class<?> type = Class.forName(f.handlerClass());
            try {
                Constructor<?> withEnv = type.getConstructor(Map.class);
                return withEnv.newInstance(f.environment());
            } catch (NoSuchMethodException noEnvConstructor) {
                return type.getConstructor().newInstance();
            }
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new IllegalStateException("cannot start " + f.logicalId() + " (" + f.handler() + "): " + cause, cause);
        }
    }

    private static Method handlerMethod(Class<?> type, String name) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 2 && !m.isBridge()
                    && Context.class.equals(m.getParameterTypes()[1])) {
                return m;
            }
        }
        throw new IllegalStateException(type.getName() + " has no " + name + "(event, Context)");
    }
}
