package dev.payoutcallbacks.reconciler;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.provider.ProviderStatusApi;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Every provider on the reconciler's class path, learnt from the providers themselves: each provider module
 * registers its {@link ProviderStatusApi.Factory} in {@code META-INF/services}, and the factory names its
 * provider whether or not this environment configures it. There is no list of providers to keep in step:
 * a new provider module on the class path is looked after from its first pass, and one whose factory answers
 * empty (no base URL, no credentials) is reported as not polled and its stuck payouts go to review — never
 * silently skipped.
 *
 * <p>Providers are kept in name order: the class path order is not the same everywhere (the build's dependency
 * order in tests, the jars' file names under Lambda's runtime), and the pass order and its summary should not
 * depend on how the package was laid out.
 */
public final class ProviderRegistry {
    private final List<ProviderStatusApi.Factory> factories;
    private final List<String> providers;

    ProviderRegistry(List<ProviderStatusApi.Factory> factories) {
        List<String> names = new ArrayList<>();
        for (ProviderStatusApi.Factory factory : factories) {
            String provider = factory.provider();
            if (provider == null || provider.isBlank()) {
                throw new IllegalStateException(factory.getClass().getName() + " names no provider");
            }
            if (names.contains(provider)) {
                throw new IllegalStateException("two status API factories for provider " + provider);
            }
            names.add(provider);
        }
        List<ProviderStatusApi.Factory> sorted = new ArrayList<>(factories);
        sorted.sort(Comparator.comparing(ProviderStatusApi.Factory::provider));
        this.factories = List.copyOf(sorted);
        this.providers = names.stream().sorted().toList();
    }

    /** The factories registered on this class loader's class path. */
    public static ProviderRegistry load(ClassLoader classLoader) {
        List<ProviderStatusApi.Factory> found = new ArrayList<>();
        ServiceLoader.load(ProviderStatusApi.Factory.class, classLoader).forEach(found::add);
        return new ProviderRegistry(found);
    }

    /** Every provider on the class path, configured or not, in name order. */
    public List<String> providers() {
        return providers;
    }

    /** The credential settings of every provider's status API (see {@link ProviderStatusApi.Factory#credentials}). */
    public List<String> credentials() {
        return factories.stream().flatMap(f -> f.credentials().stream()).distinct().toList();
    }

    /** The status APIs this environment configures, by provider; the providers missing here are not polled. */
    public Map<String, ProviderStatusApi> statusApis(FunctionEnvironment env) {
        Map<String, ProviderStatusApi> apis = new LinkedHashMap<>();
        for (ProviderStatusApi.Factory factory : factories) {
            Optional<ProviderStatusApi> api = factory.create(env);
            if (api.isPresent()) {
                if (!factory.provider().equals(api.get().provider())) {
                    throw new IllegalStateException("the factory for " + factory.provider()
                            + " made a status API for " + api.get().provider());
                }
                apis.put(factory.provider(), api.get());
            }
        }
        return apis;
    }
}
