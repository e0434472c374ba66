package dev.payoutcallbacks.core.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The expressions of one DynamoDB request of the payouts table, written with placeholders only: {@code #name}
 * for every attribute, {@code :name} or {@code :v<n>} for every value. No attribute name ever stands bare in an
 * expression, so none can clash with DynamoDB's reserved words, and every request of the table reads the same.
 *
 * <p>The conditions are ANDed: a write's condition expression, or a query's key condition.
 */
public final class Expressions {
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();
    private final List<String> conditions = new ArrayList<>();
    private final List<String> sets = new ArrayList<>();
    private final List<String> adds = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();

    /** The placeholder of an attribute's name. */
    public String name(String attribute) {
        String placeholder = "#" + attribute;
        names.put(placeholder, attribute);
        return placeholder;
    }

    /** A new placeholder for a value. */
    public String value(AttributeValue v) {
        return value(":v" + values.size(), v);
    }

    /** The value an action writes to an attribute, under a placeholder named after it (one action per attribute). */
    private String valueOf(String attribute, AttributeValue v) {
        return value(":" + attribute, v);
    }

    private String value(String placeholder, AttributeValue v) {
        if (values.putIfAbsent(placeholder, v) != null) {
            throw new IllegalStateException("two values under " + placeholder);
        }
        return placeholder;
    }

    public Expressions condition(String condition) {
        conditions.add(condition);
        return this;
    }

    public String exists(String attribute) {
        return "attribute_exists(" + name(attribute) + ")";
    }

    public String notExists(String attribute) {
        return "attribute_not_exists(" + name(attribute) + ")";
    }

    /** The attribute compared with a value: {@code =}, {@code <}, {@code <=}, {@code >} ... */
    public String compare(String attribute, String operator, AttributeValue v) {
        return name(attribute) + " " + operator + " " + value(v);
    }

    public String equal(String attribute, AttributeValue v) {
        return compare(attribute, "=", v);
    }

    public Expressions set(String attribute, AttributeValue v) {
        return setTo(attribute, valueOf(attribute, v));
    }

    /** Sets a string attribute when there is a value; leaves it as it is otherwise. */
    public Expressions setIfPresent(String attribute, String v) {
        return v == null ? this : set(attribute, AttributeValue.fromS(v));
    }

    /** Sets the attribute only where it has no value yet. */
    public Expressions setIfAbsent(String attribute, AttributeValue v) {
        return setTo(attribute, "if_not_exists(" + name(attribute) + ", " + valueOf(attribute, v) + ")");
    }

    /** Sets the attribute to an operand built with {@link #name} and {@link #value} (arithmetic, if_not_exists). */
    public Expressions setTo(String attribute, String operand) {
        sets.add(name(attribute) + " = " + operand);
        return this;
    }

    /** Adds to a number, or adds elements to a set. */
    public Expressions add(String attribute, AttributeValue v) {
        adds.add(name(attribute) + " " + valueOf(attribute, v));
        return this;
    }

    public Expressions remove(String... attributes) {
        for (String attribute : attributes) {
            removes.add(name(attribute));
        }
        return this;
    }

    /** An UpdateItem of the item at {@code key}: the actions, on the conditions (if any). */
    public UpdateItemRequest.Builder updateItem(String table, Map<String, AttributeValue> key) {
        StringBuilder update = new StringBuilder();
        clause(update, "SET ", sets);
        clause(update, "ADD ", adds);
        clause(update, "REMOVE ", removes);
        return UpdateItemRequest.builder().tableName(table).key(key)
                .updateExpression(update.toString())
                .conditionExpression(conditionExpression())
                .expressionAttributeNames(names.isEmpty() ? null : names)
                .expressionAttributeValues(values.isEmpty() ? null : values);
    }

    /** A PutItem of the whole item, on the conditions (if any). */
    public PutItemRequest.Builder putItem(String table, Map<String, AttributeValue> item) {
        requireNoActions();
        return PutItemRequest.builder().tableName(table).item(item)
                .conditionExpression(conditionExpression())
                .expressionAttributeNames(names.isEmpty() ? null : names)
                .expressionAttributeValues(values.isEmpty() ? null : values);
    }

    /** A Query whose key condition is the conditions. */
    public QueryRequest.Builder query(String table) {
        requireNoActions();
        return QueryRequest.builder().tableName(table)
                .keyConditionExpression(conditionExpression())
                .expressionAttributeNames(names)
                .expressionAttributeValues(values);
    }

    private String conditionExpression() {
        return conditions.isEmpty() ? null : String.join(" AND ", conditions);
    }

    private void requireNoActions() {
        if (!sets.isEmpty() || !adds.isEmpty() || !removes.isEmpty()) {
            throw new IllegalStateException("update actions on a request that is not an update");
        }
    }

    private static void clause(StringBuilder expression, String keyword, List<String> actions) {
        if (!actions.isEmpty()) {
            expression.append(expression.isEmpty() ? "" : " ").append(keyword).append(String.join(", ", actions));
        }
    }
}
