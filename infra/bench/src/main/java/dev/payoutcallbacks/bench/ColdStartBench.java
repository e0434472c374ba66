package dev.payoutcallbacks.bench;

import dev.payoutcallbacks.bench.ProviderEvents.Callback;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.testing.ProviderFixture;
import dev.payoutcallbacks.core.testing.ProviderFixtures;
import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Fresh-JVM time to the first answered callback, and warm time per callback, for our Pivot function's real
 * deployment jar and for the baseline's shaded jar — each sample a new {@code java} process (the same
 * binary, the template's JAVA_TOOL_OPTIONS, a Lambda-like environment) answering against the DynamoDB Local
 * this JVM runs on loopback. Stacks are interleaved, round after round, so drift hits them alike.
 */
final class ColdStartBench {

    /** A function package and how to start it. */
    record Stack(String name, Path jar, String handler, ProviderFixture provider, Map<String, String> env,
                 List<String> jvmArgs, String endpoint) {
    }

    /** Where the child's DynamoDB calls go. */
    record Endpoint(String label, String url, boolean local) {
    }

    /** One child JVM's figures (ms from launch; warm in µs). */
    record Sample(String stack, long main, long init, long first, int status, int warm, int warmOk, long warmMedianUs,
                  long warmP90Us) {
    }

    static final String PROBE_CLASS = "dev.payoutcallbacks.bench.probe.ColdStartProbe";

    private final EmbeddedDynamoDb local;
    private final ProviderEvents events;
    private final Path root;
    private final Path probeJar;
    private final Path work;
    private final String javaToolOptions;

