package dev.payoutcallbacks.core.ledger;

import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import dev.payoutcallbacks.local.dynamodb.TemplateTables;
import java.util.UUID;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The same contract on LocalStack, where a Docker daemon exists; skipped cleanly where it does not. */
@Testcontainers(disabledWithoutDocker = true)
class PayoutLedgerOnLocalStackTest extends PayoutLedgerContract {
    @Container
    static final LocalStackContainer LOCALSTACK =
            new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4")).withServices("dynamodb");

    private static DynamoDbClient client;

    @Override
    protected synchronized DynamoDbClient client() {
        if (client == null) {
            client = DynamoDbClient.builder()
                    .endpointOverride(LOCALSTACK.getEndpoint())
                    .region(Region.of(LOCALSTACK.getRegion()))
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
        }
        return client;
    }

    @Override
    protected String freshTable() {
        String name = "PayoutsTable-" + UUID.randomUUID().toString().substring(0, 8);
        TemplateTables.create(client(), SamTemplate.find(), "PayoutsTable", name);
        return name;
    }

    @Override
    protected String endpoint() {
        return LOCALSTACK.getEndpoint().toString();
    }
}
