package dev.payoutcallbacks.correctness.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP/1.1 proxy in front of DynamoDB Local that injects faults per request, chosen by a
 * {@link Plan} from the DynamoDB operation (X-Amz-Target). Faults that happen <i>after</i> forwarding are
 * the faithful ones for "the write committed but its answer was lost" and "the answer came too late":
 * DynamoDB Local really executed the request; only the client's view differs.
 */
public final class FaultProxy implements AutoCloseable {

    public enum Fault {
        /** Forward and answer normally. */
        PASS,
        /** 400 ProvisionedThroughputExceededException, not forwarded (the SDK retries throttling). */
        THROTTLE,
        /** 400 ThrottlingException, not forwarded. */
        THROTTLING_EXCEPTION,
        /** 500 InternalServerError, not forwarded. */
        ERROR_500,
        /** 503 ServiceUnavailable, not forwarded. */
        ERROR_503,
        /** 400 ResourceNotFoundException (a missing or misconfigured table), not forwarded: not retried by the SDK. */
        TABLE_NOT_FOUND,
        /** TransactionCanceledException whose reasons say ThrottlingError for the state item, not forwarded. */
        TRANSACTION_THROTTLED,
        /** TransactionCanceledException with a TransactionConflict reason, not forwarded. */
        TRANSACTION_CONFLICT,
        /** The connection is closed before forwarding: nothing executed, no answer. */
        DROP_BEFORE,
        /** Forwarded and executed (committed), then the connection is closed: the answer is lost. */
        DROP_AFTER_COMMIT,
        /** Forwarded and executed (committed), then a 500 is answered instead of the real answer. */
        ERROR_500_AFTER_COMMIT,
        /** Held for {@link #delayMillis} before forwarding (past the client's attempt timeout if long enough). */
        SLOW_BEFORE,
        /** Forwarded and executed, the answer held for {@link #delayMillis} (past the client's timeout). */
        SLOW_AFTER_COMMIT,
        /** Held until {@link #release()} before forwarding (to force a race deterministically). */
        HOLD
    }

    /** Chooses the fault for one request: the operation (e.g. TransactWriteItems) and the request body. */
    @FunctionalInterface
    public interface Plan {
        Fault choose(String operation, String body);
    }

    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private volatile Plan plan = (op, body) -> Fault.PASS;
    private volatile long delayMillis = 3_500;
    private volatile CountDownLatch hold = new CountDownLatch(1);
    private final CountDownLatch holding = new CountDownLatch(1);

    public final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();
    public final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();

