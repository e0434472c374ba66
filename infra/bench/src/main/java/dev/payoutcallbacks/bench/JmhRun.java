package dev.payoutcallbacks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.payoutcallbacks.core.testing.ProviderFixture;
import dev.payoutcallbacks.core.testing.ProviderFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link ProviderCpuBenchmark} through JMH's own main in a child JVM (JMH then forks its measurement
 * JVMs with this class path) and reads its JSON results: the median over every measured iteration of every fork.
 */
final class JmhRun {
    static final double TARGET_US = 20.0;

    /** benchmark method → provider → iteration scores (µs/op). */
    record Result(String label, Map<String, Map<String, List<Double>>> scores) {
    }

    private JmhRun() {
    }

    static Result run(Path work, String label, int forks, int warmupIterations, int iterations, List<String> jvmArgs) {
        Path json = work.resolve("jmh-" + label.replaceAll("\\W", "_") + ".json");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "org.openjdk.jmh.Main", ProviderCpuBenchmark.class.getName(),
                "-f", Integer.toString(forks), "-wi", Integer.toString(warmupIterations), "-w", "1s",
                "-i", Integer.toString(iterations), "-r", "1s", "-rf", "json", "-rff", json.toString(),
                "-p", "provider=" + String.join(",", providers())));
        if (!jvmArgs.isEmpty()) {
            command.add("-jvmArgsAppend");
            command.add(String.join(" ", jvmArgs));
        }
        Report.progress("JMH (" + label + "): " + String.join(" ", command.subList(3, command.size())));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(work.resolve("jmh-" + label.replaceAll("\\W", "_") + ".log").toFile()).start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("JMH failed, see " + work);
            }
            JsonNode results = new ObjectMapper().readTree(json.toFile());
            Map<String, Map<String, List<Double>>> scores = new LinkedHashMap<>();
            for (JsonNode r : results) {
                String method = r.path("benchmark").asText();
                method = method.substring(method.lastIndexOf('.') + 1);
                String provider = r.path("params").path("provider").asText().toLowerCase();
                List<Double> values = new ArrayList<>();
                for (JsonNode fork : r.path("primaryMetric").path("rawData")) {
                    fork.forEach(v -> values.add(v.asDouble()));
                }
                scores.computeIfAbsent(method, k -> new LinkedHashMap<>()).put(provider, values);
            }
            return new Result(label, scores);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every provider's name (the benchmark's parameter), in template order. */
    private static List<String> providers() {
        return ProviderFixtures.all().stream().map(ProviderFixture::provider).toList();
    }

    static void write(Report report, List<Result> results, int forks, int iterations) {
        report.section("Warm CPU per callback, no I/O (JMH, µs/op; median of " + forks + " forks × " + iterations
                + " iterations; target ≤ " + Report.num(TARGET_US) + " µs)");
        report.line("`verifyTranslateDecide`: event → raw request, authenticate, parse JSON, translate, decide "
                + "(a paid callback of a new payout). `receiveWithoutIo`: the whole receiver (log line, DynamoDB request "
                + "objects, JSON answer) on an in-memory client that answers at once (no SDK marshalling, no HTTP).");
        report.line("");
        List<String> header = new ArrayList<>(List.of("benchmark", "JVM"));
        Result first = results.get(0);
        Map<String, List<Double>> anyMethod = first.scores().values().iterator().next();
        header.addAll(anyMethod.keySet());
        header.add("all ≤ 20 µs");
        List<List<String>> rows = new ArrayList<>();
        for (Result r : results) {
            for (Map.Entry<String, Map<String, List<Double>>> m : r.scores().entrySet()) {
                List<String> row = new ArrayList<>(List.of(m.getKey(), r.label()));
                boolean all = true;
                for (String provider : anyMethod.keySet()) {
                    double median = Report.median(m.getValue().getOrDefault(provider, List.of()));
                    all &= median <= TARGET_US;
                    row.add(Report.num(median));
                }
                row.add(all ? "yes" : "no");
                rows.add(row);
            }
        }
        report.table(header, rows);
    }
}
