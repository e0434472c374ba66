package dev.payoutcallbacks.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.payoutcallbacks.local.FunctionInvoker.Invocation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * One execution environment: a JVM process running AWS's Runtime Interface Client on a function's deployment
 * package, and the Lambda Runtime API it polls, served on loopback for it alone. One invocation at a time, as in
 * Lambda; kept warm between invocations; stopped when an invocation passes the function's Timeout.
 *
 * <p>The Runtime API as the RIC (aws/aws-lambda-java-libs, aws-lambda-java-runtime-interface-client) calls it:
 * {@code GET /2018-06-01/runtime/invocation/next}, {@code POST .../invocation/{id}/response} and
 * {@code .../invocation/{id}/error}, {@code POST .../init/error}; with SnapStart {@code GET .../restore/next}
 * (answered once the CRaC {@code beforeCheckpoint} hooks ran: the "snapshot") and {@code POST .../restore/error}.
 */
final class RuntimeApiSandbox implements AutoCloseable {
    static {
        // The JDK's HTTP server reads this once per JVM, at its first server: without TCP_NODELAY, Nagle's
        // algorithm and the peer's delayed ACK add ~40 ms to small keep-alive exchanges on loopback.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final String BASE = "/2018-06-01/runtime/";
    /** Lambda's limit for the Init phase (then it retries init within the invocation's own timeout). */
    static final long INIT_LIMIT_MILLIS = 10_000;

    private record Pending(String requestId, byte[] event, long deadlineMillis, CompletableFuture<Invocation> answer) {
    }

    private final LocalFunction function;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path taskRoot;
    private final BiConsumer<String, String> output;
    private final HttpServer api;
    private final ExecutorService apiThreads;
    private final LinkedBlockingQueue<Pending> next = new LinkedBlockingQueue<>();
    private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final long createdNanos = System.nanoTime();
    private volatile long readyNanos;
    private volatile boolean restored;
    private volatile Process process;
    private volatile boolean stopped;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param command     the java command line without the handler argument (the managed runtime's flags)
     * @param environment the function's variables and what Lambda sets, without AWS_LAMBDA_RUNTIME_API
     * @param output      receives (logical id, line) for every line the process writes
     */
    RuntimeApiSandbox(LocalFunction function, List<String> command, Map<String, String> environment, Path taskRoot,
                      BiConsumer<String, String> output) throws IOException {
        this.function = function;
        this.command = command;
        this.environment = environment;
        this.taskRoot = taskRoot;
        this.output = output;
        this.api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        this.apiThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "runtime-api-" + function.logicalId());
            t.setDaemon(true);
            return t;
        });
        api.setExecutor(apiThreads);
        api.createContext(BASE, this::serve);
        api.start();
    }

    /** Starts the process (a cold start). */
    void start() throws IOException {
        List<String> argv = new ArrayList<>(command);
        argv.add(function.handler());
        ProcessBuilder pb = new ProcessBuilder(argv).directory(taskRoot.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(environment);
        pb.environment().put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + api.getAddress().getPort());
        Process p = pb.start();
        process = p;
        Thread pump = new Thread(() -> pump(p.getInputStream()), "output-" + function.logicalId());
        pump.setDaemon(true);
        pump.start();
        p.onExit().thenRun(() -> {
            stopped = true;
            ready.completeExceptionally(new IllegalStateException("runtime exited with " + p.exitValue()));
            for (Pending pending : List.copyOf(inFlight.values())) {
                pending.answer().complete(Invocation.failed(Invocation.Kind.RUNTIME_EXITED, "Runtime.ExitError",
                        ("{\"errorMessage\":\"Runtime exited with error: exit status " + p.exitValue() + "\"}")
                                .getBytes(StandardCharsets.UTF_8)));
            }
        });
    }

    /**
     * Runs one invocation: waits for the runtime to be ready (its first {@code /next}), hands it the event, waits
     * for its answer until the function's Timeout, and stops the environment when the Timeout passes.
     */
    Invocation invoke(byte[] event) {
        long timeoutMillis = function.timeoutSeconds() * 1000L;
        try {
            ready.get(INIT_LIMIT_MILLIS + timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            return Invocation.failed(Invocation.Kind.INIT_ERROR, "Runtime.InitTimeout",
                    "{\"errorMessage\":\"init did not finish\"}".getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            byte[] body = cause instanceof InitFailure f ? f.body : ("{\"errorMessage\":\"" + cause.getMessage() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            return Invocation.failed(Invocation.Kind.INIT_ERROR, cause instanceof InitFailure f ? f.type : "Runtime.ExitError",
                    body);
        }
        Pending pending = new Pending(UUID.randomUUID().toString(), event, System.currentTimeMillis() + timeoutMillis,
                new CompletableFuture<>());
        inFlight.put(pending.requestId(), pending);
        if (stopped) { // the process ended between its last answer and this invocation
            inFlight.remove(pending.requestId());
            return Invocation.failed(Invocation.Kind.RUNTIME_EXITED, "Runtime.ExitError",
                    "{\"errorMessage\":\"Runtime exited\"}".getBytes(StandardCharsets.UTF_8));
        }
        next.add(pending);
        try {
            return pending.answer().get(timeoutMillis + 250, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            output.accept(function.logicalId(), "Task timed out after " + function.timeoutSeconds() + " seconds"
                    + " (request " + pending.requestId() + "): execution environment stopped");
            close();
            return Invocation.failed(Invocation.Kind.TIMEOUT, "Sandbox.Timedout",
                    ("{\"errorMessage\":\"Task timed out after " + function.timeoutSeconds() + ".00 seconds\"}")
                            .getBytes(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            inFlight.remove(pending.requestId());
        }
    }

    boolean usable() {
        return !stopped;
    }

    /** Process start → the runtime's first {@code /next}, in milliseconds; -1 while not ready. */
    long initMillis() {
        return readyNanos == 0 ? -1 : (readyNanos - createdNanos) / 1_000_000;
    }

    boolean restored() {
        return restored;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(BASE.length());
            String method = exchange.getRequestMethod();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (method.equals("GET") && path.equals("invocation/next")) {
                nextInvocation(exchange);
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/response")) {
                complete(exchange, path.substring("invocation/".length(), path.length() - "/response".length()),
                        Invocation.success(body));
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/error")) {
                String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
                complete(exchange, path.substring("invocation/".length(), path.length() - "/error".length()),
                        Invocation.failed(Invocation.Kind.FUNCTION_ERROR, type, body));
            } else if (method.equals("POST") && (path.equals("init/error") || path.equals("restore/error"))) {
                String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
                ready.completeExceptionally(new InitFailure(type, body));
                answer(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("GET") && path.equals("restore/next")) {
                // SnapStart: the beforeCheckpoint hooks have run; locally the "restore" follows at once.
                restored = true;
                answer(exchange, 200, "");
            } else {
                answer(exchange, 404, "{\"errorMessage\":\"unknown runtime API path\"}");
            }
        }
    }

    private void nextInvocation(HttpExchange exchange) throws IOException {
        if (readyNanos == 0) {
            readyNanos = System.nanoTime();
        }
        ready.complete(null);
        Pending pending;
        try {
            pending = next.take(); // long poll, as the real API: the runtime waits here between invocations
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.add("Lambda-Runtime-Aws-Request-Id", pending.requestId());
        headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(pending.deadlineMillis()));
        headers.add("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:" + environment.getOrDefault("AWS_REGION", "us-east-1") + ":000000000000:function:"
                        + function.logicalId());
        headers.add("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + pending.requestId().replace("-", "").substring(0, 24) + ";Sampled=0");
        headers.add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, pending.event().length == 0 ? -1 : pending.event().length);
        if (pending.event().length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(pending.event());
            }
        }
    }

    private void complete(HttpExchange exchange, String requestId, Invocation result) throws IOException {
        Pending pending = inFlight.get(requestId);
        if (pending == null) {
            answer(exchange, 400, "{\"errorMessage\":\"unknown request id\"}");
            return;
        }
        answer(exchange, 202, "{\"status\":\"OK\"}");
        pending.answer().complete(result);
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] out = json.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private void pump(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.accept(function.logicalId(), line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** An init or restore error the runtime reported: its error type header and body. */
    static final class InitFailure extends RuntimeException {
        final String type;
        final byte[] body;

        InitFailure(String type, byte[] body) {
            super("init error " + type, null, false, false);
            this.type = type;
            this.body = body;
        }
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        stopped = true;
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        api.stop(0);
        apiThreads.shutdownNow();
    }
}
