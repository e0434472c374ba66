package dev.payoutcallbacks.bench.capacity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * An SDK interceptor that records every DynamoDB call a client makes: the operation, each item it touched,
 * what DynamoDB (Local) reported as consumed capacity, and — when {@code imaging} — the size of each written
 * item before and after the call, read back with a separate, uninstrumented client. From those images the
 * capacity is computed with AWS's rules ({@link CapacityRules}), independently of what Local reports.
 *
 * <p>Imaging adds reads that are not part of the measured code; use it only where cost, not time, is
 * measured. Without it the log only counts calls and outcomes (thread-safe, for the contention run).
 */
public final class DynamoCallLog implements ExecutionInterceptor {

    /** One item touched by a call. Sizes are -1 when the item did not exist. */
    public record Touch(String action, String table, Map<String, AttributeValue> key, long before, long after,
                        Map<String, AttributeValue> beforeItem, Map<String, AttributeValue> afterItem) {
        public long larger() {
            return Math.max(Math.max(before, after), 0);
        }
    }

    /** One DynamoDB call. */
    public record Call(String operation, List<Touch> touches, boolean succeeded, String error,
                       boolean stronglyConsistent, Double reportedUnits, double gsiWriteUnits) {

        /**
         * Write units by AWS's rules, GSI writes included; 0 for reads. A cancelled transaction is not counted
         * (see the analysis in BENCHMARKS.md).
         */
        public double ruleWriteUnits() {
            return tableWriteUnits() + gsiWriteUnits;
        }

        private double tableWriteUnits() {
            switch (operation) {
                case "PutItem", "UpdateItem", "DeleteItem" -> {
                    Touch t = touches.get(0);
                    // a failed conditional write consumes the existing item's size (at least 1)
                    return CapacityRules.writeUnits(succeeded ? t.larger() : Math.max(t.before(), 0));
                }
                case "TransactWriteItems" -> {
                    if (!succeeded) {
                        return 0;
                    }
                    double units = 0;
                    for (Touch t : touches) {
                        units += CapacityRules.transactionalWriteUnits(t.larger());
                    }
                    return units;
                }
                default -> {
                    return 0;
                }
            }
        }

        /** Read units by AWS's rules; 0 for writes. */
        public double ruleReadUnits() {
            switch (operation) {
                case "GetItem", "BatchGetItem" -> {
                    double units = 0;
                    for (Touch t : touches) {
                        units += CapacityRules.readUnits(Math.max(t.after(), 0), stronglyConsistent);
                    }
                    return units;
                }
                default -> {
                    return 0;
                }
            }
        }

        public boolean isWrite() {
            return switch (operation) {
                case "PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem" -> true;
                default -> false;
            };
        }
    }

    private static final ExecutionAttribute<List<Touch>> BEFORE = new ExecutionAttribute<>("bench.before");

    private final DynamoDbClient shadow;
    private final boolean imaging;
    private final Map<String, List<String>> keySchemas = new ConcurrentHashMap<>();
    private final Map<String, List<Index>> indexSchemas = new ConcurrentHashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    /**
     * @param shadow  an uninstrumented client on the same endpoint (used for key schemas and images)
     * @param imaging read each written item before and after the call (sequential use only)
     */
    public DynamoCallLog(DynamoDbClient shadow, boolean imaging) {
        this.shadow = shadow;
        this.imaging = imaging;
    }

    /** The calls recorded since the last drain, oldest first. */
    public synchronized List<Call> drain() {
        List<Call> out = List.copyOf(calls);
        calls.clear();
        return out;
    }

    /** Counters: "<Operation>" per call, "<Operation>:<Exception>" per failure. */
    public long count(String name) {
        AtomicLong c = counters.get(name);
        return c == null ? 0 : c.get();
    }

