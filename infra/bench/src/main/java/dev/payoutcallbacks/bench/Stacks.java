package dev.payoutcallbacks.bench;

import dev.payoutcallbacks.core.lambda.CallbackReceiver;
import dev.payoutcallbacks.core.ledger.LedgerSettings;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.PayoutTable;
import dev.payoutcallbacks.core.ledger.Quarantine;
import dev.payoutcallbacks.core.testing.ProviderFixture;
import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import java.net.URI;
import java.time.Clock;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Wiring shared by the benchmarks: our receivers on an instrumented client, and the baseline's tables. */
final class Stacks {
    /** The production default (CallbackReceiver.create reads APPLY_MAX_ATTEMPTS, default 8). */
    static final int APPLY_MAX_ATTEMPTS = LedgerSettings.DEFAULT_MAX_ATTEMPTS;
    /** The baseline is a Pivot handler: it is compared with our Pivot function, on Pivot's callbacks. */
    static final String BASELINE_PROVIDER = "pivot";

    private Stacks() {
    }

    /** Our receiver exactly as CallbackReceiver.create wires it, but on the given (instrumented) client. */
    static CallbackReceiver receiver(ProviderFixture p, ProviderEvents events, DynamoDbClient db, String table) {
        Clock clock = Clock.systemUTC();
        PayoutTable payouts = new PayoutTable(db, table);
        PayoutLedger ledger = new PayoutLedger(payouts, clock, LedgerSettings.defaults());
        // The provider's callbacks as its function builds them from the local settings.
        return new CallbackReceiver(p.callbacks(events.settings()), ledger, new Quarantine(payouts, clock),
                CallbackReceiver.DEFAULT_MAX_BODY_BYTES, clock);
    }

    /** Our client configuration (url-connection-client) plus an interceptor. */
    static DynamoDbClient ourClient(String endpoint, ExecutionInterceptor interceptor) {
        return configured(DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()), endpoint, interceptor);
    }

    /** The SDK's default HTTP client (chosen from the class path), plus an interceptor. */
    static DynamoDbClient defaultClient(String endpoint, ExecutionInterceptor interceptor) {
        return configured(DynamoDbClient.builder(), endpoint, interceptor);
    }

    private static DynamoDbClient configured(DynamoDbClientBuilder builder, String endpoint, ExecutionInterceptor interceptor) {
        builder.endpointOverride(URI.create(endpoint))
                .region(Region.of(EmbeddedDynamoDb.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        if (interceptor != null) {
            builder.overrideConfiguration(o -> o.addExecutionInterceptor(interceptor));
        }
        return builder.build();
    }

    /** The baseline's two tables: payouts (HASH referenceId) and Powertools' idempotency table (HASH id, TTL). */
    static String[] baselineTables(DynamoDbClient db) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String payouts = "BaselinePayouts-" + suffix;
        String idempotency = "BaselineIdempotency-" + suffix;
        createHashTable(db, payouts, "referenceId");
        createHashTable(db, idempotency, "id");
        db.updateTimeToLive(b -> b.tableName(idempotency).timeToLiveSpecification(t -> t.attributeName("expiration").enabled(true)));
        return new String[] {payouts, idempotency};
    }

    private static void createHashTable(DynamoDbClient db, String name, String key) {
        db.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName(key).attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(key).keyType(KeyType.HASH).build()));
        db.waiter().waitUntilTableExists(b -> b.tableName(name));
    }
}
