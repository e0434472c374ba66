package dev.payoutcallbacks.core.ledger;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The payouts table every repository of it reads and writes: the low-level client (one per JVM, from
 * {@link DynamoClients}) and the table's name. What its items hold is declared in {@link PayoutItems}.
 */
public record PayoutTable(DynamoDbClient client, String name) {

    /** TABLE_NAME, on the function's shared client (DYNAMODB_ENDPOINT, AWS_REGION). */
    public static PayoutTable fromEnvironment(FunctionEnvironment env) {
        return new PayoutTable(DynamoClients.shared(env), env.require("TABLE_NAME"));
    }
}
