package dev.payoutcallbacks.correctness.support;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.payoutcallbacks.calypso.CalypsoCallbackHandler;
import dev.payoutcallbacks.commpix.CommPixCallbackHandler;
import dev.payoutcallbacks.core.testing.ApiRequests;
import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import dev.payoutcallbacks.m2money.M2MoneyCallbackHandler;
import dev.payoutcallbacks.pivot.PivotCallbackHandler;
import dev.payoutcallbacks.slate.SlateCallbackHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The five provider routes as a sender sees them: the real handler classes (built with the function's
 * environment, as the local run builds them) and correctly authenticated requests for each. Secrets are
 * the local ones of infra/local-env.json; signatures are computed here, independently of the providers'
 * own verification code.
 */
public final class Providers {
    public static final String SLATE = "slate";
    public static final String PIVOT = "pivot";
    public static final String CALYPSO = "calypso";
    public static final String M2MONEY = "m2money";
    public static final String COMMPIX = "commpix";
    public static final List<String> ALL = List.of(SLATE, PIVOT, CALYPSO, M2MONEY, COMMPIX);

    public static final String PATH_SLATE = "/transactions/payout-callback";
    public static final String CALYPSO_KEY = "calypso-local-subscription-key";
    public static final String ALLOWED_IP = "203.0.113.10";

    private static final ObjectMapper JSON = new ObjectMapper();

    private static volatile Map<String, String> parameters;

    /** The local-env.json parameters: every value is a configured secret except the IP allow list. */
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
        return localParameters().entrySet().stream()
                .filter(e -> !e.getKey().equals("COMMPIX_ALLOWED_IPS"))
                .flatMap(e -> java.util.Arrays.stream(e.getValue().split(",")))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public static String secret(String name) {
        return localParameters().get(name).split(",")[0].trim();
    }

    /** A function environment: the local parameters, the table and the DynamoDB endpoint (real or proxy). */
    public static Map<String, String> environment(String table, String endpoint) {
        Map<String, String> env = new LinkedHashMap<>(localParameters());
        env.put("TABLE_NAME", table);
        env.put("DYNAMODB_ENDPOINT", endpoint);
        env.put("AWS_REGION", EmbeddedDynamoDb.REGION);
        return env;
    }

    /** The real handler of each provider, as functions: event in, HTTP answer out. */
    public static Map<String, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handlers(Map<String, String> env) {
        Map<String, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handlers = new LinkedHashMap<>();
        SlateCallbackHandler slate = new SlateCallbackHandler(env);
        PivotCallbackHandler pivot = new PivotCallbackHandler(env);
        CalypsoCallbackHandler calypso = new CalypsoCallbackHandler(env);
        M2MoneyCallbackHandler m2money = new M2MoneyCallbackHandler(env);
        CommPixCallbackHandler commpix = new CommPixCallbackHandler(env);
        handlers.put(SLATE, e -> slate.handleRequest(e, null));
        handlers.put(PIVOT, e -> pivot.handleRequest(e, null));
        handlers.put(CALYPSO, e -> calypso.handleRequest(e, null));
        handlers.put(M2MONEY, e -> m2money.handleRequest(e, null));
        handlers.put(COMMPIX, e -> commpix.handleRequest(e, null));
        return handlers;
    }

    public static String path(String provider) {
        return provider.equals(SLATE) ? PATH_SLATE : "/callbacks/" + provider;
    }

    /** A correctly authenticated request carrying {@code body} for {@code provider}. */
    public static APIGatewayV2HTTPEvent signed(String provider, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return switch (provider) {
            case SLATE -> ApiRequests.post(PATH_SLATE, body, "X-Internal-Secret", secret("INTERNAL_SECRETS"));
            case PIVOT -> ApiRequests.post(path(PIVOT), body, "X-API-Key", secret("PIVOT_CALLBACK_API_KEYS"));
            case CALYPSO -> ApiRequests.post(path(CALYPSO), body, "Sign",
                    hmacHex("HmacSHA512", secret("CALYPSO_WEBHOOK_SECRETS"), bytes), "Key", CALYPSO_KEY);
            case M2MONEY -> ApiRequests.post(path(M2MONEY), body, "Signature",
                    hmacHex("HmacSHA256", secret("M2MONEY_WEBHOOK_SECRETS"), bytes));
            case COMMPIX -> ApiRequests.postFrom(ALLOWED_IP, path(COMMPIX), body,
                    "X-Webhook-Token", secret("COMMPIX_TOKENS"));
            default -> throw new IllegalArgumentException(provider);
        };
    }

    public static String hmacHex(String algorithm, String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON answer of a handler. */
    public static JsonNode body(APIGatewayV2HTTPResponse response) {
        try {
            return JSON.readTree(response.getBody());
        } catch (IOException e) {
            throw new AssertionError("answer is not JSON: " + response.getBody(), e);
        }
    }

    private Providers() {
    }
}