    public FaultProxy(String upstreamEndpoint) {
        URI upstream = URI.create(upstreamEndpoint);
        this.upstreamHost = upstream.getHost();
        this.upstreamPort = upstream.getPort();
        try {
            this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public void plan(Plan plan) {
        this.plan = plan;
    }

    public void passAll() {
        this.plan = (op, body) -> Fault.PASS;
    }

    public void delayMillis(long millis) {
        this.delayMillis = millis;
    }

    /** Releases requests held by {@link Fault#HOLD}. */
    public void release() {
        hold.countDown();
    }

    /** Waits until a request is being held. */
    public boolean awaitHolding(long millis) throws InterruptedException {
        return holding.await(millis, TimeUnit.MILLISECONDS);
    }

    /** A plan that injects {@code fault} into the next {@code times} requests of {@code operation}. */
    public static Plan next(String operation, Fault fault, int times) {
        AtomicInteger left = new AtomicInteger(times);
        return (op, body) -> op.equals(operation) && left.getAndDecrement() > 0 ? fault : Fault.PASS;
    }

    /** A plan that injects {@code fault} into every request of {@code operation}. */
    public static Plan always(String operation, Fault fault) {
        return (op, body) -> op.equals(operation) ? fault : Fault.PASS;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.execute(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private record Message(byte[] head, byte[] body, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        void writeTo(OutputStream out) throws IOException {
            out.write(head);
            out.write(body);
            out.flush();
        }
    }

    private void serve(Socket client) {
        Socket upstream = null;
        try (client) {
            client.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            InputStream upIn = null;
            OutputStream upOut = null;
            while (true) {
                Message request = read(in, true);
                if (request == null) {
                    return;
                }
                String target = request.header("x-amz-target");
                String operation = target == null ? "?" : target.substring(target.indexOf('.') + 1);
                requests.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
                Fault fault = plan.choose(operation, new String(request.body(), StandardCharsets.UTF_8));
                if (fault != Fault.PASS) {
                    injected.computeIfAbsent(operation + ":" + fault, k -> new AtomicLong()).incrementAndGet();
                }
                switch (fault) {
                    case THROTTLE -> { answer(out, 400, "ProvisionedThroughputExceededException",
                            "The level of configured provisioned throughput for the table was exceeded (injected)"); continue; }
                    case THROTTLING_EXCEPTION -> { answerRaw(out, 400, "{\"__type\":\"com.amazon.coral.availability#ThrottlingException\","
                            + "\"message\":\"Rate of requests exceeds the allowed throughput (injected)\"}"); continue; }
                    case ERROR_500 -> { answer(out, 500, "InternalServerError", "Internal server error (injected)"); continue; }
                    case TABLE_NOT_FOUND -> { answer(out, 400, "ResourceNotFoundException",
                            "Requested resource not found (injected)"); continue; }
                    case ERROR_503 -> { answer(out, 503, "ServiceUnavailable", "Service unavailable (injected)"); continue; }
                    case TRANSACTION_THROTTLED -> { cancelled(out, "ThrottlingError"); continue; }
                    case TRANSACTION_CONFLICT -> { cancelled(out, "TransactionConflict"); continue; }
                    case DROP_BEFORE -> { return; }
                    case SLOW_BEFORE -> sleep(delayMillis);
                    case HOLD -> {
                        holding.countDown();
                        hold.await();
                    }
                    default -> { }
                }
                if (upstream == null || upstream.isClosed()) {
                    upstream = new Socket(upstreamHost, upstreamPort);
                    upstream.setTcpNoDelay(true);
                    upIn = new BufferedInputStream(upstream.getInputStream());
                    upOut = upstream.getOutputStream();
                }
                request.writeTo(upOut);
                Message response = read(upIn, false);
                if (response == null) {
                    return;
                }
                String connection = response.header("connection");
                if (connection != null && connection.equalsIgnoreCase("close")) {
                    upstream.close();
                    upstream = null;
                }
                switch (fault) {
                    case DROP_AFTER_COMMIT -> { return; }
                    case ERROR_500_AFTER_COMMIT -> { answer(out, 500, "InternalServerError", "Internal server error (injected after commit)"); continue; }
                    case SLOW_AFTER_COMMIT -> sleep(delayMillis);
                    default -> { }
                }
                response.writeTo(out);
            }
        } catch (IOException | InterruptedException gone) {
            // the client gave up (timeout) or the test ended: drop the connection
        } finally {
            if (upstream != null) {
                try {
                    upstream.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    private static void answer(OutputStream out, int status, String type, String message) throws IOException {
        answerRaw(out, status, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"" + message + "\"}");
    }

    private static void cancelled(OutputStream out, String reason) throws IOException {
        answerRaw(out, 400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
                + "\"Message\":\"Transaction cancelled, please refer cancellation reasons for specific reasons [None, "
                + reason + ", None] (injected)\",\"CancellationReasons\":[{\"Code\":\"None\"},{\"Code\":\"" + reason
                + "\",\"Message\":\"injected\"},{\"Code\":\"None\"}]}");
    }

    private static void answerRaw(OutputStream out, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + (status == 400 ? "Bad Request" : status == 500 ? "Internal Server Error"
                : "Service Unavailable") + "\r\n"
                + "Content-Type: application/x-amz-json-1.0\r\n"
                + "x-amzn-RequestId: injected-" + System.nanoTime() + "\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** Reads one HTTP/1.1 message (head and body: Content-Length or chunked), or null at end of stream. */
    private static Message read(InputStream in, boolean request) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4) {
            b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        byte[] headBytes = head.toByteArray();
        String[] lines = new String(headBytes, StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new ConcurrentHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        String length = headers.get("content-length");
        String encoding = headers.get("transfer-encoding");
        byte[] body;
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = line(in, raw);
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    String trailer;
                    do {
                        trailer = line(in, raw);
                    } while (!trailer.isEmpty());
                    break;
                }
                raw.write(in.readNBytes(size));
                line(in, raw);
            }
            body = raw.toByteArray();
        } else {
            body = new byte[0];
        }
        return new Message(headBytes, body, headers);
    }

    private static String line(InputStream in, ByteArrayOutputStream copy) throws IOException {
        StringBuilder s = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            copy.write(b);
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                s.append((char) b);
            }
        }
        return s.toString();
    }

    private static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    @Override
    public void close() {
        release();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        connections.shutdownNow();
    }
}
