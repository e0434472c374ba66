package dev.payoutcallbacks.correctness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.core.lambda.LambdaRequests;
import dev.payoutcallbacks.core.lambda.ProviderCallbackFunction;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.CallbackRequest;
import dev.payoutcallbacks.core.provider.ProviderCallbacks;
import dev.payoutcallbacks.core.testing.ProviderFixture;
import dev.payoutcallbacks.core.testing.ProviderFixtures;
import dev.payoutcallbacks.core.testing.SentOutcome;
import dev.payoutcallbacks.correctness.support.Providers;
import dev.payoutcallbacks.correctness.support.RawRequests;
import dev.payoutcallbacks.correctness.support.RawRequests.Auth;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The harnesses know the providers only through their fixtures, so a provider cannot be left out of them: every
 * provider module of the build is on this module's class path with a fixture, and every fixture is a provider
 * function of template.yaml whose callbacks accept what it sends. Checked against the source tree, so a sixth module
 * that skips a step fails here, not by being silently left out of the evidence.
 */
class ProviderFixturesTest {
    private static final SamTemplate TEMPLATE = SamTemplate.find();
    private static final Path FUNCTIONS = TEMPLATE.projectDir().resolve("functions");
    private static final String HANDLER_BASE = "extends " + ProviderCallbackFunction.class.getSimpleName();

    @Test
    void everyProviderModuleIsOnTheClassPathWithAFixture() throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> handlers = providerHandlers();
        for (String handler : handlers) {
            if (ProviderFixtures.function(TEMPLATE, handler).isEmpty()) {
                problems.add(handler + " is no function of template.yaml");
            }
            try {
                Class.forName(handler, false, getClass().getClassLoader());
            } catch (ClassNotFoundException notOnClassPath) {
                problems.add(handler + " is not on the harness's class path: add its module, and its test-jar, to"
                        + " infra/correctness/pom.xml (and infra/bench/pom.xml)");
                continue;
            }
            if (Providers.all().stream().noneMatch(f -> f.handlerClass().getName().equals(handler))) {
                problems.add(handler + " has no fixture: add one to its module's src/test and name it in"
                        + " src/test/resources/META-INF/services/" + ProviderFixture.class.getName());
            }
        }
        assertTrue(handlers.size() >= 5, "the scan found " + handlers + " under " + FUNCTIONS);
        assertEquals(List.of(), problems);
    }

    @Test
    void everyFixtureIsAProviderFunctionOfTheTemplate() {
        List<String> problems = new ArrayList<>();
        for (ProviderFixture f : Providers.all()) {
            String function = ProviderFixtures.function(TEMPLATE, f.handlerClass().getName()).orElse(null);
            if (function == null) {
                problems.add(f.provider() + ": its handler " + f.handlerClass().getName() + " is no function of template.yaml");
                continue;
            }
            if (!routes(function).contains(f.path())) {
                problems.add(f.provider() + ": " + f.path() + " is no POST route of " + function + " " + routes(function));
            }
            String named = f.callbacks(Providers.localParameters()).provider();
            if (!named.equals(f.provider())) {
                problems.add(f.provider() + ": its callbacks name their provider " + named);
            }
        }
        assertEquals(1, Providers.all().stream().filter(ProviderFixture::canonical).count(), "one canonical route");
        assertEquals(List.of(), problems);
    }

    /** What a fixture sends is what its provider's callbacks accept: its credentials and its success body. */
    @Test
    void everyFixturesSuccessIsAuthenticAndSaysPaid() throws CallbackRejected {
        List<String> problems = new ArrayList<>();
        List<ProviderFixture> routes = new ArrayList<>(Providers.all());
        Providers.all().forEach(f -> routes.addAll(f.variants()));
        for (ProviderFixture f : routes) {
            ProviderCallbacks callbacks = f.callbacks(Providers.environment(Providers.localParameters(), f));
            String reference = "fixture-" + f.route();
            SentOutcome paid = SentOutcome.of(reference, PayoutStatus.PAID)
                    .amount(f.carriesAmount() ? f.amount(new Random(1)) : null).build();
            byte[] body = f.body(paid, new Random(1)).getBytes(StandardCharsets.UTF_8);
            for (Auth auth : Auth.values()) {
                CallbackRequest request = LambdaRequests.callbackRequest(
                        RawRequests.request(f, body, auth, RawRequests.Case.LOWER), Instant.now());
                if (callbacks.authentic(request) != RawRequests.authentic(f, auth)) {
                    problems.add(f.route() + " " + auth + ": authentic " + callbacks.authentic(request));
                }
            }
            PayoutOutcome outcome = callbacks.translate(LambdaRequests.callbackRequest(
                    RawRequests.request(f, body, Auth.VALID, RawRequests.Case.LOWER), Instant.now())).outcomes().get(0);
            if (outcome.status() != PayoutStatus.PAID || !reference.equals(outcome.payoutReference())) {
                problems.add(f.route() + ": its success translates to " + outcome.status() + " of " + outcome.payoutReference());
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The handler class of every module under functions/ whose main sources extend ProviderCallbackFunction. */
    private static List<String> providerHandlers() throws IOException {
        List<String> handlers = new ArrayList<>();
        try (Stream<Path> modules = Files.list(FUNCTIONS)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).sorted().toList()) {
                Path sources = module.resolve("src/main/java");
                try (Stream<Path> files = Files.walk(sources)) {
                    files.filter(p -> p.toString().endsWith(".java") && read(p).contains(HANDLER_BASE)).forEach(p -> {
                        String relative = sources.relativize(p).toString();
                        handlers.add(relative.substring(0, relative.length() - ".java".length()).replace('/', '.'));
                    });
                }
            }
        }
        return handlers;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The POST paths of a template function's HTTP API events. */
    private static List<String> routes(String function) {
        List<String> paths = new ArrayList<>();
        JsonNode events = TEMPLATE.resources("AWS::Serverless::Function").get(function).path("Properties").path("Events");
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) events::fields) {
            JsonNode properties = e.getValue().path("Properties");
            if ("POST".equalsIgnoreCase(properties.path("Method").asText())) {
                paths.add(properties.path("Path").asText());
            }
        }
        return paths;
    }
}
