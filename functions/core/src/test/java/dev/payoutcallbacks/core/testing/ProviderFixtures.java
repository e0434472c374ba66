package dev.payoutcallbacks.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The provider fixtures on the class path ({@link ServiceLoader}), in the order their functions stand in template.yaml:
 * a provider added at the end of the template comes last, so what a seeded harness generates for the others stays
 * the same. A fixture whose handler is no template function comes after them, by name (infra/correctness refuses it).
 */
public final class ProviderFixtures {
    private static final String FUNCTION = "AWS::Serverless::Function";

    private static volatile List<ProviderFixture> all;

    private ProviderFixtures() {
    }

    /** Every fixture on this class path, in template order. */
    public static List<ProviderFixture> all() {
        List<ProviderFixture> cached = all;
        if (cached == null) {
            cached = load(ProviderFixtures.class.getClassLoader(), SamTemplate.find());
            all = cached;
        }
        return cached;
    }

    static List<ProviderFixture> load(ClassLoader loader, SamTemplate template) {
        List<String> handlers = new ArrayList<>();
        template.resources(FUNCTION).values().forEach(f -> handlers.add(handlerClass(f)));
        List<ProviderFixture> found = new ArrayList<>();
        ServiceLoader.load(ProviderFixture.class, loader).forEach(found::add);
        found.sort(Comparator.comparingInt((ProviderFixture f) -> position(handlers, f))
                .thenComparing(ProviderFixture::provider));
        return List.copyOf(found);
    }

    private static int position(List<String> handlers, ProviderFixture fixture) {
        int at = handlers.indexOf(fixture.handlerClass().getName());
        return at < 0 ? Integer.MAX_VALUE : at;
    }

    /** The fixture of {@code provider}: for harness parts about one provider's documented behaviour. */
    public static ProviderFixture named(String provider) {
        return all().stream().filter(f -> f.provider().equals(provider)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no fixture for " + provider + " on the class path"));
    }

    /** The canonical route's fixture ({@link ProviderFixture#canonical()}). */
    public static ProviderFixture canonical() {
        return all().stream().filter(ProviderFixture::canonical).findFirst()
                .orElseThrow(() -> new IllegalStateException("no canonical route's fixture on the class path"));
    }

    /** The logical id of the template function with this handler class. */
    public static Optional<String> function(SamTemplate template, String handlerClass) {
        for (Map.Entry<String, JsonNode> f : template.resources(FUNCTION).entrySet()) {
            if (handlerClass(f.getValue()).equals(handlerClass)) {
                return Optional.of(f.getKey());
            }
        }
        return Optional.empty();
    }

    /** A template function's handler class ({@code Handler: class::method}). */
    private static String handlerClass(JsonNode function) {
        String handler = function.path("Properties").path("Handler").asText();
        int method = handler.indexOf("::");
        return method < 0 ? handler : handler.substring(0, method);
    }
}
