package dev.payoutcallbacks.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A DynamoDB endpoint on loopback that answers every call at once with an empty success: nothing found,
 * every write accepted. Against it a function's time is its own (code, SDK marshalling, signing, HTTP client),
 * without DynamoDB Local's server-side work, which dominates and does not resemble the service's latency.
 */
final class ZeroLatencyDynamo implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "zero-latency-dynamo");
        t.setDaemon(true);
        return t;
    });

    ZeroLatencyDynamo() {
        // Without TCP_NODELAY, Nagle + delayed ACK add ~40 ms to every keep-alive exchange on loopback.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
            String body = switch (operation) {
                case "BatchGetItem" -> "{\"Responses\":{},\"UnprocessedKeys\":{}}";
                default -> "{}"; // GetItem: no Item; PutItem, UpdateItem, TransactWriteItems: accepted
            };
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.getResponseHeaders().add("x-amzn-RequestId", "zero-latency");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
