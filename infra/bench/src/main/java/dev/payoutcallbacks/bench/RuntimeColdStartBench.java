package dev.payoutcallbacks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.payoutcallbacks.local.FunctionInvoker;
import dev.payoutcallbacks.local.LambdaRuntime;
import dev.payoutcallbacks.local.LocalFunction;
import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Cold start the way Lambda runs the functions: each deployment package in its own JVM under AWS's Runtime
 * Interface Client ({@link LambdaRuntime}, the managed java21 runtime's flags), against DynamoDB Local. Per
 * function: init (process start → the runtime's first {@code /next}) and first answer (process start → the first
 * event answered), beside a floor function run the same way in the same run (one {@code DynamoDbClient}, one
 * {@code PutItem}). The floor is run with each HTTP client (url-connection, Apache 5, CRT): init, the client's own
 * build time (what a SnapStart snapshot takes off a restore), the first call after init (what a restore still
 * pays) and the warm time per call. Last, JAVA_TOOL_OPTIONS with the C1 flags the runtime already sets, against
 * none.
 */
final class RuntimeColdStartBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CLIENTS = List.of("url-connection", "apache5", "crt");
    private static final String NO_TOOL_OPTIONS = "none (as template.yaml now)";
    private static final String C1_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    private final EmbeddedDynamoDb dynamo;
    private final SamTemplate template;
    private final Path root;

    RuntimeColdStartBench(EmbeddedDynamoDb dynamo, Path root) {
        this.dynamo = dynamo;
        this.root = root;
        this.template = SamTemplate.load(root.resolve("template.yaml"));
    }

    /** One cold start: init, first answer, the same event again (warm), and the floor's per-call answer. */
    record Start(long initMs, long firstMs, long secondMs, JsonNode answer) {
    }

    void run(Report report, int repeats) {
        Map<String, List<Start>> functions = new LinkedHashMap<>();
        Map<String, List<Start>> floors = new LinkedHashMap<>();
        Map<String, List<Start>> toolOptions = new LinkedHashMap<>();
        toolOptions.put(NO_TOOL_OPTIONS, new ArrayList<>());
        toolOptions.put(C1_TOOL_OPTIONS, new ArrayList<>());
        List<Start> floorOnLocal = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            Report.progress("runtime cold start, repeat " + (r + 1) + "/" + repeats);
            floorOnLocal.add(floor("apache5", dynamo.endpoint())); // the client the functions ship
            // The clients compared on an endpoint that answers at once: what each adds, not DynamoDB Local's work.
            try (ZeroLatencyDynamo zero = new ZeroLatencyDynamo()) {
                for (String client : CLIENTS) {
                    floors.computeIfAbsent(client, k -> new ArrayList<>()).add(floor(client, zero.endpoint()));
                }
            }
            for (String logicalId : template.resources("AWS::Serverless::Function").keySet()) {
                byte[] event = firstEvent(logicalId);
                if (event != null) {
                    functions.computeIfAbsent(logicalId, k -> new ArrayList<>()).add(templateFunction(logicalId, event, null));
                }
            }
            byte[] pivot = firstEvent("PivotCallbackFunction");
            // Alternating which runs first, so neither variant always meets the warmer file cache.
            List<String> variants = new ArrayList<>(List.of(NO_TOOL_OPTIONS, C1_TOOL_OPTIONS));
            if (r % 2 == 1) {
                Collections.reverse(variants);
            }
            for (String v : variants) {
                toolOptions.computeIfAbsent(v, k -> new ArrayList<>()).add(templateFunction("PivotCallbackFunction", pivot,
                        v.equals(NO_TOOL_OPTIONS) ? null : v));
            }
        }
        write(report, functions, floorOnLocal, floors, toolOptions, repeats);
    }

    /** One cold start of a template function on a fresh table: its first sample event, then the same again (warm). */
    private Start templateFunction(String logicalId, byte[] event, String javaToolOptions) {
        String table = dynamo.freshTable(template, "PayoutsTable");
        Map<String, String> extra = new LinkedHashMap<>(Map.of("TABLE_NAME", table,
                "DYNAMODB_ENDPOINT", dynamo.endpoint(), "AWS_REGION", EmbeddedDynamoDb.REGION));
        try (LambdaRuntime probe = new LambdaRuntime(template, root.resolve("infra/local-env.json"), extra, quiet())) {
            LocalFunction f = probe.function(logicalId);
            if (javaToolOptions != null) {
                Map<String, String> env = new LinkedHashMap<>(f.environment());
                env.put("JAVA_TOOL_OPTIONS", javaToolOptions);
                f = f.withEnvironment(env);
            }
            try (LambdaRuntime runtime = new LambdaRuntime(root, Map.of(logicalId, f), quiet())) {
                return measure(runtime, logicalId, event, event);
            }
        }
    }

    private Start floor(String client, String endpoint) {
        String table = dynamo.freshTable(template, "PayoutsTable");
        LocalFunction floor = new LocalFunction("FloorFunction", "dev.payoutcallbacks.bench.floor.FloorFunction::handleRequest",
                Map.of("TABLE_NAME", table, "DYNAMODB_ENDPOINT", endpoint, "AWS_REGION", EmbeddedDynamoDb.REGION,
                        "FLOOR_HTTP_CLIENT", client),
                List.of(), 60, 1024, "infra/bench/target/floor-lambda.jar");
        try (LambdaRuntime runtime = new LambdaRuntime(root, Map.of("FloorFunction", floor), quiet())) {
            byte[] one = "{\"calls\":1}".getBytes(StandardCharsets.UTF_8);
            Start start = measure(runtime, "FloorFunction", one, one);
            FunctionInvoker.Invocation series = runtime.invoke("FloorFunction", "{\"calls\":300}".getBytes(StandardCharsets.UTF_8));
            try {
                return new Start(start.initMs(), start.firstMs(), start.secondMs(), JSON.readTree(series.payload()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static Start measure(LambdaRuntime runtime, String logicalId, byte[] first, byte[] second) {
        long t0 = System.nanoTime();
        FunctionInvoker.Invocation a = runtime.invoke(logicalId, first);
        long t1 = System.nanoTime();
        FunctionInvoker.Invocation b = runtime.invoke(logicalId, second);
        long t2 = System.nanoTime();
        if (!a.succeeded() || !b.succeeded()) {
            throw new IllegalStateException(logicalId + " failed under the runtime: " + a.describe() + " / " + b.describe());
        }
        long init = runtime.initMillis().get(logicalId).get(0);
        try {
            return new Start(init, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, JSON.readTree(a.payload()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LambdaRuntime.Options quiet() {
        return LambdaRuntime.Options.defaults().withOutput((id, line) -> { });
    }

    private byte[] firstEvent(String logicalId) {
        Path dir = root.resolve("events").resolve(logicalId);
        try {
            if (!Files.isRegularFile(dir.resolve("expectations.json"))) {
                return null;
            }
            JsonNode expectations = JSON.readTree(dir.resolve("expectations.json").toFile());
            return Files.readAllBytes(dir.resolve(expectations.get(0).path("event").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double median(List<Start> starts, ToDoubleFunction<Start> figure) {
        return Report.median(starts.stream().map(figure::applyAsDouble).toList());
    }

    private static void write(Report report, Map<String, List<Start>> functions, List<Start> floorOnLocal,
                              Map<String, List<Start>> floors, Map<String, List<Start>> toolOptions, int repeats) {
        double floorInit = median(floorOnLocal, Start::initMs);
        double floorFirst = median(floorOnLocal, Start::firstMs);
        report.line("");
        report.line("## Cold start under the Runtime Interface Client (each package in its own JVM)");
        report.line("");
        report.line("Each function's deployment package extracted as its task root, run by AWS's Runtime Interface Client "
                + "2.10.1 with the managed java21 runtime's flags (C1 only, SerialGC, the CRaC binding), one fresh process "
                + "per repeat, its first sample event answered against DynamoDB Local; medians of " + repeats + ". "
                + "init = process start → the runtime's first `/next`; first answer = process start → the first event "
                + "answered; warm = the same event again in the same process.");
        report.line("");
        report.line("| function | init ms | first answer ms | × floor (first answer) | warm ms |");
        report.line("|---|---|---|---|---|");
        report.line("| floor (one DynamoDbClient, one PutItem; Apache 5, as the functions) | " + Report.num(floorInit) + " | "
                + Report.num(floorFirst) + " | 1.00× | " + Report.num(median(floorOnLocal, Start::secondMs)) + " |");
        functions.forEach((id, starts) -> report.line("| " + id + " | " + Report.num(median(starts, Start::initMs)) + " | "
                + Report.num(median(starts, Start::firstMs)) + " | " + Report.ratio(median(starts, Start::firstMs), floorFirst)
                + " | " + Report.num(median(starts, Start::secondMs)) + " |"));
        report.line("");
        report.line("### HTTP client of the floor function, same path");
        report.line("");
        report.line("Against an endpoint that answers every call at once (what the client adds to a round trip, not "
                + "DynamoDB Local's own work); the floor's package holds all three clients, each run uses one.");
        report.line("");
        report.line("| client | init ms | client build ms (in init; a SnapStart snapshot holds it) | first answer ms "
                + "| first answer − init ms (what a restore still pays) | warm µs per PutItem (median of 300) |");
        report.line("|---|---|---|---|---|---|");
        floors.forEach((client, starts) -> report.line("| " + client + " | " + Report.num(median(starts, Start::initMs))
                + " | " + Report.num(median(starts, s -> s.answer().path("clientBuildMs").asDouble()))
                + " | " + Report.num(median(starts, Start::firstMs))
                + " | " + Report.num(median(starts, s -> s.firstMs() - s.initMs()))
                + " | " + Report.num(median(starts, s -> s.answer().path("perCallMedianUs").asDouble())) + " |"));
        report.line("");
        report.line("### JAVA_TOOL_OPTIONS (PivotCallbackFunction)");
        report.line("");
        report.line("| JAVA_TOOL_OPTIONS | init ms | first answer ms | warm ms |");
        report.line("|---|---|---|---|");
        toolOptions.forEach((value, starts) -> report.line("| " + value + " | " + Report.num(median(starts, Start::initMs))
                + " | " + Report.num(median(starts, Start::firstMs)) + " | " + Report.num(median(starts, Start::secondMs)) + " |"));
    }
}
