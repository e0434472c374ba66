package dev.payoutcallbacks.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import dev.payoutcallbacks.publisher.PayoutChangePublisher;
import dev.payoutcallbacks.publisher.StdoutSink;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The functions of template.yaml hosted together in THIS JVM, on one class path: the correctness harness's fast
 * path (model, fuzz and fault tests need thousands of invocations). It proves nothing about a deployment package;
 * the local run and the sample-event tests use {@link LambdaRuntime}, which runs each package under AWS's
 * Runtime Interface Client in its own process.
 */
public final class LocalFunctions implements FunctionInvoker, LocalHttpApi.EventLog {
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
        return new LocalFunctions(TemplateFunctions.read(template, envVarsFile, extra));
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

    /** As {@link #invoke(String, JsonNode, Context)}, with the answer serialised as JSON (as a runtime would). */
    @Override
    public Invocation invoke(String logicalId, byte[] event) {
        try {
            Object answer = invoke(logicalId, EVENTS.readTree(event), context(logicalId));
            return Invocation.success(EVENTS.writeValueAsBytes(answer));
        } catch (IOException e) {
            throw new IllegalArgumentException("event is not JSON: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            return Invocation.failed(Invocation.Kind.FUNCTION_ERROR, String.valueOf(e.getCause()),
                    ("{\"errorMessage\":\"" + e.getMessage().replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public List<ObjectNode> publishedEvents() {
        List<ObjectNode> found = new ArrayList<>();
        for (LocalFunction f : functions.values()) {
            if (handlers.get(f.logicalId()) instanceof PayoutChangePublisher publisher
                    && publisher.sink() instanceof StdoutSink sink) {
                found.addAll(sink.recentEvents());
            }
        }
        return found;
    }

    @Override
    public long publishedCount() {
        long count = 0;
        for (LocalFunction f : functions.values()) {
            if (handlers.get(f.logicalId()) instanceof PayoutChangePublisher publisher
                    && publisher.sink() instanceof StdoutSink sink) {
                count += sink.published();
            }
        }
        return count;
    }

    private static Object instantiate(LocalFunction f) {
        TemplateFunctions.requireLocalValues(f);
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
