package dev.payoutcallbacks.bench;

import dev.payoutcallbacks.bench.ProviderEvents.Provider;
import dev.payoutcallbacks.calypso.CalypsoCallbacks;
import dev.payoutcallbacks.commpix.CommPixCallbacks;
import dev.payoutcallbacks.commpix.CommPixSenderAllowList;
import dev.payoutcallbacks.core.config.SharedSecrets;
import dev.payoutcallbacks.core.lambda.CallbackReceiver;
import dev.payoutcallbacks.core.ledger.LedgerSettings;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.PayoutTable;
import dev.payoutcallbacks.core.ledger.Quarantine;
import dev.payoutcallbacks.core.provider.ProviderCallbacks;
import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import dev.payoutcallbacks.m2money.M2MoneyCallbacks;
import dev.payoutcallbacks.pivot.PivotCallbacks;
import dev.payoutcallbacks.slate.SlateCallbacks;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
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

    private Stacks() {
    }

    /** Our provider translation, configured as its handler configures it from the local secrets. */
    static ProviderCallbacks callbacks(Provider p, ProviderEvents events) {
        Map<String, String> env = events.secretsFor(p);
        return switch (p) {
            case SLATE -> new SlateCallbacks(SharedSecrets.parse(env.get("INTERNAL_SECRETS")));
            case PIVOT -> new PivotCallbacks(SharedSecrets.parse(env.get("PIVOT_CALLBACK_API_KEYS")));
            case CALYPSO -> new CalypsoCallbacks(SharedSecrets.parse(env.get("CALYPSO_WEBHOOK_SECRETS")));
            case M2MONEY -> new M2MoneyCallbacks(SharedSecrets.parse(env.get("M2MONEY_WEBHOOK_SECRETS")),
                    M2MoneyCallbacks.DEFAULT_UNTRANSLATABLE_HTTP_STATUS);
            case COMMPIX -> new CommPixCallbacks(CommPixSenderAllowList.parse(env.get("COMMPIX_ALLOWED_IPS")),
                    SharedSecrets.parse(env.get("COMMPIX_TOKENS")),
                    // as CommPixCallbackHandler: empty or "none" means no signature required
                    "none".equalsIgnoreCase(env.get("COMMPIX_HMAC_SECRETS").trim()) ? SharedSecrets.parse(null)
                            : SharedSecrets.parse(env.get("COMMPIX_HMAC_SECRETS")));
        };
    }

    /** Our receiver exactly as CallbackReceiver.create wires it, but on the given (instrumented) client. */
    static CallbackReceiver receiver(Provider p, ProviderEvents events, DynamoDbClient db, String table) {
        Clock clock = Clock.systemUTC();
        PayoutTable payouts = new PayoutTable(db, table);
        PayoutLedger ledger = new PayoutLedger(payouts, clock, LedgerSettings.defaults());
        return new CallbackReceiver(callbacks(p, events), ledger, new Quarantine(payouts, clock),
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
