package dev.payoutcallbacks.reconciler;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.payoutcallbacks.core.provider.ProviderStatusApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A provider cannot be forgotten by the reconciler: every provider module in the build registers a status API
 * factory (configured or not, it names its provider), and every registered factory is on the reconciler's class
 * path. Checked against the source tree, so a sixth module that skips either step fails here, not in production.
 */
class ProviderRegistryTest {
    private static final Path FUNCTIONS = Path.of("..").toAbsolutePath().normalize();
    private static final String SERVICES = "src/main/resources/META-INF/services/" + ProviderStatusApi.Factory.class.getName();
    /** Modules implementing ProviderCallbacks that are not a provider the reconciler could ask, and why. */
    private static final Map<String, String> NOT_POLLED_BY_DESIGN = Map.of(
            "slate", "the internal canonical route: internal services (and the reconciler itself) call it; no provider behind it");

    @Test
    void everyProviderModuleRegistersAStatusApiFactory() throws IOException {
        List<String> missing = new ArrayList<>();
        int providerModules = 0;
        for (Path module : modules()) {
            String name = module.getFileName().toString();
            if (!name.equals("core") && usesProviderCallbacks(module)) {
                providerModules++;
                if (!NOT_POLLED_BY_DESIGN.containsKey(name) && !Files.exists(module.resolve(SERVICES))) {
                    missing.add(name);
                }
            }
        }
        assertTrue(providerModules >= 5, "the scan found " + providerModules + " provider modules under " + FUNCTIONS);
        assertTrue(missing.isEmpty(), "provider modules without " + SERVICES + " (the reconciler would never look"
                + " at their stuck payouts): " + missing);
    }

    @Test
    void everyRegisteredFactoryIsOnTheReconcilersClassPath() throws IOException {
        List<String> registered = ProviderRegistry.load(getClass().getClassLoader()).providers();
        int factories = 0;
        for (Path module : modules()) {
            Path services = module.resolve(SERVICES);
            if (!Files.exists(services)) {
                continue;
            }
            for (String line : Files.readAllLines(services, StandardCharsets.UTF_8)) {
                String className = line.replaceAll("#.*", "").trim();
                if (className.isEmpty()) {
                    continue;
                }
                factories++;
                ProviderStatusApi.Factory factory;
                try {
                    factory = (ProviderStatusApi.Factory) Class.forName(className).getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException notOnClassPath) {
                    fail(className + " (" + module.getFileName() + ") is not on the reconciler's class path:"
                            + " add the module to functions/reconciler/pom.xml");
                    return;
                }
                assertTrue(registered.contains(factory.provider()), factory.provider() + " not in " + registered);
            }
        }
        assertFalse(factories == 0, "no factory found under " + FUNCTIONS + ": the scan looks in the wrong place");
    }

    private static List<Path> modules() throws IOException {
        try (Stream<Path> children = Files.list(FUNCTIONS)) {
            return children.filter(p -> Files.isDirectory(p.resolve("src/main/java"))).sorted().toList();
        }
    }

    private static boolean usesProviderCallbacks(Path module) throws IOException {
        try (Stream<Path> sources = Files.walk(module.resolve("src/main/java"))) {
            return sources.filter(p -> p.toString().endsWith(".java")).anyMatch(p -> {
                try {
                    return Files.readString(p).contains("ProviderCallbacks");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
