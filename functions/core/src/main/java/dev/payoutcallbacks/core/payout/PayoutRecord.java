package dev.payoutcallbacks.core.payout;

import java.util.List;

/** A payout's state and its history, oldest first. */
public record PayoutRecord(PayoutState state, List<HistoryEntry> history) {
}
