package dev.payoutcallbacks.core.ledger;

import dev.payoutcallbacks.core.testing.TestTables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The ledger contract on DynamoDB Local, embedded in this JVM and reached over HTTP. */
class PayoutLedgerOnDynamoDbLocalTest extends PayoutLedgerContract {
    @Override
    protected DynamoDbClient client() {
        return TestTables.dynamo().client();
    }

    @Override
    protected String freshTable() {
        return TestTables.freshPayoutsTable();
    }

    @Override
    protected String endpoint() {
        return TestTables.dynamo().endpoint();
    }
}
