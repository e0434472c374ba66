package dev.payoutcallbacks.core.provider;

import dev.payoutcallbacks.core.payout.BatchNotice;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import java.util.List;

/** What one callback says: outcomes for individual payouts, and/or a batch notice with totals only. */
public record Translation(List<PayoutOutcome> outcomes, BatchNotice batchNotice) {

    public static Translation of(PayoutOutcome... outcomes) {
        return new Translation(List.of(outcomes), null);
    }

    public static Translation batch(BatchNotice notice) {
        return new Translation(List.of(), notice);
    }
}
