package dev.payoutcallbacks.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;
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

    /**
     * A client built once, on first use, however many threads ask at once: for a client most invocations never
     * need (Secrets Manager after the cache, KMS for a quarantined callback), kept out of init and the snapshot.
     */
    public static <C> Supplier<C> onFirstUse(Supplier<C> build) {
        return new OnFirstUse<>(build);
    }

    private static final class OnFirstUse<C> implements Supplier<C> {
        private final Supplier<C> build;
        private volatile C client;

        OnFirstUse(Supplier<C> build) {
            this.build = build;
        }

        @Override
        public C get() {
            C c = client;
            if (c == null) {
                synchronized (this) {
                    if (client == null) {
                        client = build.get();
                    }
                    c = client;
                }
            }
            return c;
        }
    }
}
