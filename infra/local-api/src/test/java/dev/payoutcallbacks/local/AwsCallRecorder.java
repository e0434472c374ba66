package dev.payoutcallbacks.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback proxy in front of DynamoDB Local that records every call the function processes make: who (the
 * access key the local runtime gives each function), which action ({@code X-Amz-Target}) and on what (the table,
 * or the index). What IAM would evaluate, observed rather than read from the code.
 */
final class AwsCallRecorder implements AutoCloseable {
    static {
        // The JDK's HTTP server reads this once per JVM, at its first server: without TCP_NODELAY, Nagle's
        // algorithm and the peer's delayed ACK add ~40 ms to small keep-alive exchanges on loopback.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");
    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection",
            "expect", "upgrade", "transfer-encoding");

    /** One AWS call: the caller's access key, the IAM action, the resource ("table" or "index/<name>"). */
    record Call(String accessKey, String action, String resource) implements Comparable<Call> {
        @Override
        public int compareTo(Call o) {
            return toString().compareTo(o.toString());
        }
    }

    private final String target;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Set<Call> calls = ConcurrentHashMap.newKeySet();
    private final long delayMillis;

    AwsCallRecorder(String dynamoEndpoint) throws IOException {
        this(dynamoEndpoint, 0);
    }

    /** @param delayMillis added before forwarding each call (a slow DynamoDB) */
    AwsCallRecorder(String dynamoEndpoint, long delayMillis) throws IOException {
        this.target = dynamoEndpoint;
        this.delayMillis = delayMillis;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "aws-call-recorder");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::forward);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The calls seen, by access key: action → resources. */
    Map<String, Map<String, Set<String>>> byCaller() {
        Map<String, Map<String, Set<String>>> found = new TreeMap<>();
        for (Call c : new TreeSet<>(calls)) {
            found.computeIfAbsent(c.accessKey(), k -> new TreeMap<>()).computeIfAbsent(c.action(), k -> new TreeSet<>())
                    .add(c.resource());
        }
        return found;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            record(exchange, body);
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> answer;
            try {
                answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
            });
            byte[] out = answer.body();
            exchange.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    private void record(HttpExchange exchange, byte[] body) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (target == null || authorization == null) {
            return;
        }
        Matcher key = CREDENTIAL.matcher(authorization);
        String accessKey = key.find() ? key.group(1) : "?";
        String action = "dynamodb:" + target.substring(target.indexOf('.') + 1);
        String resource = "table";
        try {
            JsonNode json = LocalFunctions.EVENTS.readTree(body);
            if (json.hasNonNull("IndexName")) {
                resource = "index/" + json.get("IndexName").asText();
            }
        } catch (IOException notJson) {
            // an unreadable call still counts against the table
        }
        calls.add(new Call(accessKey, action, resource));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