    ColdStartBench(EmbeddedDynamoDb local, ProviderEvents events, Path root) {
        this.local = local;
        this.events = events;
        this.root = root;
        this.probeJar = root.resolve("infra/bench/target/bench-probe.jar");
        this.javaToolOptions = SamTemplate.find().root().path("Globals").path("Function").path("Environment")
                .path("Variables").path("JAVA_TOOL_OPTIONS").asText("");
        try {
            this.work = Files.createDirectories(root.resolve("infra/bench/target/bench-work"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        require(probeJar);
    }

    static void require(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn -B -q install -DskipTests` first");
        }
    }

    String javaToolOptions() {
        return javaToolOptions;
    }

    Endpoint localEndpoint() {
        return new Endpoint("DynamoDB Local", local.endpoint(), true);
    }

    /** Our function for a provider, on a fresh PayoutsTable. */
    Stack ours(ProviderFixture p) {
        return ours(p, localEndpoint());
    }

    /** The provider's function as template.yaml declares it; its jar beside the CodeUri's .zip (the shaded one). */
    Stack ours(ProviderFixture p, Endpoint endpoint) {
        SamTemplate template = SamTemplate.find();
        String function = ProviderFixtures.function(template, p.handlerClass().getName()).orElseThrow(
                () -> new IllegalStateException(p.handlerClass() + " is no function of template.yaml"));
        String codeUri = template.resources("AWS::Serverless::Function").get(function).path("Properties").path("CodeUri")
                .asText();
        Path jar = root.resolve(codeUri.replaceFirst("\\.zip$", ".jar"));
        Map<String, String> env = lambdaEnvironment(function, endpoint);
        env.putAll(events.settings());
        env.put("TABLE_NAME", endpoint.local() ? local.freshTable(template, "PayoutsTable") : "PayoutsTable");
        env.put("MAX_BODY_BYTES", "65536");
        return new Stack("ours: " + jar.getFileName(), jar, p.handlerClass().getName(), p, env, List.of(), endpoint.label());
    }

    /** The baseline; {@code apache4} selects the Apache 4 client (the SDK would pick Apache 5 by default). */
    Stack baseline(boolean apache4) {
        return baseline(apache4, localEndpoint());
    }

    Stack baseline(boolean apache4, Endpoint endpoint) {
        String[] tables = endpoint.local() ? Stacks.baselineTables(local.client())
                : new String[] {"BaselinePayouts", "BaselineIdempotency"};
        Map<String, String> env = lambdaEnvironment("PivotBaselineFunction", endpoint);
        env.putAll(events.settings());
        env.put("TABLE_NAME", tables[0]);
        env.put("IDEMPOTENCY_TABLE_NAME", tables[1]);
        List<String> args = apache4
                ? List.of("-Dsoftware.amazon.awssdk.http.service.impl=software.amazon.awssdk.http.apache.ApacheSdkHttpService")
                : List.of();
        return new Stack(apache4 ? "baseline, Apache 4 client forced" : "baseline: pivot-baseline-lambda.jar (SDK default client)",
                root.resolve("infra/bench/target/pivot-baseline-lambda.jar"),
                "dev.payoutcallbacks.bench.baseline.PivotBaselineHandler", events.provider(Stacks.BASELINE_PROVIDER), env,
                args, endpoint.label());
    }

    private Map<String, String> lambdaEnvironment(String functionName, Endpoint endpoint) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", EmbeddedDynamoDb.REGION);
        env.put("AWS_DEFAULT_REGION", EmbeddedDynamoDb.REGION);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("JAVA_TOOL_OPTIONS", javaToolOptions);
        env.put("DYNAMODB_ENDPOINT", endpoint.url());
        return env;
    }

    /** Writes the events a child answers: the first (cold) one, then warm-ups and measured ones, each a new payout. */
    Path eventsFile(ProviderFixture p, int count) {
        try {
            Path file = Files.createTempFile(work, "events-" + p.provider() + "-", ".txt");
            StringBuilder s = new StringBuilder();
            String run = UUID.randomUUID().toString().substring(0, 8);
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    s.append("---\n");
                }
                Callback c = events.callback(p, PayoutStatus.PAID, p.provider() + "-cold-" + run + "-" + i);
                s.append(c.toBlock());
            }
            Files.writeString(file, s.toString(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts one child JVM and returns its figures. */
    Sample launch(Stack stack, int warmups, int measured, List<String> extraJvmArgs) {
        require(stack.jar());
        Path file = eventsFile(stack.provider(), 1 + warmups + measured);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(stack.jvmArgs());
        command.addAll(extraJvmArgs);
        command.add("-cp");
        command.add(stack.jar() + File.pathSeparator + probeJar);
        command.add(PROBE_CLASS);
        int launchArg = command.size();
        command.add("launch-time");
        command.add(stack.handler());
        command.add(file.toString());
        command.add(Integer.toString(warmups));
        command.add(Integer.toString(measured));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("LANG", "C.UTF-8");
        pb.environment().putAll(stack.env());
        Path stderr = work.resolve("probe-stderr.log");
        pb.redirectError(stderr.toFile());
        try {
            command.set(launchArg, Long.toString(System.currentTimeMillis()));
            Process process = pb.start();
            String probeLine = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("PROBE ")) {
                        probeLine = line;
                    }
                }
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(file);
            if (probeLine == null) {
                throw new IllegalStateException(stack.name() + ": the probe printed no result; stderr:\n"
                        + Files.readString(stderr));
            }
            Map<String, String> v = new LinkedHashMap<>();
            for (String part : probeLine.substring(6).split(" ")) {
                int eq = part.indexOf('=');
                v.put(part.substring(0, eq), part.substring(eq + 1));
            }
            Sample s = new Sample(stack.name(), Long.parseLong(v.get("main")), Long.parseLong(v.get("init")),
                    Long.parseLong(v.get("first")), Integer.parseInt(v.get("status")), Integer.parseInt(v.get("warm")),
                    Integer.parseInt(v.get("warmOk")), Long.parseLong(v.get("warmMedianUs")), Long.parseLong(v.get("warmP90Us")));
            if (s.status() != 200 || s.warmOk() != s.warm()) {
                Report.progress("WARNING " + stack.name() + ": first answer " + s.status() + ", warm ok " + s.warmOk() + "/" + s.warm()
                        + " (stderr: " + stderr + ")");
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Cold and warm, ours vs baseline, interleaved; against DynamoDB Local and against a zero-latency endpoint
     * (the function's own time without Local's server-side work). Keys: "stack @ endpoint".
     */
    Map<String, List<Sample>> run(int repeats, int warmups, int measured, Endpoint zeroLatency) {
        List<Stack> stacks = new ArrayList<>();
        for (Endpoint endpoint : List.of(localEndpoint(), zeroLatency)) {
            stacks.add(ours(events.provider(Stacks.BASELINE_PROVIDER), endpoint));
            stacks.add(baseline(false, endpoint));
            stacks.add(baseline(true, endpoint));
            if (endpoint.local()) {
                // what-if: the same jars with an application class-data-sharing archive from one training run
                stacks.add(withAppCds(ours(events.provider(Stacks.BASELINE_PROVIDER), endpoint), "ours"));
                stacks.add(withAppCds(baseline(false, endpoint), "baseline"));
            }
        }
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        stacks.forEach(s -> samples.put(key(s), new ArrayList<>()));
        // one discarded round: the first JVM launches pay for the page cache and CDS archive mapping
        for (Stack s : stacks) {
            launch(s, 0, 0, List.of());
        }
        for (int round = 0; round < repeats; round++) {
            for (int k = 0; k < stacks.size(); k++) {
                Stack s = stacks.get((round + k) % stacks.size()); // rotate the order each round
                Sample sample = launch(s, warmups, measured, List.of());
                samples.get(key(s)).add(sample);
                Report.progress(String.format("cold %d/%d %-75s first=%d ms init=%d ms warm median=%d µs",
                        round + 1, repeats, key(s), sample.first(), sample.init(), sample.warmMedianUs()));
            }
        }
        return samples;
    }

    /** Trains an AppCDS archive with one launch (cold + 40 warm callbacks) and returns the stack using it. */
    private Stack withAppCds(Stack stack, String label) {
        Path archive = work.resolve(label + "-appcds.jsa");
        try {
            Files.deleteIfExists(archive);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> training = new ArrayList<>(stack.jvmArgs());
        training.add("-XX:ArchiveClassesAtExit=" + archive);
        launch(new Stack(stack.name(), stack.jar(), stack.handler(), stack.provider(), stack.env(), training, stack.endpoint()),
                20, 20, List.of());
        List<String> using = new ArrayList<>(stack.jvmArgs());
        using.add("-XX:SharedArchiveFile=" + archive);
        return new Stack(stack.name() + " + AppCDS archive (what-if)", stack.jar(), stack.handler(), stack.provider(),
                stack.env(), using, stack.endpoint());
    }

    static String key(Stack s) {
        return s.name() + " @ " + s.endpoint();
    }

    /** Cold start of each of our callback functions (first answered callback only). */
    Map<String, List<Sample>> everyFunction(int repeats) {
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        List<Stack> stacks = new ArrayList<>();
        for (ProviderFixture p : events.providers()) {
            stacks.add(ours(p));
        }
        stacks.forEach(s -> samples.put(s.name(), new ArrayList<>()));
        for (int round = 0; round < repeats; round++) {
            for (Stack s : stacks) {
                samples.get(s.name()).add(launch(s, 0, 0, List.of()));
            }
        }
        return samples;
    }

    static void write(Report report, Map<String, List<Sample>> samples, int repeats, int warmups, int measured,
                      String javaToolOptions) {
        report.section("Cold start and warm time: ours vs baseline (Pivot), median of " + repeats + " fresh JVMs each");
        report.line("Each sample is a new `java` process (JAVA_TOOL_OPTIONS=`" + javaToolOptions + "` from template.yaml, "
                + "both stacks) with only the deployment jar (+ the 4 KB probe) on its class path; times are from the "
                + "parent's launch timestamp: JVM up → handler constructed (Lambda's init) → first callback answered "
                + "(a new Pivot payout, PAYOUT.SUCCESS, against DynamoDB Local on loopback). Warm: the same JVM then "
                + "answers " + warmups + " warm-up and " + measured + " measured callbacks (each a new payout, "
                + "sequential); per-JVM median, then the median of those. \"@ zero-latency endpoint\": the same "
                + "against a loopback endpoint that answers every DynamoDB call at once (nothing found, writes "
                + "accepted), i.e. the function's own time (code, SDK, signing, HTTP client) without DynamoDB Local's "
                + "server-side work, which dominates the Local figures and does not resemble the service's latency. "
                + "\"+ AppCDS archive (what-if)\": the same jar with -XX:SharedArchiveFile= an archive dumped by one "
                + "training launch (-XX:ArchiveClassesAtExit); not what is deployed. Ratios compare with the nearest "
                + "\"ours\" row above (same endpoint; AppCDS rows with ours + AppCDS).");
        report.line("");
        List<List<String>> rows = new ArrayList<>();
        List<Sample> ours = null;
        for (Map.Entry<String, List<Sample>> e : samples.entrySet()) {
            List<Sample> s = e.getValue();
            if (e.getKey().startsWith("ours")) {
                ours = s; // ratios against ours on the same endpoint (ours comes first for each)
            }
            double first = Report.median(s.stream().map(Sample::first).toList());
            double warm = Report.median(s.stream().map(Sample::warmMedianUs).toList());
            rows.add(List.of(e.getKey(),
                    Report.num(Report.median(s.stream().map(Sample::main).toList())),
                    Report.num(Report.median(s.stream().map(Sample::init).toList())),
                    Report.num(first) + " (" + Report.num(Report.min(s.stream().map(Sample::first).toList())) + "–"
                            + Report.num(Report.max(s.stream().map(Sample::first).toList())) + ")",
                    Report.ratio(Report.median(ours.stream().map(Sample::first).toList()), first),
                    Report.num(warm / 1000.0) + " (p90 " + Report.num(Report.median(s.stream().map(Sample::warmP90Us).toList()) / 1000.0) + ")",
                    Report.ratio(Report.median(ours.stream().map(Sample::warmMedianUs).toList()), warm)));
        }
        report.table(List.of("stack", "JVM → main (ms)", "→ handler initialised (ms)", "→ first callback answered (ms, min–max)",
                "ours ÷ this (cold)", "warm per callback (ms)", "ours ÷ this (warm)"), rows);
    }

    static void writeEveryFunction(Report report, Map<String, List<Sample>> samples, int repeats) {
        report.line("Our five callback functions, fresh JVM → first callback answered (median of " + repeats + "):");
        report.line("");
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, List<Sample>> e : samples.entrySet()) {
            List<Sample> s = e.getValue();
            rows.add(List.of(e.getKey(), Report.num(Report.median(s.stream().map(Sample::init).toList())),
                    Report.num(Report.median(s.stream().map(Sample::first).toList())),
                    Integer.toString(s.get(0).status())));
        }
        report.table(List.of("function", "→ handler initialised (ms)", "→ first callback answered (ms)", "first answer"), rows);
    }
}
