package dev.payoutcallbacks.bench.baseline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.lambda.powertools.idempotency.Idempotency;
import software.amazon.lambda.powertools.idempotency.IdempotencyConfig;
import software.amazon.lambda.powertools.idempotency.IdempotencyKey;
import software.amazon.lambda.powertools.idempotency.Idempotent;
import software.amazon.lambda.powertools.idempotency.exceptions.IdempotencyAlreadyInProgressException;
import software.amazon.lambda.powertools.idempotency.persistence.DynamoDBPersistenceStore;

/**
 * BASELINE — benchmark only, never deployed, never on a function's class path.
 *
 * <p>Pivot's callback written the conventional way, as the seed describes the sequence: the SDK's default
 * HTTP client (whatever {@code DynamoDbClient.builder()} picks from the class path), the DynamoDB Enhanced
 * Client with a bean {@code TableSchema}, Jackson data binding, and Powertools (v1) idempotency for the dedup
 * step: a put-if-absent of an idempotency record, then a read of the payout and a versioned write, then the
 * idempotency record completed with the result.
 *
 * <p>Env: TABLE_NAME (payouts, key referenceId), IDEMPOTENCY_TABLE_NAME (Powertools' table, key id),
 * PIVOT_CALLBACK_API_KEYS, optional DYNAMODB_ENDPOINT.
 */
public class PivotBaselineHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> FINAL = Set.of("SUCCESS", "FAILED", "CANCELLED");

    private final byte[] apiKey;
    private final DynamoDbTable<PayoutEntity> payouts;

    public PivotBaselineHandler() {
        this(System.getenv());
    }

    public PivotBaselineHandler(Map<String, String> env) {
        this(env, null);
    }

    /** @param client null for the default client (the benchmark passes an instrumented one to count units) */
    public PivotBaselineHandler(Map<String, String> env, DynamoDbClient client) {
        this.apiKey = env.get("PIVOT_CALLBACK_API_KEYS").split(",")[0].trim().getBytes(StandardCharsets.UTF_8);
        DynamoDbClient dynamo = client != null ? client : defaultClient(env);
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
        this.payouts = enhanced.table(env.get("TABLE_NAME"), TableSchema.fromBean(PayoutEntity.class));
        Idempotency.config()
                .withPersistenceStore(DynamoDBPersistenceStore.builder()
                        .withTableName(env.get("IDEMPOTENCY_TABLE_NAME"))
                        .withDynamoDbClient(dynamo)
                        .build())
                .withConfig(IdempotencyConfig.builder()
                        .withEventKeyJMESPath("[referenceId, status]")
                        .withExpiration(Duration.ofDays(7))
                        .build())
                .configure();
    }

    private static DynamoDbClient defaultClient(Map<String, String> env) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder(); // default HTTP client, region and credentials chains
        String endpoint = env.get("DYNAMODB_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Idempotency.registerLambdaContext(context);
        Map<String, String> headers = event.getHeaders();
        String presented = headers == null ? null : headers.get("x-api-key");
        if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), apiKey)) {
            return answer(401, "{\"error\":\"unauthenticated\"}");
        }
        PivotCallback callback;
        try {
            String body = event.getIsBase64Encoded()
                    ? new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8)
                    : event.getBody();
            callback = MAPPER.readValue(body, PivotCallback.class);
        } catch (Exception malformed) {
            return answer(400, "{\"error\":\"malformed\"}");
        }
        if (callback.data == null || callback.data.payouts == null || callback.data.payouts.referenceId == null) {
            return answer(400, "{\"error\":\"unsupported\"}"); // bulk notices: out of the baseline's scope
        }
        PivotCallback.Payout p = callback.data.payouts;
        String status = p.status != null ? p.status : callback.event.substring(callback.event.indexOf('.') + 1);
        PayoutUpdate update = new PayoutUpdate(p.referenceId, status,
                p.amount == null ? null : p.amount.value, p.amount == null ? null : p.amount.currency,
                p.reason, callback.data.uuid, callback.event);
        try {
            String result = apply(update);
            return answer(200, "{\"result\":\"" + result + "\",\"reference\":\"" + p.referenceId + "\"}");
        } catch (ConditionalCheckFailedException | IdempotencyAlreadyInProgressException concurrent) {
            return answer(503, "{\"error\":\"retry\"}");
        }
    }

    /** Dedup (Powertools), read, decide, versioned write. Returns what was done; replayed for a duplicate. */
    @Idempotent
    public String apply(@IdempotencyKey PayoutUpdate update) {
        PayoutEntity payout = payouts.getItem(Key.builder().partitionValue(update.getReferenceId()).build());
        if (payout == null) {
            payout = new PayoutEntity();
            payout.setReferenceId(update.getReferenceId());
        } else if (payout.getStatus() != null && FINAL.contains(payout.getStatus())) {
            return payout.getStatus().equals(update.getStatus()) ? "ALREADY_FINAL" : "IGNORED_AFTER_FINAL";
        }
        payout.setStatus(update.getStatus());
        if (update.getAmount() != null) {
            payout.setAmount(update.getAmount());
            payout.setCurrency(update.getCurrency());
        }
        payout.setFailureReason(update.getReason());
        payout.setProviderPayoutId(update.getProviderPayoutId());
        payout.setLastEvent(update.getEvent());
        payout.setUpdatedAt(Instant.now().toString());
        payouts.putItem(payout); // VersionedRecordExtension: condition on the version read, version + 1
        return "APPLIED";
    }

    private static APIGatewayV2HTTPResponse answer(int status, String body) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody(body)
                .build();
    }
}
