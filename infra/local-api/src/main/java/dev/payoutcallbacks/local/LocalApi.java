package dev.payoutcallbacks.local;

import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import dev.payoutcallbacks.local.dynamodb.TemplateTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The local run, without Docker. Every function runs as Lambda runs it: its own JVM process, its deployment
 * package alone, under AWS's Runtime Interface Client ({@link LambdaRuntime}).
 *
 * <pre>
 *   serve  [--port 3000] [--dynamodb-port 8000] [--data-dir DIR] [--env-vars infra/local-env.json]
 *          [--snapstart] [--max-concurrency 4]
 *   invoke &lt;FunctionLogicalId&gt; -e &lt;event.json&gt; [--data-dir DIR] [--env-vars ...] [--snapstart]
 * </pre>
 *
 * <p>{@code invoke} runs one function once against a fresh table (or {@code --data-dir}), e.g. a reconciler pass:
 * {@code invoke ReconcilerFunction -e events/ReconcilerFunction/scheduled.json} prints its pass summary.
 *
 * <p>In {@code serve} mode, besides the template's HttpApi routes, loopback callers get two local-only routes
 * (never deployed, not in template.yaml):
 * <ul>
 *   <li>{@code POST /_local/invoke/{FunctionLogicalId}} with an event as the body invokes that function on the
 *       served table, with its template Timeout, and answers 200 with what the handler returned (as JSON). This
 *       triggers what has no HTTP route, a reconciler pass above all:
 *       {@code curl -X POST --data @events/ReconcilerFunction/scheduled.json
 *       http://127.0.0.1:3000/_local/invoke/ReconcilerFunction}. 404 unknown function, 400 unreadable event,
 *       500 when the handler throws, 403 for a caller not on loopback.</li>
 *   <li>{@code GET /_local/events} lists the events the local change stream published.</li>
 * </ul>
 * The reconciler's provider status APIs point at http://127.0.0.1:3900/... in infra/local-env.json: run a stub
 * there to see polls answered; with nothing listening every poll is "unavailable" and simply backs off.
 */
public final class LocalApi {
    private LocalApi() {
    }

    public static void main(String[] args) throws Exception {
        int status;
        try {
            status = run(args);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            status = 2;
        }
        // DynamoDB Local leaves non-daemon threads behind.
        System.exit(status);
    }

    static int run(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        String command = rest.isEmpty() || rest.get(0).startsWith("--") ? "serve" : rest.remove(0);
        int port = Integer.parseInt(option(rest, "--port", "3000"));
        int dynamoPort = Integer.parseInt(option(rest, "--dynamodb-port", "8000"));
        String dataDir = option(rest, "--data-dir", null);
        String template = option(rest, "--template", null);
        boolean snapStart = rest.remove("--snapstart");
        int maxConcurrency = Integer.parseInt(option(rest, "--max-concurrency", "4"));
        LambdaRuntime.Options options = new LambdaRuntime.Options(snapStart, maxConcurrency, LambdaRuntime::printPrefixed);
        SamTemplate sam = template == null ? SamTemplate.find() : SamTemplate.load(Path.of(template));
        Path envVars = Path.of(option(rest, "--env-vars", sam.projectDir().resolve("infra/local-env.json").toString()));
        switch (command) {
            case "serve" -> {
                serve(sam, envVars, port, dynamoPort, dataDir, options);
                return 0;
            }
            case "invoke" -> {
                String event = option(rest, "-e", option(rest, "--event", null));
                if (rest.size() != 1 || event == null) {
                    throw new IllegalArgumentException("usage: invoke <FunctionLogicalId> -e <event.json>");
                }
                return invoke(sam, envVars, rest.get(0), Path.of(event), dataDir, options);
            }
            default -> throw new IllegalArgumentException("unknown command " + command + " (serve | invoke)");
        }
    }

    private static void serve(SamTemplate sam, Path envVars, int port, int dynamoPort, String dataDir,
                              LambdaRuntime.Options options) throws Exception {
        EmbeddedDynamoDb dynamo = startDynamo(sam, dynamoPort, dataDir);
        LambdaRuntime functions = new LambdaRuntime(sam, envVars, Map.of(
                "DYNAMODB_ENDPOINT", dynamo.endpoint(), "AWS_REGION", EmbeddedDynamoDb.REGION), options);
        LocalHttpApi api = new LocalHttpApi(functions, "127.0.0.1", port);
        System.out.println("payout-callbacks local API on http://127.0.0.1:" + api.port()
                + " (each function in its own JVM under AWS's Runtime Interface Client, started on its first request"
                + (options.snapStart() ? "; SnapStart hooks run" : "") + ")");
        for (LocalFunction f : functions.functions().values()) {
            for (LocalFunction.Route r : f.routes()) {
                System.out.printf("  %-5s http://127.0.0.1:%d%s  -> %s%n", r.method(), api.port(), r.path(), f.logicalId());
            }
        }
        LocalStreamPoller poller = new LocalStreamPoller(sam, functions, dynamo);
        for (LocalStreamPoller.Mapping m : poller.mappings()) {
            System.out.printf("  stream %s -> %s (events: one JSON line each below; GET http://127.0.0.1:%d%s)%n",
                    m.tableName(), m.functionId(), api.port(), LocalHttpApi.EVENTS_ROUTE);
        }
        poller.start();
        System.out.println("DynamoDB Local on " + dynamo.endpoint() + (dataDir == null ? " (in memory)" : " (data in " + dataDir + ")"));
        System.out.println("  aws dynamodb scan --table-name PayoutsTable --endpoint-url " + dynamo.endpoint()
                + " --region " + EmbeddedDynamoDb.REGION);
        System.out.println("  (any credentials work: AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local)");
        System.out.println("Ctrl-C to stop.");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            poller.close();
            api.close();
            functions.close();
            dynamo.close();
            stop.countDown();
        }));
        stop.await();
    }

    /** As `sam local invoke`: one event, one invocation, the function's answer on stdout (its logs prefixed). */
    private static int invoke(SamTemplate sam, Path envVars, String logicalId, Path eventFile, String dataDir,
                              LambdaRuntime.Options options) throws IOException {
        byte[] event = Files.readAllBytes(eventFile);
        LocalFunctions.EVENTS.readTree(event); // a clear error for a file that is not JSON
        try (EmbeddedDynamoDb dynamo = startDynamo(sam, 0, dataDir);
             LambdaRuntime functions = new LambdaRuntime(sam, envVars, Map.of(
                     "DYNAMODB_ENDPOINT", dynamo.endpoint(), "AWS_REGION", EmbeddedDynamoDb.REGION), options)) {
            FunctionInvoker.Invocation answer = functions.invoke(logicalId, event);
            String text = answer.payloadText();
            try {
                text = LocalFunctions.EVENTS.writerWithDefaultPrettyPrinter().writeValueAsString(
                        LocalFunctions.EVENTS.readTree(answer.payload()));
            } catch (IOException notJson) {
                // print as it came
            }
            System.out.println(text);
            if (!answer.succeeded()) {
                System.err.println(logicalId + " failed: " + answer.kind() + (answer.errorType() == null ? "" : " " + answer.errorType()));
                return 1;
            }
        }
        return 0;
    }

    private static EmbeddedDynamoDb startDynamo(SamTemplate sam, int port, String dataDir) throws IOException {
        Path dir = null;
        if (dataDir != null) {
            dir = Path.of(dataDir);
            Files.createDirectories(dir);
        }
        EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(port, dir);
        TemplateTables.createAll(dynamo.client(), sam);
        return dynamo;
    }

    private static String option(List<String> args, String name, String fallback) {
        int i = args.indexOf(name);
        if (i < 0) {
            return fallback;
        }
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        String value = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return value;
    }
}
