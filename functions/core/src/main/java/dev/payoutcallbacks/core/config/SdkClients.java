package dev.payoutcallbacks.core.config;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;

/**
 * How every AWS client of the functions (DynamoDB, Secrets Manager, KMS, EventBridge, S3) is built: the one
 * HTTP client, the region and credentials of {@link AwsClientSettings}, call and attempt timeouts, and an
 * endpoint override from the environment for tests and local stand-ins.
 */
public final class SdkClients {
    private SdkClients() {
    }

    /**
     * @param endpointVariable the environment variable naming an endpoint override (e.g. S3_ENDPOINT); unset in AWS
     */
    public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configured(
            B builder, FunctionEnvironment env, String endpointVariable, Duration callTimeout, Duration attemptTimeout) {
        String endpoint = env.get(endpointVariable);
        builder.httpClient(AwsClientSettings.httpClient())
                .region(Region.of(env.getOrDefault("AWS_REGION", "us-east-1")))
                .credentialsProvider(AwsClientSettings.credentials(env, endpoint))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(callTimeout)
                        .apiCallAttemptTimeout(attemptTimeout)
                        .build());
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder;
    }
}
