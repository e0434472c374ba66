package dev.payoutcallbacks.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.payoutcallbacks.core.provider.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A provider's status API played on loopback by the tests: routes by path prefix, records every request,
 * and can answer slowly (held until the test closes the server, far past the client's timeout). Each provider
 * module's test stub registers its routes here; several providers can share one server (the reconciler's tests).
 */
public final class StubServer implements AutoCloseable {

    /** A request as received. Header names lower-case. */
    public record Request(String method, String path, String query, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer; {@code slow} holds it until the server closes. */
    public record Reply(int status, String body, String contentType, boolean slow) {
        public static Reply json(int status, String body) {
            return new Reply(status, body, "application/json", false);
        }

        public static Reply text(int status, String body) {
            return new Reply(status, body, "text/html", false);
        }

        public static Reply slowJson(String body) {
            return new Reply(200, body, "application/json", true);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Function<Request, Reply>> routes = new TreeMap<>((a, b) -> b.length() != a.length()
            ? Integer.compare(b.length(), a.length()) : a.compareTo(b)); // longest prefix first
    private final CountDownLatch released = new CountDownLatch(1);
    /** Runs just before the scripted answer for an id is sent (e.g. a webhook racing the poll). */
    public final Map<String, Runnable> beforeAnswer = new ConcurrentHashMap<>();

    /** Client timeouts the status APIs under test are built with: far below a slow answer's hold. */
    public static final int CONNECT_TIMEOUT_MS = 1000;
    public static final int TIMEOUT_MS = 1500;

    public StubServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    public StubServer route(String pathPrefix, Function<Request, Reply> responder) {
        synchronized (routes) {
            routes.put(pathPrefix, responder);
        }
        return this;
    }

    public String base(String prefix) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String pathPrefix) {
        List<Request> matching = new ArrayList<>();
        for (Request r : requests) {
            if (r.path().startsWith(pathPrefix)) {
                matching.add(r);
            }
        }
        return matching;
    }

    /** The scripted answer for a payout (or batch) id, after its beforeAnswer hook; a 500 when unscripted. */
    public Reply scripted(String id, Map<String, Reply> answers) {
        Runnable hook = beforeAnswer.remove(id);
        if (hook != null) {
            hook.run();
        }
        Reply reply = answers.get(id);
        return reply != null ? reply : Reply.json(500, "{\"message\":\"Internal Server Error\"}");
    }

    /** An HMAC computed independently of the code under test. */
    public static byte[] hmac(String algorithm, String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** A JSON body as a tree, or null when it is not JSON. */
    public static JsonNode parse(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), headers, body);
            requests.add(request);
            Function<Request, Reply> responder = null;
            synchronized (routes) {
                for (Map.Entry<String, Function<Request, Reply>> route : routes.entrySet()) {
                    if (request.path().startsWith(route.getKey())) {
                        responder = route.getValue();
                        break;
                    }
                }
            }
            Reply reply = responder == null ? Reply.text(404, "<html>no route</html>") : responder.apply(request);
            if (reply.slow()) {
                try {
                    released.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] out = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client gave up (a timeout test): nothing to answer
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
