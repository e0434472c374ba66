package dev.payoutcallbacks.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.local.FunctionInvoker.Invocation;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * The local Lambda service: every function of template.yaml runs as the managed java21 runtime runs it — its own
 * JVM process, its deployment package (CodeUri) extracted as the task root and nothing else of this project on
 * its class path, AWS's Runtime Interface Client as the main class, the managed runtime's JVM flags, and exactly
 * the environment template.yaml plus the env-vars file give it, plus what Lambda sets.
 *
 * <p>An execution environment starts on a function's first invocation (as {@code sam local start-api} starts
 * containers on demand) and stays warm for the next; concurrent invocations start more, up to a small cap.
 * With {@code snapStart} each environment runs its CRaC {@code beforeCheckpoint} hooks after init and
 * {@code afterRestore} before its first invocation, in Lambda's order.
 */
public final class LambdaRuntime implements FunctionInvoker, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where the pom puts the Runtime Interface Client and what it needs (resolved by Maven, never committed). */
    static final String RUNTIME_JARS = "infra/local-api/target/lambda-runtime";
    /** Deployment packages extracted as task roots (build output; `mvn clean` removes them). */
    static final String TASK_ROOTS = "infra/local-api/target/task-roots";
    private static final String EXTRACTED = ".extracted";
    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    /** How the runtime runs. */
    public record Options(boolean snapStart, int maxConcurrency, BiConsumer<String, String> output) {
        public static Options defaults() {
            return new Options(false, 4, LambdaRuntime::printPrefixed);
        }

        public Options withSnapStart(boolean on) {
            return new Options(on, maxConcurrency, output);
        }

        public Options withOutput(BiConsumer<String, String> sink) {
            return new Options(snapStart, maxConcurrency, sink);
        }
    }

    private final Path projectDir;
    private final Map<String, LocalFunction> functions;
    private final Options options;
    private final List<String> runtimeClasspath;
    private final Path nativeClient;
    private final Map<String, Path> taskRoots = new ConcurrentHashMap<>();
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    private final Deque<ObjectNode> publishedEvents = new ArrayDeque<>();
    private long publishedCount;

    public LambdaRuntime(SamTemplate template, Path envVarsFile, Map<String, String> extra, Options options) {
        this(template.projectDir(), TemplateFunctions.read(template, envVarsFile, extra), options);
    }

    /** Functions given directly (a benchmark's floor function); CodeUri relative to {@code projectDir}. */
    public LambdaRuntime(Path projectDir, Map<String, LocalFunction> functions, Options options) {
        this.projectDir = projectDir;
        this.functions = Collections.unmodifiableMap(new LinkedHashMap<>(functions)); // template order
        this.options = options;
        this.runtimeClasspath = runtimeClasspath(projectDir);
        this.nativeClient = nativeClient(projectDir, runtimeClasspath);
    }

    public Map<String, LocalFunction> functions() {
        return functions;
    }

    public LocalFunction function(String logicalId) {
        LocalFunction f = functions.get(logicalId);
        if (f == null) {
            throw new IllegalArgumentException("no function " + logicalId + " in template.yaml; known: " + functions.keySet());
        }
        return f;
    }

    @Override
    public Invocation invoke(String logicalId, byte[] event) {
        LocalFunction f = function(logicalId);
        Pool pool = pools.computeIfAbsent(logicalId, id -> new Pool(f));
        RuntimeApiSandbox sandbox = pool.acquire();
        try {
            return sandbox.invoke(event);
        } finally {
            pool.release(sandbox);
        }
    }

    /** Init times (process start → first /next, ms) of the environments each function started, oldest first. */
    public Map<String, List<Long>> initMillis() {
        Map<String, List<Long>> found = new LinkedHashMap<>();
        pools.forEach((id, pool) -> found.put(id, pool.initMillis()));
        return found;
    }

    /** How many execution environments of a function are running. */
    public int environments(String logicalId) {
        Pool pool = pools.get(logicalId);
        return pool == null ? 0 : pool.size();
    }

    /** PayoutStatusChanged events the functions wrote to their output (the local event bus), oldest first. */
    public synchronized List<ObjectNode> publishedEvents() {
        return publishedEvents.stream().map(ObjectNode::deepCopy).toList();
    }

    public synchronized long publishedCount() {
        return publishedCount;
    }

    private void output(String logicalId, String line) {
        if (line.startsWith("{") && line.contains("\"PayoutStatusChanged\"")) {
            try {
                JsonNode event = JSON.readTree(line);
                if (event instanceof ObjectNode o && "PayoutStatusChanged".equals(o.path("detail-type").asText())) {
                    synchronized (this) {
                        publishedEvents.addLast(o);
                        publishedCount++;
                        if (publishedEvents.size() > 1000) {
                            publishedEvents.removeFirst();
                        }
                    }
                }
            } catch (IOException notAnEvent) {
                // an ordinary log line
            }
        }
        options.output().accept(logicalId, line);
    }

    static void printPrefixed(String logicalId, String line) {
        System.out.println("[" + logicalId + "] " + line);
    }

    /** The environments of one function: warm ones reused, more started on concurrent demand up to the cap. */
    private final class Pool {
        private final LocalFunction function;
        private final List<RuntimeApiSandbox> all = new ArrayList<>();
        private final Deque<RuntimeApiSandbox> idle = new ArrayDeque<>();
        private final List<Long> inits = new ArrayList<>();
        private final Set<RuntimeApiSandbox> recorded =
                Collections.newSetFromMap(new IdentityHashMap<>());

        Pool(LocalFunction function) {
            this.function = function;
        }

        synchronized RuntimeApiSandbox acquire() {
            while (true) {
                while (!idle.isEmpty()) {
                    RuntimeApiSandbox warm = idle.pollFirst();
                    if (warm.usable()) {
                        return warm;
                    }
                    all.remove(warm);
                    warm.close();
                }
                dropEnded();
                if (all.size() < Math.max(1, options.maxConcurrency())) {
                    RuntimeApiSandbox cold = startEnvironment(function);
                    all.add(cold);
                    return cold;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for " + function.logicalId());
                }
            }
        }

        synchronized void release(RuntimeApiSandbox sandbox) {
            if (sandbox.usable()) {
                idle.addFirst(sandbox); // the most recently used first: as Lambda, keep few environments hot
            } else {
                all.remove(sandbox);
                sandbox.close();
            }
            recordInit(sandbox);
            notifyAll();
        }

        /** Environments whose process ended on its own (a crash, an init error): closed and forgotten. */
        private void dropEnded() {
            for (RuntimeApiSandbox s : List.copyOf(all)) {
                if (!s.usable()) {
                    all.remove(s);
                    idle.remove(s);
                    s.close();
                }
            }
        }

        private void recordInit(RuntimeApiSandbox sandbox) {
            if (sandbox.initMillis() >= 0 && recorded.add(sandbox)) {
                inits.add(sandbox.initMillis());
            }
        }

        synchronized List<Long> initMillis() {
            return List.copyOf(inits);
        }

        synchronized int size() {
            dropEnded();
            return all.size();
        }

        synchronized void close() {
            all.forEach(RuntimeApiSandbox::close);
            all.clear();
            idle.clear();
        }
    }

    private RuntimeApiSandbox startEnvironment(LocalFunction f) {
        TemplateFunctions.requireLocalValues(f);
        Path taskRoot = taskRoots.computeIfAbsent(f.codeUri() == null ? f.logicalId() : f.codeUri(), id -> extract(f));
        try {
            RuntimeApiSandbox sandbox = new RuntimeApiSandbox(f, command(f), environment(f, taskRoot), taskRoot,
                    this::output);
            sandbox.start();
            return sandbox;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + f.logicalId(), e);
        }
    }

    /** The managed java21 runtime's command line (public captures of it), with this project's runtime jars. */
    private List<String> command(LocalFunction f) {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.add("-XX:MaxHeapSize=" + (f.memoryMb() * 1024L * 85 / 100) + "k");
        argv.add("-XX:+UseSerialGC");
        argv.add("-Xshare:auto");
        argv.add("-XX:+TieredCompilation");
        argv.add("-XX:TieredStopAtLevel=1");
        // How Lambda binds org.crac to its own implementation (without it org.crac registrations do nothing).
        argv.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
        argv.add("-Djava.net.preferIPv4Stack=true");
        // The RIC unpacks its JNI client to one fixed path, /tmp/.libaws-lambda-jni.so, at every start: each Lambda
        // sandbox has its own /tmp, processes on one machine do not (one overwrote the library another was loading,
        // which aborted it). Every process loads one copy unpacked once, through the RIC's own property for it.
        argv.add("-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + nativeClient);
        argv.add("-classpath");
        argv.add(String.join(File.pathSeparator, runtimeClasspath));
        argv.add(RIC_MAIN);
        return argv;
    }

    /** Exactly the function's variables, then what Lambda sets for every function. */
    private Map<String, String> environment(LocalFunction f, Path taskRoot) {
        Map<String, String> env = new LinkedHashMap<>(f.environment());
        String region = f.environment().getOrDefault("AWS_REGION", "us-east-1");
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_LAMBDA_FUNCTION_NAME", f.logicalId());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(f.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + f.logicalId());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", options.snapStart() ? "snap-start" : "on-demand");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        // Each function its own (dummy) key: DynamoDB Local runs shared, so all see one database.
        env.put("AWS_ACCESS_KEY_ID", "LOCAL" + f.logicalId().toUpperCase(Locale.ROOT));
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        env.put("_HANDLER", f.handler());
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", projectDir.resolve(RUNTIME_JARS).toString());
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("PATH", "/usr/local/bin:/usr/bin/:/bin");
        return env;
    }

    /** The deployment package laid out as Lambda lays it out in /var/task: a zip or jar extracted, a folder as is. */
    private Path extract(LocalFunction f) {
        if (f.codeUri() == null) {
            throw new IllegalStateException(f.logicalId() + " has no CodeUri");
        }
        Path pkg = projectDir.resolve(f.codeUri()).normalize();
        if (Files.isDirectory(pkg)) {
            return pkg;
        }
        if (!Files.isRegularFile(pkg)) {
            throw new IllegalStateException(f.logicalId() + ": deployment package " + f.codeUri()
                    + " is not built; run `mvn -q -B -DskipTests package` first");
        }
        // Extracted once per package build (path, size, time), then reused by every environment and run: read-only,
        // as /var/task is.
        Path root;
        try {
            String key = Integer.toHexString((pkg.toAbsolutePath() + "|" + Files.size(pkg) + "|"
                    + Files.getLastModifiedTime(pkg).toMillis()).hashCode());
            root = projectDir.resolve(TASK_ROOTS).resolve(pkg.getFileName() + "-" + key);
            if (Files.exists(root.resolve(EXTRACTED))) {
                return root;
            }
            Path partial = Files.createTempDirectory(Files.createDirectories(root.getParent()), "extracting-");
            unzip(pkg, partial);
            Files.createFile(partial.resolve(EXTRACTED));
            try {
                Files.move(partial, root, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException alreadyThere) {
                delete(partial); // another run extracted the same package first
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + pkg, e);
        }
        return root;
    }

    private static void unzip(Path pkg, Path root) throws IOException {
        try (InputStream in = Files.newInputStream(pkg); ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IllegalStateException("package entry outside the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.exists(dir) ? Files.walk(dir) : Stream.empty()) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temporary files; best effort
        }
    }

    /** The RIC's JNI library for this machine, unpacked once beside the runtime's jars. */
    private static Path nativeClient(Path projectDir, List<String> classpath) {
        String arch = System.getProperty("os.arch").contains("aarch64") ? "aarch_64" : "x86_64";
        String name = "libaws-lambda-jni.linux-" + arch + ".so";
        Path target = projectDir.resolve(RUNTIME_JARS).resolve("jni").resolve(name);
        if (Files.isRegularFile(target)) {
            return target;
        }
        String ric = classpath.stream().filter(j -> j.contains("aws-lambda-java-runtime-interface-client")).findFirst()
                .orElseThrow();
        try (ZipFile jar = new ZipFile(ric)) {
            ZipEntry entry = jar.getEntry("jni/" + name);
            if (entry == null) {
                throw new IllegalStateException("the Runtime Interface Client has no " + name + " for this machine");
            }
            Files.createDirectories(target.getParent());
            Path partial = Files.createTempFile(target.getParent(), name, ".partial");
            try (InputStream in = jar.getInputStream(entry)) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the Runtime Interface Client's JNI library", e);
        }
        return target;
    }

    private static List<String> runtimeClasspath(Path projectDir) {
        Path dir = projectDir.resolve(RUNTIME_JARS);
        List<String> jars;
        try (Stream<Path> files = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toString).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (jars.stream().noneMatch(j -> j.contains("aws-lambda-java-runtime-interface-client"))) {
            throw new IllegalStateException("AWS's Runtime Interface Client is not in " + dir
                    + "; run `mvn -q -B -DskipTests package` first");
        }
        return jars;
    }

    @Override
    public void close() {
        pools.values().forEach(Pool::close);
        pools.clear();
    }
}
