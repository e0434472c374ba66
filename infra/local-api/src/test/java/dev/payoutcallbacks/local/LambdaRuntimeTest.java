package dev.payoutcallbacks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.local.FunctionInvoker.Invocation;
import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The local Lambda service behaves as Lambda and API Gateway do: an environment is reused warm; concurrent demand
 * starts more; an invocation past the Timeout stops the environment; init errors, handler errors and timeouts are
 * answered 500 by the HTTP API; the next request after a stopped environment gets a fresh one.
 */
class LambdaRuntimeTest {
    private static final Path SLATE = TestRuntime.TEMPLATE.projectDir().resolve("events/SlateCallbackFunction/01-paid.json");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The Slate function as template.yaml has it, with some variables and its Timeout changed. */
    private static LambdaRuntime slate(Map<String, String> env, int timeoutSeconds) {
        EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.shared();
        String table = dynamo.freshTable(TestRuntime.TEMPLATE, "PayoutsTable");
        LocalFunction f = TemplateFunctions.read(TestRuntime.TEMPLATE,
                TestRuntime.TEMPLATE.projectDir().resolve("infra/local-env.json"),
                Map.of("TABLE_NAME", table, "DYNAMODB_ENDPOINT", dynamo.endpoint(), "AWS_REGION", EmbeddedDynamoDb.REGION))
                .get("SlateCallbackFunction");
        Map<String, String> changed = new LinkedHashMap<>(f.environment());
        env.forEach((k, v) -> {
            if (v == null) {
                changed.remove(k);
            } else {
                changed.put(k, v);
            }
        });
        LocalFunction g = f.withEnvironment(changed).withTimeout(timeoutSeconds);
        return new LambdaRuntime(TestRuntime.TEMPLATE.projectDir(), Map.of(g.logicalId(), g), LambdaRuntime.Options.defaults());
    }

    @Test
    void aWarmEnvironmentIsReusedAndConcurrentDemandStartsMore() throws Exception {
        EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.shared();
        try (LambdaRuntime runtime = slate(Map.of(), 10)) {
            byte[] event = Files.readAllBytes(SLATE);
            assertTrue(runtime.invoke("SlateCallbackFunction", event).succeeded());
            assertTrue(runtime.invoke("SlateCallbackFunction", event).succeeded());
            assertEquals(1, runtime.environments("SlateCallbackFunction"), "sequential invocations reuse one environment");
        }
        try (AwsCallRecorder slowDynamo = new AwsCallRecorder(dynamo.endpoint(), 1500);
             LambdaRuntime runtime = slate(Map.of("DYNAMODB_ENDPOINT", slowDynamo.endpoint()), 20)) {
            byte[] event = Files.readAllBytes(SLATE);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<Invocation>> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(pool.submit(() -> runtime.invoke("SlateCallbackFunction", event)));
            }
            for (Future<Invocation> a : answers) {
                assertTrue(a.get().succeeded(), a.get().describe());
            }
            pool.shutdown();
            assertEquals(3, runtime.environments("SlateCallbackFunction"), "one environment per concurrent invocation");
        }
    }

    @Test
    void anInvocationPastTheTimeoutStopsTheEnvironmentAndIsA500() throws Exception {
        // A DynamoDB that accepts connections and never answers: the handler outlives its 2 s Timeout.
        try (ServerSocket blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             LambdaRuntime runtime = slate(Map.of("DYNAMODB_ENDPOINT", "http://127.0.0.1:" + blackhole.getLocalPort()), 2);
             LocalHttpApi api = new LocalHttpApi(runtime.functions(), runtime, emptyLog(), "127.0.0.1", 0)) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(blackhole.accept());
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Invocation timedOut = runtime.invoke("SlateCallbackFunction", Files.readAllBytes(SLATE));
            assertEquals(Invocation.Kind.TIMEOUT, timedOut.kind(), timedOut.describe());
            assertEquals(0, runtime.environments("SlateCallbackFunction"), "the timed-out environment is stopped");
            HttpResponse<String> viaApi = post(api, "/transactions/payout-callback",
                    LocalFunctions.EVENTS.readTree(SLATE.toFile()).path("body").asText(), "local-internal-secret");
            assertEquals(500, viaApi.statusCode(), viaApi.body());
            assertEquals("{\"message\":\"Internal Server Error\"}", viaApi.body());
        }
    }

    @Test
    void initAndHandlerErrorsAreAnswered500AsApiGatewayDoes() throws Exception {
        try (LambdaRuntime broken = slate(Collections.singletonMap("TABLE_NAME", null), 10);
             LocalHttpApi api = new LocalHttpApi(broken.functions(), broken, emptyLog(), "127.0.0.1", 0)) {
            Invocation init = broken.invoke("SlateCallbackFunction", Files.readAllBytes(SLATE));
            assertEquals(Invocation.Kind.INIT_ERROR, init.kind(), init.describe());
            assertTrue(init.payloadText().contains("TABLE_NAME"), "the runtime reports the constructor's error: " + init.payloadText());
            assertEquals(500, post(api, "/transactions/payout-callback", "{}", "local-internal-secret").statusCode());
        }
        try (LambdaRuntime runtime = slate(Map.of(), 10)) {
            // An event the runtime cannot bind to APIGatewayV2HTTPEvent: the runtime reports an invocation error.
            Invocation error = runtime.invoke("SlateCallbackFunction", "[1,2]".getBytes(StandardCharsets.UTF_8));
            assertEquals(Invocation.Kind.FUNCTION_ERROR, error.kind(), error.describe());
            // ...and the environment lives on for the next, good event.
            assertTrue(runtime.invoke("SlateCallbackFunction", Files.readAllBytes(SLATE)).succeeded());
        }
    }

    private static HttpResponse<String> post(LocalHttpApi api, String path, String body, String secret) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("X-Internal-Secret", secret).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static LocalHttpApi.EventLog emptyLog() {
        return new LocalHttpApi.EventLog() {
            @Override
            public List<ObjectNode> publishedEvents() {
                return List.of();
            }

            @Override
            public long publishedCount() {
                return 0;
            }
        };
    }
}
