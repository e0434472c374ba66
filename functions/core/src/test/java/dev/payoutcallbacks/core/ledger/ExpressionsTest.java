package dev.payoutcallbacks.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payoutcallbacks.core.testing.TestTables;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The one expression style: every name and value a placeholder, and requests DynamoDB accepts as written. */
class ExpressionsTest {
    /** What is left of an expression once placeholders, functions and keywords are taken out: no attribute. */
    private static final Pattern BARE_WORD = Pattern.compile("(?<![#:\\w])(?!(?:SET|ADD|REMOVE|AND|OR|NOT|IN|"
            + "if_not_exists|attribute_exists|attribute_not_exists|contains)\\b)[A-Za-z_]\\w*");

    @Test
    void noAttributeNameStandsBareAndEveryPlaceholderIsDefined() {
        Expressions e = new Expressions();
        e.set("status", AttributeValue.fromS("paid"))
                .setIfAbsent("reviewReason", AttributeValue.fromS("why"))
                .setTo("refunded", "if_not_exists(" + e.name("refunded") + ", " + e.value(PayoutItems.n(0)) + ")")
                .add("version", PayoutItems.n(1))
                .remove("openProvider", "checkAfter")
                .condition(e.notExists("pk") + " OR " + e.compare("revision", "<", PayoutItems.n(3)));
        UpdateItemRequest update = e.updateItem("t", PayoutItems.key("PAYOUT#a", "STATE")).build();
        assertEquals("SET #status = :status, #reviewReason = if_not_exists(#reviewReason, :reviewReason),"
                + " #refunded = if_not_exists(#refunded, :v2) ADD #version :version REMOVE #openProvider, #checkAfter",
                update.updateExpression());
        assertEquals("attribute_not_exists(#pk) OR #revision < :v4", update.conditionExpression());
        for (String expression : new String[] {update.updateExpression(), update.conditionExpression()}) {
            Matcher bare = BARE_WORD.matcher(expression);
            assertFalse(bare.find(), () -> "bare word " + bare.group() + " in " + expression);
            Matcher placeholder = Pattern.compile("[#:]\\w+").matcher(expression);
            while (placeholder.find()) {
                String p = placeholder.group();
                assertTrue(p.startsWith("#") ? update.expressionAttributeNames().containsKey(p)
                        : update.expressionAttributeValues().containsKey(p), p + " undefined in " + expression);
            }
        }
    }

    @Test
    void aRequestWithoutValuesSendsNoEmptyMapWhichDynamoDbRefuses() {
        Expressions absent = new Expressions();
        PutItemRequest put = absent.condition(absent.notExists(PayoutItems.PK))
                .putItem("t", PayoutItems.key("a", "b")).build();
        assertEquals("attribute_not_exists(#pk)", put.conditionExpression());
        assertFalse(put.hasExpressionAttributeValues());
        assertThrows(IllegalStateException.class, () -> new Expressions().set("a", PayoutItems.n(1))
                .add("a", PayoutItems.n(1)), "two actions writing one attribute's value");
        assertThrows(IllegalStateException.class, () -> new Expressions().set("a", PayoutItems.n(1))
                .putItem("t", Map.of()), "update actions on a put are never silently dropped");
    }

    @Test
    void reservedWordsAsAttributeNamesWorkOnDynamoDb() {
        String table = TestTables.freshPayoutsTable();
        DynamoDbClient db = TestTables.dynamo().client();
        Map<String, AttributeValue> key = PayoutItems.key("EXPR#1", "X");
        Expressions create = new Expressions();
        db.updateItem(create.set("status", AttributeValue.fromS("open")).set("name", AttributeValue.fromS("n"))
                .add("size", PayoutItems.n(2)).condition(create.notExists(PayoutItems.PK))
                .updateItem(table, key).build());
        Expressions again = new Expressions();
        assertThrows(ConditionalCheckFailedException.class, () -> db.updateItem(again.set("status",
                AttributeValue.fromS("x")).condition(again.notExists(PayoutItems.PK)).updateItem(table, key).build()));
        Expressions grow = new Expressions();
        db.updateItem(grow.add("size", PayoutItems.n(3)).remove("name")
                .condition(grow.equal("status", AttributeValue.fromS("open"))).updateItem(table, key).build());
        Map<String, AttributeValue> item = new HashMap<>(db.getItem(b -> b.tableName(table).key(key)
                .consistentRead(true)).item());
        assertEquals("5", item.get("size").n());
        assertEquals("open", item.get("status").s());
        assertFalse(item.containsKey("name"));
        Expressions query = new Expressions();
        assertEquals(1, db.query(query.condition(query.equal(PayoutItems.PK, PayoutItems.s("EXPR#1")))
                .query(table).consistentRead(true).build()).count());
    }
}
