package dev.payoutcallbacks.bench;

import dev.payoutcallbacks.bench.ColdStartBench.Stack;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The deployment packages built by {@code mvn package}: size, HTTP client implementations inside, the
 * artifacts bundled, and — from a probe run with {@code -Xlog:class+load} — which bundled artifacts the
 * function never loads a class from on its cold start and warm path.
 */
final class PackageSizes {
    static final long TARGET_BYTES = 8L * 1024 * 1024;

    /** Marker class per HTTP client implementation. */
    static final Map<String, List<String>> HTTP_CLIENTS = new LinkedHashMap<>();

    static {
        HTTP_CLIENTS.put("url-connection", List.of("software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class"));
        HTTP_CLIENTS.put("apache 4", List.of("software/amazon/awssdk/http/apache/ApacheHttpClient.class"));
        HTTP_CLIENTS.put("apache 5", List.of("software/amazon/awssdk/http/apache5/Apache5HttpClient.class"));
        HTTP_CLIENTS.put("netty (async)", List.of("software/amazon/awssdk/http/nio/netty/NettyNioAsyncHttpClient.class"));
        HTTP_CLIENTS.put("crt", List.of("software/amazon/awssdk/http/crt/AwsCrtHttpClient.class",
                "software/amazon/awssdk/http/crt/AwsCrtAsyncHttpClient.class"));
    }

    /** One bundled artifact. */
    record Artifact(String id, long compressedBytes, int classes, int classesLoaded) {
    }

    /** One package. */
    record Package(String name, Path jar, long bytes, int entries, int classes, List<String> httpClients,
                   List<Artifact> artifacts, long unattributedBytes) {
    }

    private PackageSizes() {
    }

