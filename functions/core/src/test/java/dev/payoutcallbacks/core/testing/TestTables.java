package dev.payoutcallbacks.core.testing;

import dev.payoutcallbacks.core.ledger.LedgerSettings;
import dev.payoutcallbacks.core.ledger.PayoutHistory;
import dev.payoutcallbacks.core.ledger.PayoutItems;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.PayoutTable;
import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import dev.payoutcallbacks.local.dynamodb.LocalStreams;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Fresh payouts tables (as declared in template.yaml) in the test JVM's shared DynamoDB Local. */
public final class TestTables {
    private TestTables() {
    }

    public static EmbeddedDynamoDb dynamo() {
        return EmbeddedDynamoDb.shared();
    }

    /** The payouts table of this name on DynamoDB Local. */
    public static PayoutTable table(String name) {
        return new PayoutTable(dynamo().client(), name);
    }

    /** A ledger with the production settings on the payouts table of this name. */
    public static PayoutLedger ledger(String table) {
        return new PayoutLedger(table(table), Clock.systemUTC(), LedgerSettings.defaults());
    }

    /** A new, empty PayoutsTable; returns its name. */
    public static String freshPayoutsTable() {
        return dynamo().freshTable(SamTemplate.find(), "PayoutsTable");
    }

    /** A function environment pointing at DynamoDB Local, plus name/value pairs. */
    public static Map<String, String> environment(String table, String... nameValues) {
        Map<String, String> env = new HashMap<>();
        env.put("TABLE_NAME", table);
        env.put("DYNAMODB_ENDPOINT", dynamo().endpoint());
        env.put("AWS_REGION", EmbeddedDynamoDb.REGION);
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            env.put(nameValues[i], nameValues[i + 1]);
        }
        return env;
    }

    /** Every item in the table (tests only: a scan). */
    public static List<Map<String, AttributeValue>> scan(DynamoDbClient db, String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        db.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(items::add);
        return items;
    }

    public static List<Map<String, AttributeValue>> scan(String table) {
        return scan(dynamo().client(), table);
    }

    /** Items whose sort key starts with the prefix (STATE, HISTORY#, ...). */
    public static List<Map<String, AttributeValue>> items(String table, String skPrefix) {
        return scan(table).stream().filter(i -> i.get(PayoutItems.SK).s().startsWith(skPrefix)).toList();
    }

    /**
     * Does what the change publisher does in AWS for history: reads the table's stream on DynamoDB Local
     * (from where the last call stopped) and writes each recorded outcome's HISTORY# item. Call before
     * asserting on more than a payout's newest history entry.
     */
    public static void settleHistory(String table) {
        settleHistory(dynamo().client(), dynamo().endpoint(), table);
    }

    public static void settleHistory(DynamoDbClient db, String endpoint, String table) {
        PayoutHistory history = new PayoutHistory(new PayoutTable(db, table));
        LocalStreams.drain(db, endpoint, table, history::record);
    }

    public static Map<String, AttributeValue> key(String pk, String sk) {
        return new HashMap<>(PayoutItems.key(pk, sk));
    }
}
