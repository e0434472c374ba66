package dev.payoutcallbacks.bench.capacity;

/**
 * AWS's documented capacity rules (Developer Guide, "DynamoDB read and write operations" and
 * "Capacity management for transactions"):
 * <ul>
 *   <li>write: 1 unit per 1 KB of item size, rounded up per item; PutItem, UpdateItem and DeleteItem count
 *       the larger of the item before and after; a failed conditional write still consumes the size of the
 *       existing item (at least 1);</li>
 *   <li>read: 1 unit per 4 KB per item, rounded up per item (BatchGetItem rounds each item separately);
 *       eventually consistent 0.5×; a read of a missing item still costs the minimum;</li>
 *   <li>transactional reads and writes: 2× (TransactWriteItems: 2 units per KB for every action,
 *       ConditionCheck included);</li>
 *   <li>each GSI the item is projected into: +1 write per KB of the projected entry.</li>
 * </ul>
 */
public final class CapacityRules {
    public static final long KB = 1024;
    public static final long READ_BLOCK = 4 * KB;

    private CapacityRules() {
    }

    /** Write units for one item of this size (the larger of before and after), standard write. */
    public static int writeUnits(long itemBytes) {
        return (int) Math.max(1, ceilDiv(itemBytes, KB));
    }

    /** Write units for one action of a TransactWriteItems. */
    public static int transactionalWriteUnits(long itemBytes) {
        return 2 * writeUnits(itemBytes);
    }

    /** Read units for one item (0 bytes: missing item, still the minimum). */
    public static double readUnits(long itemBytes, boolean stronglyConsistent) {
        double units = Math.max(1, ceilDiv(itemBytes, READ_BLOCK));
        return stronglyConsistent ? units : units / 2;
    }

    public static double transactionalReadUnits(long itemBytes) {
        return 2 * readUnits(itemBytes, true);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