    public void resetCounters() {
        counters.clear();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String op = operation(context.request());
        counters.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
        if (!imaging) {
            return;
        }
        List<Touch> before = new ArrayList<>();
        SdkRequest request = context.request();
        if (request instanceof PutItemRequest r) {
            before.add(image("Put", r.tableName(), keyOf(r.tableName(), r.item())));
        } else if (request instanceof UpdateItemRequest r) {
            before.add(image("Update", r.tableName(), r.key()));
        } else if (request instanceof DeleteItemRequest r) {
            before.add(image("Delete", r.tableName(), r.key()));
        } else if (request instanceof TransactWriteItemsRequest r) {
            for (TransactWriteItem item : r.transactItems()) {
                if (item.put() != null) {
                    before.add(image("Put", item.put().tableName(), keyOf(item.put().tableName(), item.put().item())));
                } else if (item.update() != null) {
                    before.add(image("Update", item.update().tableName(), item.update().key()));
                } else if (item.delete() != null) {
                    before.add(image("Delete", item.delete().tableName(), item.delete().key()));
                } else if (item.conditionCheck() != null) {
                    before.add(image("ConditionCheck", item.conditionCheck().tableName(), item.conditionCheck().key()));
                }
            }
        }
        attributes.putAttribute(BEFORE, before);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (!imaging) {
            return;
        }
        SdkRequest request = context.request();
        SdkResponse response = context.response();
        String op = operation(request);
        List<Touch> touches = new ArrayList<>();
        boolean strong = false;
        if (request instanceof GetItemRequest r) {
            strong = Boolean.TRUE.equals(r.consistentRead());
            Map<String, AttributeValue> found = ((GetItemResponse) response).hasItem() ? ((GetItemResponse) response).item() : null;
            touches.add(new Touch("Get", r.tableName(), r.key(), -1, found == null ? -1 : ItemSize.of(found), null, found));
        } else if (request instanceof BatchGetItemRequest r) {
            BatchGetItemResponse answer = (BatchGetItemResponse) response;
            for (Map.Entry<String, KeysAndAttributes> table : r.requestItems().entrySet()) {
                strong = Boolean.TRUE.equals(table.getValue().consistentRead());
                List<String> schema = keySchema(table.getKey());
                List<Map<String, AttributeValue>> returned = answer.responses().getOrDefault(table.getKey(), List.of());
                for (Map<String, AttributeValue> key : table.getValue().keys()) {
                    Map<String, AttributeValue> found = null;
                    for (Map<String, AttributeValue> item : returned) {
                        if (sameKey(schema, key, item)) {
                            found = item;
                        }
                    }
                    touches.add(new Touch("Get", table.getKey(), key, -1, found == null ? -1 : ItemSize.of(found), null, found));
                }
            }
        } else {
            touches.addAll(afterImages(attributes));
        }
        record(new Call(op, touches, true, null, strong, reported(response), gsiUnits(touches)));
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable error = context.exception();
        String op = operation(context.request());
        counters.computeIfAbsent(op + ":" + error.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
        if (error instanceof TransactionCanceledException cancelled) {
            counters.computeIfAbsent(op + ":cancelled:" + reasons(cancelled), k -> new AtomicLong()).incrementAndGet();
        }
        if (!imaging) {
            return;
        }
        String name = error.getClass().getSimpleName();
        if (error instanceof ConditionalCheckFailedException || error instanceof TransactionCanceledException) {
            record(new Call(op, afterImages(attributes), false, name, false, null, 0));
        } else {
            record(new Call(op, List.of(), false, name, false, null, 0));
        }
    }

    /** A GSI: its key attributes and what it projects (null: ALL). */
    record Index(String name, List<String> keys, List<String> projected) {
    }

    /**
     * GSI writes by AWS's rules ("Provisioned throughput considerations for Global Secondary Indexes"): an item
     * entering an index costs one index write, leaving it one, a change of its index key two (delete + put), a
     * change of a projected attribute one; nothing when the index does not hold the item before or after. Each
     * index write is 1 unit per KB of the index entry (projected attributes + table and index keys).
     */
    private double gsiUnits(List<Touch> touches) {
        double units = 0;
        for (Touch t : touches) {
            if (t.action().equals("Get") || t.action().equals("ConditionCheck")) {
                continue;
            }
            for (Index index : indexes(t.table())) {
                units += indexWrites(index, keySchema(t.table()), t.beforeItem(), t.afterItem());
            }
        }
        return units;
    }

    static double indexWrites(Index index, List<String> tableKeys, Map<String, AttributeValue> before,
                              Map<String, AttributeValue> after) {
        boolean wasIn = before != null && before.keySet().containsAll(index.keys());
        boolean isIn = after != null && after.keySet().containsAll(index.keys());
        if (!wasIn && !isIn) {
            return 0;
        }
        if (!wasIn) {
            return CapacityRules.writeUnits(entrySize(index, tableKeys, after));
        }
        if (!isIn) {
            return CapacityRules.writeUnits(entrySize(index, tableKeys, before));
        }
        boolean keyChanged = index.keys().stream().anyMatch(k -> !before.get(k).equals(after.get(k)));
        if (keyChanged) {
            return CapacityRules.writeUnits(entrySize(index, tableKeys, before))
                    + CapacityRules.writeUnits(entrySize(index, tableKeys, after));
        }
        Map<String, AttributeValue> b = entry(index, tableKeys, before);
        Map<String, AttributeValue> a = entry(index, tableKeys, after);
        return a.equals(b) ? 0 : CapacityRules.writeUnits(Math.max(ItemSize.of(a), ItemSize.of(b)));
    }

    private static long entrySize(Index index, List<String> tableKeys, Map<String, AttributeValue> item) {
        return ItemSize.of(entry(index, tableKeys, item));
    }

    private static Map<String, AttributeValue> entry(Index index, List<String> tableKeys, Map<String, AttributeValue> item) {
        if (index.projected() == null) {
            return item;
        }
        Map<String, AttributeValue> entry = new HashMap<>();
        for (String name : tableKeys) {
            entry.put(name, item.get(name));
        }
        for (String name : index.keys()) {
            entry.put(name, item.get(name));
        }
        for (String name : index.projected()) {
            if (item.containsKey(name)) {
                entry.put(name, item.get(name));
            }
        }
        return entry;
    }

    private List<Index> indexes(String table) {
        return indexSchemas.computeIfAbsent(table, t -> {
            var description = shadow.describeTable(b -> b.tableName(t)).table();
            if (!description.hasGlobalSecondaryIndexes()) {
                return List.of();
            }
            return description.globalSecondaryIndexes().stream()
                    .map(g -> new Index(g.indexName(),
                            g.keySchema().stream().map(KeySchemaElement::attributeName).toList(),
                            switch (g.projection().projectionType()) {
                                case ALL -> null;
                                case KEYS_ONLY -> List.<String>of();
                                default -> g.projection().hasNonKeyAttributes() ? g.projection().nonKeyAttributes() : List.<String>of();
                            }))
                    .toList();
        });
    }

    /** Asks DynamoDB for its consumed-capacity figure on every call (changes no cost), to cross-check. */
    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (!imaging) {
            return context.request();
        }
        SdkRequest r = context.request();
        if (r instanceof PutItemRequest p && p.returnConsumedCapacity() == null) {
            return p.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        } else if (r instanceof UpdateItemRequest u && u.returnConsumedCapacity() == null) {
            return u.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        } else if (r instanceof DeleteItemRequest d && d.returnConsumedCapacity() == null) {
            return d.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        } else if (r instanceof GetItemRequest g && g.returnConsumedCapacity() == null) {
            return g.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        } else if (r instanceof BatchGetItemRequest b && b.returnConsumedCapacity() == null) {
            return b.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        } else if (r instanceof TransactWriteItemsRequest t && t.returnConsumedCapacity() == null) {
            return t.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        return r;
    }

    private static String reasons(TransactionCanceledException e) {
        StringBuilder s = new StringBuilder();
        e.cancellationReasons().forEach(r -> s.append(r.code()).append(','));
        return s.toString();
    }

    private synchronized void record(Call call) {
        calls.add(call);
    }

    private List<Touch> afterImages(ExecutionAttributes attributes) {
        List<Touch> before = attributes.getAttribute(BEFORE);
        List<Touch> after = new ArrayList<>();
        if (before == null) {
            return after;
        }
        for (Touch t : before) {
            Map<String, AttributeValue> item = read(t.table(), t.key());
            after.add(new Touch(t.action(), t.table(), t.key(), t.before(), item == null ? -1 : ItemSize.of(item),
                    t.beforeItem(), item));
        }
        return after;
    }

    private Touch image(String action, String table, Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = read(table, key);
        return new Touch(action, table, key, item == null ? -1 : ItemSize.of(item), -1, item, null);
    }

    private Map<String, AttributeValue> read(String table, Map<String, AttributeValue> key) {
        GetItemResponse r = shadow.getItem(b -> b.tableName(table).key(key).consistentRead(true));
        return r.hasItem() ? r.item() : null;
    }

    private Map<String, AttributeValue> keyOf(String table, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new HashMap<>();
        for (String name : keySchema(table)) {
            key.put(name, item.get(name));
        }
        return key;
    }

    private List<String> keySchema(String table) {
        return keySchemas.computeIfAbsent(table, t -> shadow.describeTable(b -> b.tableName(t)).table().keySchema()
                .stream().map(KeySchemaElement::attributeName).toList());
    }

    private static boolean sameKey(List<String> schema, Map<String, AttributeValue> key, Map<String, AttributeValue> item) {
        for (String name : schema) {
            if (!key.get(name).equals(item.get(name))) {
                return false;
            }
        }
        return true;
    }

    private static String operation(SdkRequest request) {
        String name = request.getClass().getSimpleName();
        return name.endsWith("Request") ? name.substring(0, name.length() - "Request".length()) : name;
    }

    private static Double reported(SdkResponse response) {
        if (response instanceof PutItemResponse r) {
            return units(r.consumedCapacity());
        } else if (response instanceof UpdateItemResponse r) {
            return units(r.consumedCapacity());
        } else if (response instanceof DeleteItemResponse r) {
            return units(r.consumedCapacity());
        } else if (response instanceof GetItemResponse r) {
            return units(r.consumedCapacity());
        } else if (response instanceof BatchGetItemResponse r) {
            return r.hasConsumedCapacity() ? sum(r.consumedCapacity()) : null;
        } else if (response instanceof TransactWriteItemsResponse r) {
            return r.hasConsumedCapacity() ? sum(r.consumedCapacity()) : null;
        }
        return null;
    }

    private static Double units(ConsumedCapacity c) {
        return c == null ? null : c.capacityUnits();
    }

    private static Double sum(List<ConsumedCapacity> list) {
        double total = 0;
        for (ConsumedCapacity c : list) {
            total += c.capacityUnits() == null ? 0 : c.capacityUnits();
        }
        return total;
    }
}