    /** functions/&lt;x&gt;/target/&lt;x&gt;-function-lambda.jar for every function module. */
    static List<Path> functionJars(Path root) {
        try (Stream<Path> dirs = Files.list(root.resolve("functions"))) {
            return dirs.filter(Files::isDirectory)
                    .map(d -> d.resolve("target").resolve(d.getFileName() + "-function-lambda.jar"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Package inspect(String name, Path jar, Set<String> loadedClasses) {
        Path repo = Path.of(System.getProperty("user.home"), ".m2", "repository");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Map<String, ZipEntry> entries = new HashMap<>();
            zip.stream().forEach(e -> entries.put(e.getName(), e));
            int classes = (int) entries.keySet().stream().filter(n -> n.endsWith(".class")).count();
            List<String> clients = new ArrayList<>();
            HTTP_CLIENTS.forEach((client, markers) -> {
                if (markers.stream().anyMatch(entries::containsKey)) {
                    clients.add(client);
                }
            });
            Set<String> attributed = new HashSet<>();
            List<Artifact> artifacts = new ArrayList<>();
            for (String entry : new TreeMap<>(entries).keySet()) {
                if (!entry.startsWith("META-INF/maven/") || !entry.endsWith("/pom.properties")) {
                    continue;
                }
                Properties pom = new Properties();
                try (InputStream in = zip.getInputStream(entries.get(entry))) {
                    pom.load(in);
                }
                String g = pom.getProperty("groupId");
                String a = pom.getProperty("artifactId");
                String v = pom.getProperty("version");
                Path source = repo.resolve(g.replace('.', '/')).resolve(a).resolve(v).resolve(a + "-" + v + ".jar");
                long bytes = 0;
                int artifactClasses = 0;
                int loaded = 0;
                if (Files.isRegularFile(source)) {
                    try (ZipFile original = new ZipFile(source.toFile())) {
                        for (ZipEntry e : original.stream().toList()) {
                            ZipEntry shaded = entries.get(e.getName());
                            if (shaded == null || e.isDirectory() || !attributed.add(e.getName())) {
                                continue;
                            }
                            bytes += shaded.getCompressedSize();
                            if (e.getName().endsWith(".class")) {
                                artifactClasses++;
                                String className = e.getName().substring(0, e.getName().length() - 6).replace('/', '.');
                                if (loadedClasses != null && loadedClasses.contains(className)) {
                                    loaded++;
                                }
                            }
                        }
                    }
                } else if (a.endsWith("-function") || a.equals("payout-core") || a.equals("bench")) {
                    // this project's own modules: attribute by package
                    String prefix = a.equals("bench") ? "dev/payoutcallbacks/bench/" : a.equals("payout-core")
                            ? "dev/payoutcallbacks/core/" : "dev/payoutcallbacks/" + a.replace("-function", "") + "/";
                    for (ZipEntry e : entries.values()) {
                        if (e.getName().startsWith(prefix) && !e.isDirectory() && attributed.add(e.getName())) {
                            bytes += e.getCompressedSize();
                            if (e.getName().endsWith(".class")) {
                                artifactClasses++;
                                String className = e.getName().substring(0, e.getName().length() - 6).replace('/', '.');
                                if (loadedClasses != null && loadedClasses.contains(className)) {
                                    loaded++;
                                }
                            }
                        }
                    }
                }
                artifacts.add(new Artifact(g + ":" + a, bytes, artifactClasses, loaded));
            }
            long unattributed = 0;
            for (ZipEntry e : entries.values()) {
                if (!e.isDirectory() && !attributed.contains(e.getName())) {
                    unattributed += e.getCompressedSize();
                }
            }
            artifacts.sort((x, y) -> Long.compare(y.compressedBytes(), x.compressedBytes()));
            return new Package(name, jar, Files.size(jar), entries.size(), classes, clients, artifacts, unattributed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Class names the JVM loaded, from an -Xlog:class+load file. */
    static Set<String> loadedClasses(Path log) {
        Set<String> names = new HashSet<>();
        try {
            for (String line : Files.readAllLines(log)) {
                int start = line.lastIndexOf("] ");
                int end = line.indexOf(" source:");
                if (start >= 0 && end > start) {
                    names.add(line.substring(start + 2, end));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** Runs the stack's probe once with class-load logging (cold + a short warm series) and returns the classes. */
    static Set<String> loadedBy(ColdStartBench cold, Stack stack, Path work) {
        Path log = work.resolve("classload-" + stack.handler().replaceAll("\\W", "_") + ".log");
        cold.launch(stack, 20, 20, List.of("-Xlog:class+load=info:file=" + log));
        return loadedClasses(log);
    }

    static void write(Report report, List<Package> packages, Map<String, Package> analysed) {
        report.section("Package size (deployment jars built by `mvn package`)");
        List<List<String>> rows = new ArrayList<>();
        for (Package p : packages) {
            long sdk = p.artifacts().stream().filter(a -> a.id().startsWith("software.amazon")).count();
            rows.add(List.of(p.name(), Report.mb(p.bytes()), p.bytes() <= TARGET_BYTES ? "yes" : "no",
                    Integer.toString(p.classes()), p.httpClients().size() + " (" + String.join(", ", p.httpClients()) + ")",
                    Long.toString(sdk), Integer.toString(p.artifacts().size())));
        }
        report.table(List.of("package", "size", "≤ 8 MB", "classes", "HTTP client implementations", "AWS SDK/eventstream artifacts",
                "artifacts bundled"), rows);

        for (Map.Entry<String, Package> e : analysed.entrySet()) {
            Package p = e.getValue();
            report.line("**" + e.getKey() + "** — what the cold start + 40 warm callbacks loaded, per bundled artifact "
                    + "(largest first; compressed bytes in the jar):");
            report.line("");
            List<List<String>> artifactRows = new ArrayList<>();
            long neverLoaded = 0;
            int loadedTotal = 0;
            for (Artifact a : p.artifacts()) {
                loadedTotal += a.classesLoaded();
                if (a.classesLoaded() == 0) {
                    neverLoaded += a.compressedBytes();
                }
                artifactRows.add(List.of(a.id(), Report.mb(a.compressedBytes()), a.classesLoaded() + " / " + a.classes(),
                        a.classesLoaded() == 0 && a.classes() > 0 ? "**none loaded**" : ""));
            }
            report.table(List.of("artifact", "bytes", "classes loaded / in jar", ""), artifactRows);
            report.line("Classes loaded from the jar: " + loadedTotal + " of " + p.classes() + ". Artifacts with no class "
                    + "loaded: " + Report.mb(neverLoaded) + " of " + Report.mb(p.bytes()) + " (unattributed entries: "
                    + Report.mb(p.unattributedBytes()) + "). \"None loaded\" is evidence for this path only (init, first "
                    + "callback, warm APPLIED callbacks), not proof a module is dead on error or retry paths.");
            report.line("");
        }
    }
}
