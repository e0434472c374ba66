package dev.payoutcallbacks.bench;

import dev.payoutcallbacks.bench.ColdStartBench.Sample;
import dev.payoutcallbacks.bench.ColdStartBench.Stack;
import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark command (not a test). From the project root, after {@code mvn -B -q install -DskipTests}:
 * <pre>
 *   mvn -B -q -pl infra/bench exec:exec                                  # everything, 7 repeats
 *   mvn -B -q -pl infra/bench exec:exec -Dbench.args="cost size -repeats 3"
 * </pre>
 * Sections: {@code cost} (DynamoDB units per callback), {@code cold} (fresh-JVM cold start and warm time vs
 * the baseline), {@code size} (deployment packages), {@code jmh} (warm CPU), {@code hot} (200 concurrent
 * callbacks on one payout), {@code ric} (cold start of every function's package under AWS's Runtime Interface
 * Client, beside a floor function, and the HTTP client comparison; at most 5 repeats); {@code all} runs them all. Options: {@code -repeats N} (default 7),
 * {@code -warm W M} (warm-ups and measured callbacks per cold-start JVM, default 100 200),
 * {@code -jmh-forks N} (default 3), {@code -no-jmh-c1} (skip the JMH run with the template's C1-only flags).
 * Writes the report to infra/bench/target/bench-results.md and prints it.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws IOException {
        // Before any HTTP server of this JVM (the JDK reads it once): no Nagle delay on loopback exchanges.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Set<String> sections = new LinkedHashSet<>();
        int repeats = 7;
        int warmups = 100;
        int measured = 200;
        int jmhForks = 3;
        boolean jmhC1 = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-repeats" -> repeats = Integer.parseInt(args[++i]);
                case "-warm" -> {
                    warmups = Integer.parseInt(args[++i]);
                    measured = Integer.parseInt(args[++i]);
                }
                case "-jmh-forks" -> jmhForks = Integer.parseInt(args[++i]);
                case "-no-jmh-c1" -> jmhC1 = false;
                case "all" -> sections.addAll(List.of("cost", "cold", "size", "jmh", "hot", "ric"));
                default -> sections.add(args[i]);
            }
        }
        if (sections.isEmpty()) {
            sections.addAll(List.of("cost", "cold", "size", "jmh", "hot"));
        }
        Path root = SamTemplate.find().projectDir();
        Path work = Files.createDirectories(root.resolve("infra/bench/target/bench-work"));
        ProviderEvents events = ProviderEvents.load(root);
        Report report = new Report();
        report.line("# Benchmark results");
        report.line("");
        report.line("Run " + Instant.now() + " on " + machine() + ". Command: `mvn -B -q -pl infra/bench exec:exec "
                + "-Dbench.args=\"" + String.join(" ", args) + "\"`. Load average at start: " + loadAverage() + ".");
        long started = System.nanoTime();
        int status = 0;
        try (EmbeddedDynamoDb local = EmbeddedDynamoDb.start(0, null)) {
            if (sections.contains("cost")) {
                new CostBench(local, events, repeats).run(report);
            }
            ColdStartBench cold = null;
            if (sections.contains("cold") || sections.contains("size")) {
                cold = new ColdStartBench(local, events, root);
            }
            if (sections.contains("cold")) {
                Map<String, List<Sample>> samples;
                Map<String, Double> perCall;
                try (ZeroLatencyDynamo zero = new ZeroLatencyDynamo()) {
                    samples = cold.run(repeats, warmups, measured,
                            new ColdStartBench.Endpoint("zero-latency endpoint", zero.endpoint(), false));
                    perCall = HttpClientCalls.measure(zero.endpoint(), 2000);
                }
                ColdStartBench.write(report, samples, repeats, warmups, measured, cold.javaToolOptions());
                HttpClientCalls.write(report, perCall, 2000);
                ColdStartBench.writeEveryFunction(report, cold.everyFunction(Math.min(repeats, 5)), Math.min(repeats, 5));
            }
            if (sections.contains("size")) {
                List<PackageSizes.Package> packages = new ArrayList<>();
                for (Path jar : PackageSizes.functionJars(root)) {
                    packages.add(PackageSizes.inspect(root.relativize(jar).toString(), jar, null));
                }
                Stack ours = cold.ours(events.provider(Stacks.BASELINE_PROVIDER));
                Stack baseline = cold.baseline(false);
                Map<String, PackageSizes.Package> analysed = new LinkedHashMap<>();
                analysed.put("ours: pivot-function-lambda.jar", PackageSizes.inspect("pivot (ours)", ours.jar(),
                        PackageSizes.loadedBy(cold, ours, work)));
                PackageSizes.Package base = PackageSizes.inspect("infra/bench/target/pivot-baseline-lambda.jar (baseline)",
                        baseline.jar(), PackageSizes.loadedBy(cold, baseline, work));
                packages.add(base);
                analysed.put("baseline: pivot-baseline-lambda.jar", base);
                PackageSizes.write(report, packages, analysed);
            }
            if (sections.contains("ric")) {
                new RuntimeColdStartBench(local, root).run(report, Math.min(repeats, 5));
            }
            if (sections.contains("hot")) {
                int hotRepeats = Math.min(repeats, 3); // a contended run takes minutes on DynamoDB Local
                HotPayoutBench.write(report, new HotPayoutBench(local, events).run(hotRepeats), hotRepeats);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            status = 1;
        }
        if (status == 0 && sections.contains("jmh")) {
            List<JmhRun.Result> results = new ArrayList<>();
            results.add(JmhRun.run(work, "default JIT", jmhForks, 3, 5, List.of()));
            if (jmhC1) {
                results.add(JmhRun.run(work, "C1 only (template flags)", jmhForks, 3, 5,
                        List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1")));
            }
            JmhRun.write(report, results, jmhForks, 5);
        }
        report.line("");
        report.line("Total benchmark time: " + (System.nanoTime() - started) / 1_000_000_000 + " s. Load average at end: "
                + loadAverage() + " (other processes on this machine share its " + Runtime.getRuntime().availableProcessors()
                + " cores; medians absorb some of that noise, not all).");
        Path out = root.resolve("infra/bench/target/bench-results.md");
        Files.writeString(out, report.text(), StandardCharsets.UTF_8);
        System.out.println(report.text());
        Report.progress("written to " + out);
        // DynamoDB Local leaves non-daemon threads behind.
        System.exit(status);
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " / " + parts[1] + " / " + parts[2] + " (1/5/15 min)";
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + Runtime.getRuntime().maxMemory() / 1024 / 1024 + " MB max heap, " + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.version");
    }
}
