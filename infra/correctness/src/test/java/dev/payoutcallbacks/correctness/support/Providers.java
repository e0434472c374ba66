package dev.payoutcallbacks.correctness.support;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.payoutcallbacks.core.testing.ApiRequests;
import dev.payoutcallbacks.core.testing.ProviderFixture;
import dev.payoutcallbacks.core.testing.ProviderFixtures;
import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The provider routes as a sender sees them, from each provider's own fixture ({@link ProviderFixtures}, in
 * template order): the real handlers (built with the function's environment, as the local run builds them) and
 * correctly authenticated requests for each. Secrets are the local ones of infra/local-env.json; the fixtures compute
 * signatures independently of the providers' own verification code.
 */
public final class Providers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static volatile Map<String, String> parameters;

    private Providers() {
    }

    /** Every provider's fixture, in template order. */
    public static List<ProviderFixture> all() {
        return ProviderFixtures.all();
    }

    /** Every provider's name, in template order. */
    public static List<String> names() {
        return all().stream().map(ProviderFixture::provider).toList();
    }

    public static ProviderFixture fixture(String provider) {
        return ProviderFixtures.named(provider);
    }

    /** The local-env.json parameters: every value is a configured secret except the providers' public settings. */
    public static Map<String, String> localParameters() {
        Map<String, String> cached = parameters;
        if (cached == null) {
            cached = Map.copyOf(readParameters());
            parameters = cached;
        }
        return cached;
    }

    private static Map<String, String> readParameters() {
        Path file = SamTemplate.find().projectDir().resolve("infra/local-env.json");
        try {
            JsonNode params = JSON.readTree(file.toFile()).path("Parameters");
            Map<String, String> values = new LinkedHashMap<>();
            params.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The configured secret values (comma-separated lists split), for leak checks. */
    public static List<String> configuredSecrets() {
        Set<String> publicSettings = Set.copyOf(all().stream().flatMap(f -> f.publicSettings().stream()).toList());
        return localParameters().entrySet().stream()
                .filter(e -> !publicSettings.contains(e.getKey()))
                .flatMap(e -> Arrays.stream(e.getValue().split(",")))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The value a sender uses for a setting: the first of its list. */
    public static String secret(String name) {
        return first(localParameters().get(name));
    }

    /** The values a fixture's sender uses: its own settings (a variant's), else the local ones. */
    public static UnaryOperator<String> secrets(ProviderFixture fixture) {
        return name -> fixture.settings().containsKey(name) ? first(fixture.settings().get(name)) : secret(name);
    }

    private static String first(String list) {
        return list.split(",")[0].trim();
    }

    /** A function environment: the local parameters, the table and the DynamoDB endpoint (real or proxy). */
    public static Map<String, String> environment(String table, String endpoint) {
        Map<String, String> env = new LinkedHashMap<>(localParameters());
        env.put("TABLE_NAME", table);
        env.put("DYNAMODB_ENDPOINT", endpoint);
        env.put("AWS_REGION", EmbeddedDynamoDb.REGION);
        return env;
    }

    /** {@code environment} with a fixture's own settings (a variant's). */
    public static Map<String, String> environment(Map<String, String> environment, ProviderFixture fixture) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.putAll(fixture.settings());
        return env;
    }

    /** The real handler of each provider, by name, as functions: event in, HTTP answer out. */
    public static Map<String, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handlers(Map<String, String> env) {
        Map<String, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handlers = new LinkedHashMap<>();
        for (ProviderFixture fixture : all()) {
            var handler = fixture.handler(environment(env, fixture));
            handlers.put(fixture.provider(), e -> handler.handleRequest(e, null));
        }
        return handlers;
    }

    /** A correctly authenticated request carrying {@code body} for {@code provider}. */
    public static APIGatewayV2HTTPEvent signed(String provider, String body) {
        ProviderFixture fixture = fixture(provider);
        ProviderFixture.Credentials sent = fixture.credentials(body.getBytes(StandardCharsets.UTF_8), secrets(fixture));
        List<String> headers = new ArrayList<>();
        for (Map<String, String> part : List.of(sent.credential(), sent.headers())) {
            part.forEach((name, value) -> {
                headers.add(name);
                headers.add(value);
            });
        }
        return ApiRequests.postFrom(sent.sourceIp(), fixture.path(), body, headers.toArray(String[]::new));
    }

    /** The JSON answer of a handler. */
    public static JsonNode body(APIGatewayV2HTTPResponse response) {
        try {
            return JSON.readTree(response.getBody());
        } catch (IOException e) {
            throw new AssertionError("answer is not JSON: " + response.getBody(), e);
        }
    }
}
