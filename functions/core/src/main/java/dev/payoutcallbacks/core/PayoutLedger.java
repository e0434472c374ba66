package dev.payoutcallbacks.core;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Applies canonical outcomes to the payouts table, exactly once.
 *
 * <p>One read (state + this outcome's dedup marker, strongly consistent), a pure decision, then ONE
 * TransactWriteItems holding the dedup marker, the state change and the history entry. The marker
 * therefore never exists without its effect. The state action is conditioned on the version read, so a
 * concurrent writer cancels the transaction and we re-read and decide again (bounded, jittered).
 */
public final class PayoutLedger {

    static final String PK = "pk";
    static final String SK = "sk";
    static final String STATE_SK = "STATE";
    static final String HISTORY_PREFIX = "HISTORY#";
    static final String DEDUP_PREFIX = "DEDUP#";
    static final String TTL_ATTRIBUTE = "expiresAt";

    /** The sparse index of payouts (and batch notices) waiting for the reconciler. */
    public static final String OPEN_PAYOUTS_INDEX = "OpenPayouts";

    private final DynamoDbClient db;
    private final String table;
    private final Duration dedupRetention;
    private final int maxAttempts;
    private final Clock clock;
    private final StuckThresholds stuckAfter;

    public PayoutLedger(DynamoDbClient db, String table, Duration dedupRetention, int maxAttempts, Clock clock,
                        StuckThresholds stuckAfter) {
        this.db = db;
        this.table = table;
        this.dedupRetention = dedupRetention;
        this.maxAttempts = maxAttempts;
        this.clock = clock;
        this.stuckAfter = stuckAfter;
    }

    public PayoutLedger(DynamoDbClient db, String table, Duration dedupRetention, int maxAttempts, Clock clock) {
        this(db, table, dedupRetention, maxAttempts, clock, StuckThresholds.defaults());
    }

    public PayoutLedger(DynamoDbClient db, String table) {
        this(db, table, Duration.ofDays(7), 8, Clock.systemUTC());
    }

    /** The ledger a function's environment describes: TABLE_NAME, DEDUP_RETENTION_DAYS, APPLY_MAX_ATTEMPTS, STUCK_AFTER_MINUTES. */
    public static PayoutLedger fromEnvironment(FunctionEnvironment env, Clock clock) {
        return new PayoutLedger(DynamoClients.shared(env), env.require("TABLE_NAME"),
                env.daysOrDefault("DEDUP_RETENTION_DAYS", 7), env.intOrDefault("APPLY_MAX_ATTEMPTS", 8), clock,
                StuckThresholds.parse(env.get("STUCK_AFTER_MINUTES")));
    }

    public Clock clock() {
        return clock;
    }

    DynamoDbClient db() {
        return db;
    }

    /** When an open payout whose last news was at {@code since} becomes due for the reconciler. */
    Instant dueAfter(PayoutState state, Instant since) {
        return since.plus(stuckAfter.forProvider(state.provider()));
    }

    public String table() {
        return table;
    }

    static String payoutKey(String reference) {
        return "PAYOUT#" + reference;
    }

    /** Applies one outcome. Throws SDK exceptions for DynamoDB failures and {@link ApplyContention} past the bound. */
    public Applied apply(PayoutOutcome outcome) {
        String pk = payoutKey(outcome.payoutReference());
        String dedupSk = dedupSortKey(outcome.dedupKey());
        double readUnits = 0;
        double writeUnits = 0;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            BatchGetItemResponse read = db.batchGetItem(b -> b
                    .requestItems(Map.of(table, KeysAndAttributes.builder()
                            .consistentRead(true)
                            .keys(key(pk, STATE_SK), key(pk, dedupSk))
                            .build()))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            readUnits += units(read.consumedCapacity());
            if (read.hasUnprocessedKeys() && !read.unprocessedKeys().isEmpty()) {
                backOff(attempt); // throttled: read again
                continue;
            }
            Map<String, AttributeValue> stateItem = null;
            Map<String, AttributeValue> dedupItem = null;
            for (Map<String, AttributeValue> item : read.responses().getOrDefault(table, List.of())) {
                if (STATE_SK.equals(item.get(SK).s())) {
                    stateItem = item;
                } else {
                    dedupItem = item;
                }
            }
            PayoutState current = stateItem == null
                    ? PayoutState.none(outcome.payoutReference())
                    : PayoutItems.state(stateItem);
            if (dedupItem != null) {
                return new Applied(ApplyResult.DUPLICATE, current, attempt, readUnits, writeUnits, null);
            }
            PayoutDecision decision = PayoutDecision.decide(current, outcome);
            boolean stored = stateItem != null;
            try {
                TransactWriteItemsResponse written = db.transactWriteItems(b -> b
                        .transactItems(writes(outcome, pk, dedupSk, stored, current, decision))
                        // One token per attempt: the SDK's own retry of a write whose answer was lost is
                        // answered from DynamoDB's idempotency record (APPLIED, not a false DUPLICATE), while
                        // another delivery of the same outcome still meets the dedup marker's condition.
                        .clientRequestToken(UUID.randomUUID().toString())
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                writeUnits += units(written.consumedCapacity());
                return new Applied(decision.result(), decision.next(), attempt, readUnits, writeUnits, decision.anomaly());
            } catch (TransactionCanceledException cancelled) {
                List<CancellationReason> reasons = cancelled.cancellationReasons();
                if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                    // Another delivery of this same outcome won the race.
                    continue; // the re-read answers DUPLICATE with the state it produced
                }
                backOff(attempt); // version moved or transaction conflict: decide again on fresh state
            } catch (IdempotentParameterMismatchException sameTokenOtherWrite) {
                backOff(attempt); // another delivery used this token first; the re-read settles it
            }
        }
        throw new ApplyContention("payout " + outcome.payoutReference() + " still changing after "
                + maxAttempts + " attempts");
    }

    private List<TransactWriteItem> writes(PayoutOutcome o, String pk, String dedupSk, boolean stored,
                                           PayoutState current, PayoutDecision d) {
        Instant now = clock.instant();
        List<TransactWriteItem> items = new ArrayList<>(3);

        Map<String, AttributeValue> marker = new HashMap<>();
        marker.put(PK, s(pk));
        marker.put(SK, s(dedupSk));
        marker.put("result", s(d.result().name()));
        marker.put("dedupKey", s(o.dedupKey()));
        marker.put("receivedAt", s(Timestamps.sortable(o.receivedAt())));
        marker.put(TTL_ATTRIBUTE, n(now.plus(dedupRetention).getEpochSecond()));
        items.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(marker)
                .conditionExpression("attribute_not_exists(pk)").build()).build());

        String versionGuard = stored ? "revision = :v" : "attribute_not_exists(pk)";
        Map<String, AttributeValue> guardValues = stored ? Map.of(":v", n(current.revision())) : Map.of();
        Instant checkAfter = dueAfter(d.next(), d.next().lastOutcomeAt() != null ? d.next().lastOutcomeAt() : now);
        switch (d.result()) {
            case APPLIED -> items.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
                    .item(PayoutItems.stateItem(pk, d.next(), now, checkAfter))
                    .conditionExpression(versionGuard)
                    .expressionAttributeValues(guardValues.isEmpty() ? null : guardValues)
                    .build()).build());
            case CONFLICT -> {
                if (stored) {
                    // Flag, do not bump the version: the state itself did not change.
                    items.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
                            .key(key(pk, STATE_SK))
                            .updateExpression("SET reviewReason = if_not_exists(reviewReason, :r), updatedAt = :u,"
                                    + " reviewQueue = :q, flaggedAt = if_not_exists(flaggedAt, :u)"
                                    + " ADD anomalies :one, revision :one")
                            .conditionExpression(versionGuard)
                            .expressionAttributeValues(Map.of(":v", n(current.revision()), ":r", s(d.anomaly()),
                                    ":u", s(Timestamps.sortable(now)), ":one", n(1), ":q", s(PayoutItems.REVIEW)))
                            .build()).build());
                } else {
                    items.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
                            .item(PayoutItems.stateItem(pk, d.next(), now, checkAfter))
                            .conditionExpression(versionGuard).build()).build());
                }
            }
            case STALE -> items.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
                    .tableName(table).key(key(pk, STATE_SK))
                    .conditionExpression(versionGuard)
                    .expressionAttributeValues(guardValues.isEmpty() ? null : guardValues)
                    .build()).build());
            default -> throw new IllegalStateException("no write for " + d.result());
        }

        items.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
                .item(PayoutItems.historyItem(pk, historySortKey(o), o, d))
                .build()).build());
        return items;
    }

    /**
     * The marker's sort key: the dedup key itself while it is short (readable in a scan), its SHA-256 when
     * long, so no identifier a provider sends can push the key past DynamoDB's 1 KB sort-key limit.
     */
    static String dedupSortKey(String dedupKey) {
        if (dedupKey.getBytes(StandardCharsets.UTF_8).length <= 200) {
            return DEDUP_PREFIX + dedupKey;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(dedupKey.getBytes(StandardCharsets.UTF_8));
            return DEDUP_PREFIX + "sha256:" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String historySortKey(PayoutOutcome o) {
        String digest = UUID.nameUUIDFromBytes(o.dedupKey().getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
        return HISTORY_PREFIX + Timestamps.sortable(o.receivedAt()) + "#" + digest;
    }

    /** The payout's state and its history, oldest first; empty when never seen. */
    public Optional<PayoutRecord> read(String reference) {
        String pk = payoutKey(reference);
        PayoutState state = null;
        List<Map<String, AttributeValue>> history = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            Map<String, AttributeValue> from = startKey;
            QueryResponse page = db.query(QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(pk)))
                    .exclusiveStartKey(from)
                    .build());
            for (Map<String, AttributeValue> item : page.items()) {
                String sk = item.get(SK).s();
                if (STATE_SK.equals(sk)) {
                    state = PayoutItems.state(item);
                } else if (sk.startsWith(HISTORY_PREFIX)) {
                    history.add(item);
                }
            }
            startKey = PayoutItems.nextPage(page);
        } while (startKey != null);
        if (state == null) {
            return Optional.empty();
        }
        return Optional.of(new PayoutRecord(state, history.stream().map(PayoutItems::historyEntry).toList()));
    }

    /**
     * Records a provider's batch notice (totals only), once per (provider, batch, event), marked as
     * awaiting an item fetch by the reconciler. Returns true when newly recorded, false for a duplicate.
     */
    public boolean recordBatchNotice(BatchNotice notice) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s("BATCH#" + notice.provider() + "#" + notice.batchId()));
        item.put(SK, s("NOTICE#" + notice.event()));
        item.put("provider", s(notice.provider()));
        item.put("batchId", s(notice.batchId()));
        item.put("event", s(notice.event()));
        item.put("totals", s(notice.totalsJson()));
        item.put("receivedAt", s(Timestamps.sortable(notice.receivedAt())));
        item.put("awaitingItemFetch", AttributeValue.fromBool(true));
        // Due for the reconciler at once: only it can fetch the items.
        item.put(PayoutItems.OPEN_PROVIDER, s(notice.provider()));
        item.put(PayoutItems.CHECK_AFTER, s(Timestamps.sortable(notice.receivedAt())));
        if (notice.rawPayload() != null) {
            item.put("rawPayload", s(notice.rawPayload()));
        }
        try {
            db.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException duplicate) {
            return false;
        }
    }

    private static void backOff(int attempt) {
        long capMillis = Math.min(200, 5L << Math.min(attempt, 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, capMillis + 1)); // full jitter
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplyContention("interrupted while backing off");
        }
    }

    private static double units(ConsumedCapacity capacity) {
        return capacity == null || capacity.capacityUnits() == null ? 0 : capacity.capacityUnits();
    }

    private static double units(List<ConsumedCapacity> capacities) {
        double total = 0;
        if (capacities != null) {
            for (ConsumedCapacity c : capacities) {
                total += units(c);
            }
        }
        return total;
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, s(pk), SK, s(sk));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static BigDecimal decimal(String value) {
        return value == null ? BigDecimal.ZERO : new BigDecimal(value);
    }
}
