package dev.payoutcallbacks.bench.floor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The floor of a cold start: the least a Java function that writes to DynamoDB can do — one low-level
 * {@code DynamoDbClient} built at init with the HTTP client FLOOR_HTTP_CLIENT names (url-connection | apache5 |
 * crt), one {@code PutItem} per call. Run under the Runtime Interface Client beside the real functions, it says
 * how much of their cold start is the platform's and the SDK's, and what each HTTP client costs.
 *
 * <p>Event: {"calls": n} (default 1). Answer: {"client", "clientBuildMs", "calls", "perCallMedianUs"}.
 */
public final class FloorFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final String clientName;
    private final long clientBuildNanos;
    private final DynamoDbClient db;
    private final String table;
    private long writes;

    public FloorFunction() {
        clientName = System.getenv().getOrDefault("FLOOR_HTTP_CLIENT", "url-connection");
        long start = System.nanoTime();
        SdkHttpClient http = switch (clientName) {
            case "apache5" -> Apache5HttpClient.create();
            case "crt" -> AwsCrtHttpClient.create();
            default -> UrlConnectionHttpClient.create();
        };
        db = DynamoDbClient.builder().httpClient(http)
                .endpointOverride(URI.create(System.getenv("DYNAMODB_ENDPOINT")))
                .region(Region.of(System.getenv("AWS_REGION")))
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .build();
        clientBuildNanos = System.nanoTime() - start;
        table = System.getenv("TABLE_NAME");
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        int calls = event != null && event.get("calls") instanceof Number n ? n.intValue() : 1;
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            String id = context.getAwsRequestId() + "-" + (writes++);
            long start = System.nanoTime();
            db.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("FLOOR#" + id),
                    "sk", AttributeValue.fromS("STATE"))));
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("client", clientName);
        answer.put("clientBuildMs", clientBuildNanos / 1_000_000.0);
        answer.put("calls", calls);
        answer.put("perCallMedianUs", nanos[calls / 2] / 1000.0);
        return answer;
    }
}
