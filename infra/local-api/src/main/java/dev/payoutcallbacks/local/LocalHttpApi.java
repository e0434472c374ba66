package dev.payoutcallbacks.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.payoutcallbacks.local.FunctionInvoker.Invocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP API on loopback that plays API Gateway (HTTP API, payload format 2.0) for every HttpApi
 * route of template.yaml: request → the event JSON API Gateway sends → the function (through a
 * {@link FunctionInvoker}: its own process under the Runtime Interface Client in the local run) → the
 * response API Gateway makes of the function's answer. A function error or timeout is a 500, as API Gateway
 * answers a failed Lambda integration.
 */
public final class LocalHttpApi implements AutoCloseable {
    static {
        // The JDK's HTTP server reads this once per JVM, at its first server: without TCP_NODELAY, Nagle's
        // algorithm and the peer's delayed ACK add ~40 ms to small keep-alive exchanges on loopback.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** API Gateway's own payload limit. */
    private static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;
    /** Local-only read route: the events the local change stream published. */
    static final String EVENTS_ROUTE = "/_local/events";
    /** Local-only: POST /_local/invoke/{FunctionLogicalId} with an event body invokes any function directly. */
    static final String INVOKE_ROUTE = "/_local/invoke/";

    /** What the local event bus received: PayoutStatusChanged events, oldest first, and how many in all. */
    public interface EventLog {
        List<ObjectNode> publishedEvents();

        long publishedCount();
    }

    private final Map<String, LocalFunction> functions;
    private final FunctionInvoker invoker;
    private final EventLog events;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Bound> routes = new ArrayList<>();

    private record Bound(LocalFunction function, LocalFunction.Route route, String[] segments) {
    }

    public LocalHttpApi(LambdaRuntime runtime, String host, int port) throws IOException {
        this(runtime.functions(), runtime, new EventLog() {
            @Override
            public List<ObjectNode> publishedEvents() {
                return runtime.publishedEvents();
            }

            @Override
            public long publishedCount() {
                return runtime.publishedCount();
            }
        }, host, port);
    }

    public LocalHttpApi(Map<String, LocalFunction> functions, FunctionInvoker invoker, EventLog events, String host,
                        int port) throws IOException {
        this.functions = functions;
        this.invoker = invoker;
        this.events = events;
        functions.values().forEach(f -> f.routes().forEach(r ->
                routes.add(new Bound(f, r, r.path().substring(1).split("/", -1)))));
        this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
        this.executor = Executors.newFixedThreadPool(16);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<LocalFunction.Route> routes() {
        return routes.stream().map(Bound::route).toList();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals(EVENTS_ROUTE)) {
                publishedEvents(exchange, method);
                return;
            }
            if (path.startsWith(INVOKE_ROUTE)) {
                invokeDirectly(exchange, method, path.substring(INVOKE_ROUTE.length()));
                return;
            }
            Map<String, String> pathParameters = new LinkedHashMap<>();
            Bound match = match(method, path, pathParameters);
            if (match == null) {
                respond(exchange, 404, "{\"message\":\"Not Found\"}");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_REQUEST_BYTES + 1);
            }
            if (body.length > MAX_REQUEST_BYTES) {
                respond(exchange, 413, "{\"message\":\"Request Entity Too Large\"}");
                return;
            }
            JsonNode event = event(exchange, match, path, pathParameters, body);
            Invocation answer;
            try {
                answer = invoker.invoke(match.function().logicalId(), LocalFunctions.EVENTS.writeValueAsBytes(event));
            } catch (RuntimeException e) {
                System.err.println(match.function().logicalId() + " could not be invoked: " + e);
                respond(exchange, 500, "{\"message\":\"Internal Server Error\"}");
                return;
            }
            if (!answer.succeeded()) {
                // What API Gateway answers when the Lambda integration fails (error, timeout, crash).
                System.err.println(match.function().logicalId() + " failed: " + answer.describe());
                respond(exchange, 500, "{\"message\":\"Internal Server Error\"}");
                return;
            }
            HttpAnswer response = HttpAnswer.fromLambda(answer.payload());
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(response.body());
                }
            }
        }
    }

    /**
     * What API Gateway (payload format 2.0) makes of a function's answer: an object with {@code statusCode} is a
     * response (headers, body, isBase64Encoded); anything else is a 200 whose body is the answer as JSON.
     */
    public record HttpAnswer(int status, Map<String, String> headers, byte[] body) {
        public static HttpAnswer fromLambda(byte[] payload) {
            JsonNode answer;
            try {
                answer = LocalFunctions.EVENTS.readTree(payload);
            } catch (IOException notJson) {
                return new HttpAnswer(200, Map.of("content-type", "application/json"), payload);
            }
            if (answer == null || !answer.isObject() || !answer.has("statusCode")) {
                return new HttpAnswer(200, Map.of("content-type", "application/json"), payload);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            answer.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
            JsonNode body = answer.path("body");
            byte[] bytes = body.isMissingNode() || body.isNull() ? new byte[0]
                    : answer.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(body.asText())
                    : body.asText().getBytes(StandardCharsets.UTF_8);
            return new HttpAnswer(answer.path("statusCode").asInt(500), headers, bytes);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private Bound match(String method, String path, Map<String, String> pathParameters) {
        String[] parts = path.substring(1).split("/", -1);
        for (Bound b : routes) {
            if (!b.route().method().equals(method) && !b.route().method().equals("ANY")) {
                continue;
            }
            if (b.segments().length != parts.length) {
                continue;
            }
            Map<String, String> found = new LinkedHashMap<>();
            boolean ok = true;
            for (int i = 0; i < parts.length && ok; i++) {
                String template = b.segments()[i];
                if (template.startsWith("{") && template.endsWith("}")) {
                    String value = URLDecoder.decode(parts[i], StandardCharsets.UTF_8);
                    ok = !value.isEmpty();
                    found.put(template.substring(1, template.length() - 1), value);
                } else {
                    ok = template.equals(parts[i]);
                }
            }
            if (ok) {
                pathParameters.putAll(found);
                return b;
            }
        }
        return null;
    }

    private static JsonNode event(HttpExchange exchange, Bound match, String path, Map<String, String> pathParameters,
                                  byte[] body) {
        ObjectNode event = LocalFunctions.EVENTS.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", match.route().routeKey());
        event.put("rawPath", path);
        String query = exchange.getRequestURI().getRawQuery();
        event.put("rawQueryString", query == null ? "" : query);
        ObjectNode headers = event.putObject("headers");
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        if (query != null && !query.isEmpty()) {
            ObjectNode params = event.putObject("queryStringParameters");
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(k, params.has(k) ? params.get(k).asText() + "," + v : v);
            }
        }
        if (!pathParameters.isEmpty()) {
            ObjectNode params = event.putObject("pathParameters");
            pathParameters.forEach(params::put);
        }
        ObjectNode ctx = event.putObject("requestContext");
        ctx.put("accountId", "000000000000");
        ctx.put("apiId", "local");
        ctx.put("domainName", exchange.getLocalAddress().getHostString());
        ctx.put("requestId", UUID.randomUUID().toString());
        ctx.put("routeKey", match.route().routeKey());
        ctx.put("stage", "$default");
        ctx.put("timeEpoch", Instant.now().toEpochMilli());
        ObjectNode http = ctx.putObject("http");
        http.put("method", exchange.getRequestMethod().toUpperCase(Locale.ROOT));
        http.put("path", path);
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        http.put("userAgent", exchange.getRequestHeaders().getFirst("User-Agent"));
        if (body.length > 0) {
            String text = utf8(body);
            // As API Gateway: text stays text, anything else arrives base64-encoded.
            event.put("body", text != null ? text : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", text == null);
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * GET /_local/events[?reference=...]: the PayoutStatusChanged events the local change stream published
     * (the last ones each publisher keeps), oldest first. Local only: loopback callers, never in template.yaml.
     */
    private void publishedEvents(HttpExchange exchange, String method) throws IOException {
        if (!"GET".equals(method)) {
            respond(exchange, 405, "{\"message\":\"Method Not Allowed\"}");
            return;
        }
        if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
            respond(exchange, 403, "{\"message\":\"Forbidden\"}");
            return;
        }
        String query = exchange.getRequestURI().getRawQuery();
        String reference = null;
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("reference=")) {
                    reference = URLDecoder.decode(pair.substring("reference=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        ObjectNode answer = LocalFunctions.EVENTS.createObjectNode();
        ArrayNode list = answer.putArray("events");
        for (ObjectNode e : events.publishedEvents()) {
            if (reference == null || reference.equals(e.path("detail").path("reference").asText())) {
                list.add(e);
            }
        }
        answer.put("published", events.publishedCount());
        respond(exchange, 200, LocalFunctions.EVENTS.writeValueAsString(answer));
    }

    /**
     * POST /_local/invoke/{FunctionLogicalId}, body = the event (as `invoke -e` takes it; empty means {}): invokes
     * the function as Lambda would, with its template Timeout, and answers 200 with what the handler returned,
     * as JSON. This is how a reconciler pass (a scheduled function, no HTTP route) is triggered on demand:
     * {@code curl -X POST --data @events/ReconcilerFunction/scheduled.json
     * http://127.0.0.1:3000/_local/invoke/ReconcilerFunction}. Loopback callers only; never in template.yaml.
     * 404 unknown function, 400 unreadable event, 500 the function failed (its error as the runtime reported it).
     */
    private void invokeDirectly(HttpExchange exchange, String method, String rawLogicalId) throws IOException {
        if (!"POST".equals(method)) {
            respond(exchange, 405, "{\"message\":\"Method Not Allowed\"}");
            return;
        }
        if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
            respond(exchange, 403, "{\"message\":\"Forbidden\"}");
            return;
        }
        String logicalId = URLDecoder.decode(rawLogicalId, StandardCharsets.UTF_8);
        if (!functions.containsKey(logicalId)) {
            ObjectNode unknown = LocalFunctions.EVENTS.createObjectNode();
            unknown.put("message", "no function " + logicalId + " in template.yaml");
            unknown.putPOJO("known", functions.keySet());
            respond(exchange, 404, LocalFunctions.EVENTS.writeValueAsString(unknown));
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_REQUEST_BYTES + 1);
        }
        if (body.length > MAX_REQUEST_BYTES) {
            respond(exchange, 413, "{\"message\":\"Request Entity Too Large\"}");
            return;
        }
        JsonNode event;
        try {
            event = body.length == 0 ? LocalFunctions.EVENTS.createObjectNode() : LocalFunctions.EVENTS.readTree(body);
        } catch (IOException unreadable) {
            respond(exchange, 400, "{\"message\":\"the event is not JSON\"}");
            return;
        }
        Invocation answer;
        try {
            answer = invoker.invoke(logicalId, LocalFunctions.EVENTS.writeValueAsBytes(event));
        } catch (IllegalArgumentException unfit) {
            ObjectNode error = LocalFunctions.EVENTS.createObjectNode();
            error.put("message", unfit.getMessage());
            respond(exchange, 400, LocalFunctions.EVENTS.writeValueAsString(error));
            return;
        } catch (RuntimeException e) {
            System.err.println(logicalId + " could not be invoked: " + e);
            respond(exchange, 500, "{\"message\":\"" + logicalId + " could not be invoked\"}");
            return;
        }
        if (!answer.succeeded()) {
            System.err.println(logicalId + " failed: " + answer.describe());
            ObjectNode error = LocalFunctions.EVENTS.createObjectNode();
            error.put("message", logicalId + " failed: " + answer.kind() + (answer.errorType() == null ? "" : " " + answer.errorType()));
            try {
                error.set("error", LocalFunctions.EVENTS.readTree(answer.payload()));
            } catch (IOException notJson) {
                error.put("error", answer.payloadText());
            }
            respond(exchange, 500, LocalFunctions.EVENTS.writeValueAsString(error));
            return;
        }
        respond(exchange, 200, answer.payloadText());
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] out = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("content-type", "application/json");
        exchange.sendResponseHeaders(status, out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
