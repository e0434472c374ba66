package dev.payoutcallbacks.local;

import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The local Lambda runtime for a test: every function in its own process under the Runtime Interface Client, on
 * a fresh table of the shared DynamoDB Local, its output kept (and printed, prefixed) for assertions.
 */
final class TestRuntime implements AutoCloseable {
    static final SamTemplate TEMPLATE = SamTemplate.find();

    final String table;
    final LambdaRuntime runtime;
    private final List<String> lines = new ArrayList<>();

    TestRuntime(boolean snapStart) {
        this(snapStart, null);
    }

    /** @param dynamoEndpoint where the functions send their DynamoDB calls (a recorder in front of the engine) */
    TestRuntime(boolean snapStart, String dynamoEndpoint) {
        EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.shared();
        this.table = dynamo.freshTable(TEMPLATE, "PayoutsTable");
        this.runtime = new LambdaRuntime(TEMPLATE, TEMPLATE.projectDir().resolve("infra/local-env.json"),
                Map.of("TABLE_NAME", table, "DYNAMODB_ENDPOINT", dynamoEndpoint == null ? dynamo.endpoint() : dynamoEndpoint,
                        "AWS_REGION", EmbeddedDynamoDb.REGION),
                LambdaRuntime.Options.defaults().withSnapStart(snapStart).withOutput((id, line) -> {
                    synchronized (lines) {
                        lines.add(id + " " + line);
                    }
                    LambdaRuntime.printPrefixed(id, line);
                }));
    }

    /** Every line the functions wrote, as "LogicalId line". */
    List<String> output() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() {
        runtime.close();
    }
}
