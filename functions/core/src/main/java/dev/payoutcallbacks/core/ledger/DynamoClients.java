package dev.payoutcallbacks.core.ledger;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.SdkClients;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The one low-level DynamoDB client per JVM (per endpoint), built on first use during the function's
 * initialisation and reused by every invocation.
 */
public final class DynamoClients {
    private static final Map<String, DynamoDbClient> CLIENTS = new ConcurrentHashMap<>();

    private DynamoClients() {
    }

    public static DynamoDbClient shared(FunctionEnvironment env) {
        String endpoint = env.get("DYNAMODB_ENDPOINT");
        String region = env.getOrDefault("AWS_REGION", "us-east-1");
        return CLIENTS.computeIfAbsent(region + "|" + (endpoint == null ? "" : endpoint), k -> build(env));
    }

    private static DynamoDbClient build(FunctionEnvironment env) {
        // Stay well inside the function timeout so we can still answer 5xx ourselves.
        return SdkClients.configured(DynamoDbClient.builder(), env, "DYNAMODB_ENDPOINT", Duration.ofSeconds(6),
                Duration.ofSeconds(3)).build();
    }
}
