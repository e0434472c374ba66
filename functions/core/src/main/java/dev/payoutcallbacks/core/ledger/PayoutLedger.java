package dev.payoutcallbacks.core.ledger;

import static dev.payoutcallbacks.core.ledger.PayoutItems.ALIASES;
import static dev.payoutcallbacks.core.ledger.PayoutItems.ALIAS_SK;
import static dev.payoutcallbacks.core.ledger.PayoutItems.ANOMALY;
import static dev.payoutcallbacks.core.ledger.PayoutItems.HISTORY_PREFIX;
import static dev.payoutcallbacks.core.ledger.PayoutItems.LAST_OUTCOME;
import static dev.payoutcallbacks.core.ledger.PayoutItems.LAST_WRITE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.PK;
import static dev.payoutcallbacks.core.ledger.PayoutItems.RECORDED;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REFERENCE;
import static dev.payoutcallbacks.core.ledger.PayoutItems.RESULT;
import static dev.payoutcallbacks.core.ledger.PayoutItems.REVISION;
import static dev.payoutcallbacks.core.ledger.PayoutItems.SEEN;
import static dev.payoutcallbacks.core.ledger.PayoutItems.SK;
import static dev.payoutcallbacks.core.ledger.PayoutItems.STATE_SK;
import static dev.payoutcallbacks.core.ledger.PayoutItems.aliases;
import static dev.payoutcallbacks.core.ledger.PayoutItems.historySortKey;
import static dev.payoutcallbacks.core.ledger.PayoutItems.key;
import static dev.payoutcallbacks.core.ledger.PayoutItems.n;
import static dev.payoutcallbacks.core.ledger.PayoutItems.payoutKey;
import static dev.payoutcallbacks.core.ledger.PayoutItems.s;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.payout.Applied;
import dev.payoutcallbacks.core.payout.ApplyContention;
import dev.payoutcallbacks.core.payout.ApplyResult;
import dev.payoutcallbacks.core.payout.BatchNotice;
import dev.payoutcallbacks.core.payout.PayoutDecision;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutRecord;
import dev.payoutcallbacks.core.payout.PayoutState;
import dev.payoutcallbacks.core.payout.UnknownPayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Applies canonical outcomes to the payouts table, exactly once.
 *
 * <p>Everything an outcome does is ONE write to the payout's state item: the effect, the outcome's dedup
 * key (added to the item's {@code seen} set, so no key exists without its effect) and the outcome itself
 * as {@code lastOutcome}, which the table's stream turns into the payout's HISTORY# item (the change
 * publisher writes it). See {@link #apply} for the two ways that write is made.
 */
public final class PayoutLedger {
    private final PayoutTable table;
    private final Clock clock;
    private final LedgerSettings settings;
    private final Supplier<String> attemptIds;

    /**
     * Attempt ids and back-off jitter must differ between execution environments restored from one SnapStart
     * snapshot: a {@code ThreadLocalRandom} or {@code Random} seeded before the snapshot replays the same
     * sequence in every restored copy. {@code SecureRandom} (NativePRNG on Linux, reading the kernel's pool
     * on every call) is what AWS's SnapStart uniqueness guide names as restore-safe.
     */
    private static final SecureRandom RANDOM = new SecureRandom();

    public PayoutLedger(PayoutTable table, Clock clock, LedgerSettings settings) {
        this(table, clock, settings, PayoutLedger::randomAttemptId);
    }

    private PayoutLedger(PayoutTable table, Clock clock, LedgerSettings settings, Supplier<String> attemptIds) {
        this.table = table;
        this.clock = clock;
        this.settings = settings;
        this.attemptIds = attemptIds;
    }

    /** The same ledger with another source of attempt ids (tests: two writers that draw the same ids). */
    PayoutLedger withAttemptIds(Supplier<String> ids) {
        return new PayoutLedger(table, clock, settings, ids);
    }

    /** The ledger a function's environment describes ({@link PayoutTable}, {@link LedgerSettings}). */
    public static PayoutLedger fromEnvironment(FunctionEnvironment env, Clock clock) {
        return new PayoutLedger(PayoutTable.fromEnvironment(env), clock, LedgerSettings.fromEnvironment(env));
    }

    public Clock clock() {
        return clock;
    }

    public PayoutTable table() {
        return table;
    }

    LedgerSettings settings() {
        return settings;
    }

    /** When an open payout whose last news was at {@code since} becomes due for the reconciler. */
    Instant dueAfter(PayoutState state, Instant since) {
        return since.plus(settings.stuckAfter().forProvider(state.provider()));
    }

    /**
     * Applies one outcome. Throws SDK exceptions for DynamoDB failures and {@link ApplyContention} past the bound.
     *
     * <p>First {@link OutcomeUpdate}: one conditional UpdateItem that applies the outcome when the stored
     * state lets it (the usual case: one round trip, no read). When its condition fails DynamoDB returns
     * the stored item; the outcome is then a duplicate (its key is in {@code seen}) or is decided in Java
     * and written with a PutItem guarded by the revision it was decided on. A guard that fails returns
     * the newer item, so the loop decides again without a read.
     */
    public Applied apply(PayoutOutcome outcome) {
        if (outcome.payoutReference() == null) {
            outcome = outcome.withReference(resolve(outcome));
        }
        String pk = payoutKey(outcome.payoutReference());
        SdkBytes seenKey = seenKey(outcome.dedupKey());
        // A refund or reversal named by the provider's id is recorded with its amount too, so the same id
        // again with another amount is told apart from its redelivery.
        String contentKey = outcome.adjustmentContentKey();
        List<SdkBytes> newsKeys = contentKey == null ? List.of(seenKey) : List.of(seenKey, seenKey(contentKey));
        List<String> newsRecordedAs = contentKey == null ? null : List.of(outcome.dedupKey(), contentKey);
        String historySk = historySortKey(outcome);
        String attemptId = attemptIds.get();
        double readUnits = 0;
        double writeUnits = 0;
        Map<String, AttributeValue> stored;
        Optional<UpdateItemRequest> direct = OutcomeUpdate.request(table.name(), pk, outcome, historySk, newsKeys,
                newsRecordedAs, attemptId, clock.instant(), settings.stuckAfter());
        if (direct.isPresent()) {
            try {
                UpdateItemResponse applied = table.client().updateItem(direct.get().toBuilder()
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
                writeUnits += units(applied.consumedCapacity());
                writeUnits += keepAliases(pk, outcome, applied.attributes());
                return new Applied(ApplyResult.APPLIED, PayoutItems.state(applied.attributes()), 1, readUnits,
                        writeUnits, null);
            } catch (ConditionalCheckFailedException notThisWay) {
                stored = notThisWay.hasItem() ? notThisWay.item() : Map.of();
            }
        } else {
            GetItemResponse read = table.client().getItem(b -> b.tableName(table.name()).key(key(pk, STATE_SK))
                    .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            readUnits += units(read.consumedCapacity());
            stored = read.hasItem() ? read.item() : Map.of();
        }
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            if (isOwnLostWrite(stored, attemptId, historySk)) {
                // Our own write landed and its answer was lost; the SDK's retry then met its own effect.
                Map<String, AttributeValue> last = stored.get(LAST_OUTCOME).m();
                return new Applied(ApplyResult.valueOf(PayoutItems.str(last, RESULT)), PayoutItems.state(stored),
                        attempt, readUnits, writeUnits, PayoutItems.str(last, ANOMALY));
            }
            boolean exists = !stored.isEmpty();
            PayoutState current = exists ? PayoutItems.state(stored) : PayoutState.none(outcome.payoutReference());
            List<SdkBytes> seen = seen(stored);
            // The same news is a DUPLICATE only when it says the same thing: otherwise it is decided (and
            // is then a disagreement, a CONFLICT), never swallowed by its dedup key.
            boolean newsSeen = seen.contains(seenKey);
            boolean otherAdjustment = newsSeen && contentKey != null && !seen.contains(newsKeys.get(1));
            String disagreementKey = PayoutDecision.disagreementKey(current, outcome, otherAdjustment);
            if (disagreementKey != null && seen.contains(seenKey(disagreementKey))) {
                return new Applied(ApplyResult.DUPLICATE, current, attempt, readUnits, writeUnits, null); // the same disagreement again
            }
            if (newsSeen && (disagreementKey == null || seen.contains(seenKey(outcome.statementKey())))) {
                // The same news saying the same thing (or this very message, recorded before the payout knew
                // what it now disagrees with): one record.
                return new Applied(ApplyResult.DUPLICATE, current, attempt, readUnits, writeUnits, null);
            }
            PayoutDecision decision = PayoutDecision.decide(current, outcome, otherAdjustment);
            List<SdkBytes> keys = decision.disagrees() ? List.of(seenKey(disagreementKey)) : newsKeys;
            List<String> recordedAs = decision.disagrees() ? List.of(disagreementKey) : newsRecordedAs;
            if (!decision.disagrees() && outcome.statesWhatIsUnknownTo(decision.next())) {
                // Recorded without being compared on everything it says: what it said is kept with its news.
                keys = append(keys, seenKey(outcome.statementKey()));
                recordedAs = append(recordedAs == null ? List.of(outcome.dedupKey()) : recordedAs,
                        outcome.statementKey());
            }
            boolean recordOnly = exists && (decision.result() == ApplyResult.STALE || decision.result() == ApplyResult.CONFLICT);
            try {
                Map<String, AttributeValue> after;
                if (recordOnly) {
                    // Nothing the state was decided on changes: recorded without the revision guard (no race).
                    UpdateItemResponse recorded = table.client().updateItem(OutcomeUpdate.recording(table.name(), pk,
                            current, decision, outcome, historySk, keys, recordedAs, attemptId, clock.instant())
                            .toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
                    writeUnits += units(recorded.consumedCapacity());
                    after = recorded.attributes();
                } else {
                    Map<String, AttributeValue> item = recordingItem(pk, stored, outcome, historySk, keys, recordedAs,
                            attemptId, decision);
                    PutItemResponse written = table.client().putItem(stateWrite(item, exists, current.revision())
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
                    writeUnits += units(written.consumedCapacity());
                    after = item;
                }
                if (!decision.disagrees()) {
                    writeUnits += keepAliases(pk, outcome, after);
                }
                PayoutState state = recordOnly ? PayoutItems.state(after) : decision.next();
                return new Applied(decision.result(), state, attempt, readUnits, writeUnits, decision.anomaly());
            } catch (ConditionalCheckFailedException moved) {
                stored = moved.hasItem() ? moved.item() : Map.of();
                if (!recordOnly) {
                    backOff(attempt); // another writer got there first: decide again on what it wrote
                }
            }
        }
        throw new ApplyContention("payout " + outcome.payoutReference() + " still changing after "
                + settings.maxAttempts() + " attempts");
    }

    private static <T> List<T> append(List<T> list, T element) {
        List<T> longer = new ArrayList<>(list);
        longer.add(element);
        return longer;
    }

    /**
     * Why DynamoDB refused a write for good (a {@code ValidationException}: a value past a size limit), or null when
     * the failure is transient (throttling, 5xx, the network) and a retry may succeed.
     */
    public static String refusedForGood(SdkException failure) {
        if (failure instanceof DynamoDbException refused && refused.statusCode() == 400
                && refused.awsErrorDetails() != null
                && "ValidationException".equals(refused.awsErrorDetails().errorCode())) {
            return refused.awsErrorDetails().errorMessage();
        }
        return null;
    }

    /** The reference priming reads and writes against: no payout is ever known by it. */
    public static final String NEVER_A_PAYOUT = "__priming__never_a_payout__";

    /** The read API's Query of a payout that never exists (SnapStart priming): reads nothing. */
    public void primeRead() {
        read(NEVER_A_PAYOUT);
    }

    /** A strongly consistent GetItem of a state item that never exists (SnapStart priming): reads nothing. */
    public void primeGet() {
        table.client().getItem(b -> b.tableName(table.name()).key(key(payoutKey(NEVER_A_PAYOUT), STATE_SK))
                .consistentRead(true));
    }

    /**
     * The payout an outcome without a reference names, by its order key or its provider payout id.
     *
     * @throws UnknownPayout when no payout is known by either: never a new record
     */
    private String resolve(PayoutOutcome o) {
        for (String alias : aliases(o.orderKey(), o.provider(), o.providerPayoutId(), o.identifiedByProviderPayoutId())) {
            GetItemResponse found = table.client().getItem(b -> b.tableName(table.name()).key(key(alias, ALIAS_SK))
                    .consistentRead(true));
            if (found.hasItem() && found.item().get(REFERENCE) != null) {
                return found.item().get(REFERENCE).s();
            }
        }
        throw new UnknownPayout(o.orderKey() != null
                ? "no payout is known by this order key; send payout_reference, or register the payout with its order_key first"
                : "no payout is known by this provider payout id and the callback names no merchant reference");
    }

    /**
     * Writes the alias items (order key, provider payout id → reference) a recorded outcome establishes and
     * the payout item does not list yet: the first time a payout is seen with both names. A name already
     * taken by another payout keeps its first owner. Returns the write units spent (0 almost always).
     */
    private double keepAliases(String pk, PayoutOutcome o, Map<String, AttributeValue> payoutItem) {
        List<String> wanted = aliases(o.orderKey(), o.provider(), o.providerPayoutId(), o.identifiedByProviderPayoutId());
        return writeAliases(pk, o.payoutReference(), wanted, payoutItem);
    }

    double writeAliases(String pk, String reference, List<String> wanted, Map<String, AttributeValue> payoutItem) {
        List<String> missing = missingAliases(wanted, payoutItem);
        if (missing.isEmpty()) {
            return 0;
        }
        double units = putAliasItems(reference, missing);
        try {
            Expressions listed = new Expressions().add(ALIASES, AttributeValue.fromSs(missing));
            units += units(table.client().updateItem(listed.condition(listed.exists(PK))
                    .updateItem(table.name(), key(pk, STATE_SK))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()).consumedCapacity());
        } catch (ConditionalCheckFailedException gone) {
            // cannot happen for a recorded payout; the aliases stand on their own
        }
        return units;
    }

    /** For a whole-item write (registration): writes the missing alias items and lists them on the item. */
    void writeAliasItems(String reference, List<String> wanted, Map<String, AttributeValue> payoutItem) {
        List<String> missing = missingAliases(wanted, payoutItem);
        if (missing.isEmpty()) {
            return;
        }
        putAliasItems(reference, missing);
        Set<String> all = new HashSet<>(missing);
        AttributeValue listed = payoutItem.get(ALIASES);
        if (listed != null && listed.hasSs()) {
            all.addAll(listed.ss());
        }
        payoutItem.put(ALIASES, AttributeValue.fromSs(new ArrayList<>(all)));
    }

    private static List<String> missingAliases(List<String> wanted, Map<String, AttributeValue> payoutItem) {
        AttributeValue listed = payoutItem == null ? null : payoutItem.get(ALIASES);
        List<String> missing = new ArrayList<>();
        for (String alias : wanted) {
            if (listed == null || !listed.hasSs() || !listed.ss().contains(alias)) {
                missing.add(alias);
            }
        }
        return missing;
    }

    private double putAliasItems(String reference, List<String> aliases) {
        double units = 0;
        for (String alias : aliases) {
            Map<String, AttributeValue> item = new HashMap<>(key(alias, ALIAS_SK));
            item.put(REFERENCE, s(reference));
            Expressions owner = new Expressions();
            owner.condition(owner.notExists(PK) + " OR " + owner.equal(REFERENCE, s(reference)));
            try {
                units += units(table.client().putItem(owner.putItem(table.name(), item)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()).consumedCapacity());
            } catch (ConditionalCheckFailedException takenByAnother) {
                // first owner wins; the payout is still found by its reference
            }
        }
        return units;
    }

    /**
     * Sends the one-write request of a sample outcome for a key that never exists, with a condition that
     * therefore fails: loads and warms the write path (SnapStart priming), writes nothing.
     */
    public void primeWritePath(PayoutOutcome sample) {
        OutcomeUpdate.priming(table.name(), payoutKey(NEVER_A_PAYOUT), sample, historySortKey(sample),
                seenKey(sample.dedupKey()), clock.instant(), settings.stuckAfter()).ifPresent(update -> {
                    try {
                        table.client().updateItem(update);
                    } catch (ConditionalCheckFailedException expected) {
                        // the key does not exist: nothing written
                    }
                });
    }

    /**
     * The whole state item after a decision taken in Java: the new state, this outcome added to
     * {@code seen}, and the outcome as lastOutcome (the stream writes it to history). APPLIED, STALE and
     * CONFLICT are all recorded, so a redelivery of any of them is a DUPLICATE.
     */
    private Map<String, AttributeValue> recordingItem(String pk, Map<String, AttributeValue> stored, PayoutOutcome o,
                                                      String historySk, List<SdkBytes> keys, List<String> recordedAs,
                                                      String attemptId, PayoutDecision d) {
        Instant now = clock.instant();
        PayoutState next = d.result() == ApplyResult.STALE ? d.next().touched() : d.next();
        Instant checkAfter = dueAfter(next, next.lastOutcomeAt() != null ? next.lastOutcomeAt() : now);
        Map<String, AttributeValue> item = PayoutItems.stateItem(pk, next, now, checkAfter);
        PayoutItems.carryUnmodelled(stored, item);
        List<SdkBytes> seen = new ArrayList<>(seen(stored));
        seen.addAll(keys);
        item.put(SEEN, AttributeValue.fromBs(seen));
        item.put(RECORDED, n(PayoutItems.num(stored, RECORDED) + 1));
        item.put(LAST_OUTCOME, AttributeValue.fromM(PayoutItems.outcomeEntry(historySk, o, d.result(),
                d.next().status(), d.anomaly(), recordedAs)));
        item.put(LAST_WRITE, s(attemptId));
        return item;
    }

    /** 96 random bits, 16 characters: stored on every write, so kept short (the state item's size is its cost). */
    private static String randomAttemptId() {
        byte[] bits = new byte[12];
        RANDOM.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    /**
     * The stored item is the effect of this very attempt only when it carries our attempt id AND records this
     * outcome as its last (its history key: the outcome's receive time and dedup key). The attempt id alone is not
     * proof: should two writers ever draw the same id, taking the other's item for our lost answer would answer
     * 200 for an outcome never recorded. (Not the seen set: a disagreement is recorded under its own key.)
     */
    private static boolean isOwnLostWrite(Map<String, AttributeValue> stored, String attemptId, String historySk) {
        if (!attemptId.equals(PayoutItems.str(stored, LAST_WRITE))) {
            return false;
        }
        AttributeValue last = stored.get(LAST_OUTCOME);
        return last != null && last.hasM() && historySk.equals(PayoutItems.str(last.m(), SK));
    }

    private static List<SdkBytes> seen(Map<String, AttributeValue> stored) {
        AttributeValue seen = stored.get(SEEN);
        return seen == null || !seen.hasBs() ? List.of() : seen.bs();
    }

    /**
     * What {@code seen} holds for a dedup key: the first 16 bytes of its SHA-256. Fixed size whatever a
     * provider sends (a payout's state item stays small), and 2^-64 collision odds even across billions.
     */
    public static SdkBytes seenKey(String dedupKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(dedupKey.getBytes(StandardCharsets.UTF_8));
            return SdkBytes.fromByteArray(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The payout's state and its history, oldest first; empty when never seen. */
    public Optional<PayoutRecord> read(String reference) {
        String pk = payoutKey(reference);
        PayoutState state = null;
        Map<String, AttributeValue> stateItem = null;
        List<Map<String, AttributeValue>> history = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            Expressions payout = new Expressions();
            QueryResponse page = table.client().query(payout.condition(payout.equal(PK, s(pk))).query(table.name())
                    .consistentRead(true).exclusiveStartKey(startKey).build());
            for (Map<String, AttributeValue> item : page.items()) {
                String sk = item.get(SK).s();
                if (STATE_SK.equals(sk)) {
                    state = PayoutItems.state(item);
                    stateItem = item;
                } else if (sk.startsWith(HISTORY_PREFIX)) {
                    history.add(item);
                }
            }
            startKey = PayoutItems.nextPage(page);
        } while (startKey != null);
        if (state == null) {
            return Optional.empty();
        }
        // The newest outcome is on the state item at once; its HISTORY# item follows from the stream.
        Set<String> written = new HashSet<>();
        history.forEach(h -> written.add(h.get(SK).s()));
        PayoutItems.historyItem(stateItem).filter(h -> !written.contains(h.get(SK).s())).ifPresent(history::add);
        history.sort(Comparator.comparing(h -> h.get(SK).s()));
        return Optional.of(new PayoutRecord(state, history.stream().map(PayoutItems::historyEntry).toList()));
    }

    /**
     * Records a provider's batch notice (totals only), once per (provider, batch, event), marked as
     * awaiting an item fetch by the reconciler. Returns true when newly recorded, false for a duplicate.
     */
    public boolean recordBatchNotice(BatchNotice notice) {
        Expressions once = new Expressions();
        try {
            table.client().putItem(once.condition(once.notExists(PK))
                    .putItem(table.name(), PayoutItems.batchNoticeItem(notice)).build());
            return true;
        } catch (ConditionalCheckFailedException duplicate) {
            return false;
        }
    }

    /** A whole-item write of a payout's state, on condition that it is still the revision decided on (or absent). */
    PutItemRequest.Builder stateWrite(Map<String, AttributeValue> item, boolean exists, long revision) {
        Expressions guard = new Expressions();
        return guard.condition(exists ? guard.equal(REVISION, n(revision)) : guard.notExists(PK))
                .putItem(table.name(), item);
    }

    private static void backOff(int attempt) {
        long capMillis = Math.min(200, 5L << Math.min(attempt, 6));
        try {
            Thread.sleep(1 + Math.floorMod(RANDOM.nextLong(), capMillis)); // full jitter
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

}
