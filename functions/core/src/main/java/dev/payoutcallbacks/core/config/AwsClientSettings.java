package dev.payoutcallbacks.core.config;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;

/** What every AWS client of these functions shares: the one HTTP client implementation and the credentials. */
public final class AwsClientSettings {
    private AwsClientSettings() {
    }

    private static volatile SdkHttpClient shared;

    /**
     * The one HTTP client of the JVM, shared by every AWS client (DynamoDB, Secrets Manager, KMS, EventBridge, S3):
     * Apache 5, chosen by measurement under the Runtime Interface Client (BENCHMARKS.md, "HTTP client"). Every
     * function runs under SnapStart, where the client's build (longer than url-connection's) is part of the
     * snapshot, and each call then costs about a third of url-connection's. Netty, Apache 4 and url-connection
     * are excluded from the packages. Connections idle past the pool's limit (as any pooled before a snapshot
     * are, once restored) are closed, not reused. Clients given an HTTP client never close it: sharing is safe.
     */
    public static SdkHttpClient httpClient() {
        SdkHttpClient c = shared;
        if (c == null) {
            synchronized (AwsClientSettings.class) {
                if (shared == null) {
                    shared = Apache5HttpClient.builder()
                            .connectionTimeout(Duration.ofSeconds(2))
                            .socketTimeout(Duration.ofSeconds(5))
                            .connectionMaxIdleTime(Duration.ofSeconds(30))
                            .build();
                }
                c = shared;
            }
        }
        return c;
    }


    /**
     * In Lambda the runtime's variables, without walking the provider chain; against a local endpoint (DynamoDB
     * Local, LocalStack, a test stub) any credentials; elsewhere the default chain.
     */
    public static AwsCredentialsProvider credentials(FunctionEnvironment env, String endpointOverride) {
        if (env.get("AWS_LAMBDA_FUNCTION_NAME") != null && env.get("AWS_ACCESS_KEY_ID") != null) {
            return EnvironmentVariableCredentialsProvider.create();
        }
        if (endpointOverride != null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
