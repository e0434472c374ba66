package dev.payoutcallbacks.core;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
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
        return CLIENTS.computeIfAbsent(region + "|" + (endpoint == null ? "" : endpoint), k -> build(env, endpoint, region));
    }

    private static DynamoDbClient build(FunctionEnvironment env, String endpoint, String region) {
        var builder = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5))
                        .build())
                .region(Region.of(region))
                .credentialsProvider(credentials(env, endpoint))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        // Stay well inside the function timeout so we can still answer 5xx ourselves.
                        .apiCallTimeout(Duration.ofSeconds(6))
                        .apiCallAttemptTimeout(Duration.ofSeconds(3))
                        .build());
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(FunctionEnvironment env, String endpoint) {
        if (env.get("AWS_LAMBDA_FUNCTION_NAME") != null && env.get("AWS_ACCESS_KEY_ID") != null) {
            // In Lambda: skip the provider chain walk; the runtime sets these variables.
            return EnvironmentVariableCredentialsProvider.create();
        }
        if (endpoint != null) {
            // DynamoDB Local / LocalStack accept any credentials.
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
