package dev.payoutcallbacks.bench;

import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Time per sequential DynamoDB call for each HTTP client on this class path, in this (warm, C2) JVM, against
 * the zero-latency endpoint: what the client itself adds to every round trip.
 */
final class HttpClientCalls {
    private HttpClientCalls() {
    }

    static Map<String, Double> measure(String endpoint, int calls) {
        Map<String, Double> medians = new LinkedHashMap<>();
        Map<String, List<Double>> rounds = new LinkedHashMap<>();
        for (int round = 0; round < 3; round++) {
            for (String kind : List.of("url-connection (ours)", "apache 5 (SDK default)", "apache 4")) {
                SdkHttpClient http = switch (kind) {
                    case "url-connection (ours)" -> UrlConnectionHttpClient.create();
                    case "apache 5 (SDK default)" -> Apache5HttpClient.create();
                    default -> ApacheHttpClient.create();
                };
                try (DynamoDbClient db = DynamoDbClient.builder().httpClient(http).endpointOverride(URI.create(endpoint))
                        .region(Region.of(EmbeddedDynamoDb.REGION))
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                        .build()) {
                    long[] t = new long[calls];
                    for (int i = 0; i < calls; i++) {
                        long start = System.nanoTime();
                        db.getItem(b -> b.tableName("PayoutsTable").key(Map.of("pk", AttributeValue.fromS("x"),
                                "sk", AttributeValue.fromS("STATE"))));
                        t[i] = System.nanoTime() - start;
                    }
                    Arrays.sort(t);
                    rounds.computeIfAbsent(kind, k -> new ArrayList<>()).add(t[calls / 2] / 1000.0);
                }
            }
        }
        rounds.forEach((k, v) -> medians.put(k, Report.median(v.subList(1, v.size())))); // first round: warm-up
        return medians;
    }

    static void write(Report report, Map<String, Double> medians, int calls) {
        report.line("HTTP client alone: median time per sequential GetItem against the zero-latency endpoint, in the "
                + "benchmark's own warm JVM (" + calls + " calls per client, median of 2 rounds after a warm-up round):");
        report.line("");
        List<List<String>> rows = new ArrayList<>();
        double ours = medians.values().iterator().next();
        medians.forEach((k, v) -> rows.add(List.of(k, Report.num(v / 1000.0), Report.ratio(ours, v))));
        report.table(List.of("HTTP client", "ms per call", "url-connection ÷ this"), rows);
    }
}
