package dev.payoutcallbacks.reconciler;

import dev.payoutcallbacks.core.ledger.Cursor;
import dev.payoutcallbacks.core.ledger.OpenPayouts;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.payout.Applied;
import dev.payoutcallbacks.core.payout.ApplyResult;
import dev.payoutcallbacks.core.payout.OutcomeSource;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutState;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.PollRequest;
import dev.payoutcallbacks.core.provider.ProviderStatusApi;
import dev.payoutcallbacks.core.provider.ProviderStatusApi.PollAnswer;
import dev.payoutcallbacks.core.provider.WireText;
import dev.payoutcallbacks.reconciler.PassSummary.Counts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One reconciler pass: finds what providers never told us and asks them.
 *
 * <p><b>Finding due work.</b> Per provider, the sparse OpenPayouts index ({@link OpenPayouts#due}: open payouts
 * and batch notices whose {@code checkAfter} has passed, oldest first), never a scan, one bounded page at a time.
 * Providers take turns page by page, so one provider's backlog or slow API cannot starve the others. Before
 * each entry the remaining invocation time is checked against the safety margin; the pass stops early
 * (complete=false) and the rest is simply still due at the next pass. {@code now} is fixed at the start of the
 * pass, so whatever the pass pushes into the future is not met again in the same pass.
 *
 * <p><b>Per payout.</b> Re-read strongly consistent (the index lags): skip it if settled or if it had news within
 * its provider's threshold. Then ask the provider's status API and:
 * <ul>
 *   <li>Found: every outcome goes through the shared {@link PayoutLedger#apply} (source=poll), so dedup and the
 *       transition guards hold across webhook and poll. Still open and nothing new: an unresolved poll.</li>
 *   <li>NotFound: submit_not_received (its own dedup key; a later paid/failed still applies) only if the
 *       provider never acknowledged the payout (no status, no provider id) and NOT_FOUND_GRACE_MINUTES have
 *       passed since submission. Inside the grace period: an unresolved poll, looked at again after it.
 *       Acknowledged earlier: a contradiction, flagged for review.</li>
 *   <li>Unavailable (timeout, 5xx, refused, unreadable): an unresolved poll. Never failed, never not-received.</li>
 * </ul>
 * An unresolved poll counts an attempt and backs off ({@link ReconcilerSettings#backoff}); the
 * RECONCILER_MAX_POLLS-th one flags the payout for review instead ({@link OpenPayouts#giveUp}). A provider with
 * no status API here (Comm.Pix) has its stuck payouts flagged for review at once.
 *
 * <p><b>Batch notices</b> (Pivot bulk callbacks: totals only) are resolved into their items through the
 * provider's {@link ProviderStatusApi#batchItems}; each item is applied like a poll, then the notice leaves the
 * index. A fetch that fails is retried with the same back-off, counted by the notice's fetchAttempts.
 */
public final class Reconciler {
    static final String STAGE_NOT_FOUND = "status-api/not-found";

    private final PayoutLedger ledger;
    private final OpenPayouts open;
    private final Map<String, ProviderStatusApi> apis;
    private final ReconcilerSettings settings;
    private final Clock clock;
    private final List<String> providers;

    /**
     * @param providers every provider looked after, in pass order (the {@link ProviderRegistry}'s, configured or not)
     * @param apis      the status APIs configured here, by provider; a provider without one is reported as not
     *                  polled and its stuck payouts go to review
     */
    public Reconciler(PayoutLedger ledger, List<String> providers, Map<String, ProviderStatusApi> apis,
                      ReconcilerSettings settings, Clock clock) {
        if (!providers.containsAll(apis.keySet())) {
            throw new IllegalArgumentException("a status API for a provider not looked after: " + apis.keySet());
        }
        this.ledger = ledger;
        this.open = new OpenPayouts(ledger.table(), ledger.clock());
        this.apis = Map.copyOf(apis);
        this.settings = settings;
        this.clock = clock;
        this.providers = List.copyOf(providers);
    }

    public List<String> providers() {
        return providers;
    }

    /** Runs one pass while {@code remainingMillis} stays above the safety margin. */
    public PassSummary pass(LongSupplier remainingMillis) {
        Instant now = clock.instant();
        Counts c = new Counts();
        Map<String, Cursor> cursors = new LinkedHashMap<>();
        providers.forEach(p -> cursors.put(p, null));
        boolean complete = true;
        turns:
        while (!cursors.isEmpty()) {
            Iterator<Map.Entry<String, Cursor>> turn = cursors.entrySet().iterator();
            while (turn.hasNext()) {
                Map.Entry<String, Cursor> cursor = turn.next();
                if (outOfTime(remainingMillis)) {
                    complete = false;
                    break turns;
                }
                String provider = cursor.getKey();
                OpenPayouts.Page page;
                try {
                    page = open.due(provider, now, settings.pageSize(), cursor.getValue());
                } catch (RuntimeException queryFailed) {
                    c.errors++;
                    complete = false;
                    turn.remove(); // this provider waits for the next pass; the others go on
                    continue;
                }
                for (OpenPayouts.Due due : page.due()) {
                    if (outOfTime(remainingMillis)) {
                        complete = false;
                        break turns;
                    }
                    c.due++;
                    try {
                        if (due.batch()) {
                            batch(provider, due, c);
                        } else {
                            payout(provider, due, now, c);
                        }
                    } catch (RuntimeException ours) {
                        c.errors++; // e.g. DynamoDB trouble: nothing counted against the payout; due next pass
                    }
                }
                if (page.hasMore()) {
                    cursor.setValue(page.next());
                } else {
                    turn.remove();
                }
            }
        }
        List<String> without = providers.stream().filter(p -> !apis.containsKey(p)).toList();
        return PassSummary.of(providers, without, c, complete);
    }

    private boolean outOfTime(LongSupplier remainingMillis) {
        return remainingMillis.getAsLong() < settings.safetyMargin().toMillis();
    }

    private void payout(String provider, OpenPayouts.Due due, Instant now, Counts c) {
        Optional<PayoutState> read = due.reference() == null ? Optional.empty() : open.state(due.reference());
        if (read.isEmpty() || !read.get().open()) {
            c.skipped++; // settled since the index was written
            return;
        }
        PayoutState state = read.get();
        Duration threshold = settings.stuckAfter().forProvider(state.provider());
        Instant lastNews = state.lastOutcomeAt() != null ? state.lastOutcomeAt() : state.submittedAt();
        if (lastNews != null && lastNews.plus(threshold).isAfter(now) && state.pollAttempts() == 0) {
            c.skipped++; // fresh news the index has not caught up with
            return;
        }
        ProviderStatusApi api = apis.get(provider);
        if (api == null) {
            count(open.giveUp(state, noStatusApiReason(provider)), c);
            return;
        }
        PollAnswer answer;
        try {
            answer = api.poll(new PollRequest(state.reference(), state.providerPayoutId(), state.submittedAt()));
        } catch (RuntimeException broken) {
            answer = new PollAnswer.Unavailable(provider + ": status API error " + broken.getClass().getSimpleName());
        }
        if (answer instanceof PollAnswer.CannotPoll cannot) {
            count(open.giveUp(state, cannot.reason()), c); // nothing was asked: straight to an operator
            return;
        }
        c.polled++;
        if (answer instanceof PollAnswer.Found found) {
            found(state, found, c);
        } else if (answer instanceof PollAnswer.NotFound notFound) {
            notFound(state, notFound, now, c);
        } else {
            c.unavailable++;
            unresolved(state, ((PollAnswer.Unavailable) answer).reason(), null, c);
        }
    }

    private void found(PayoutState state, PollAnswer.Found found, Counts c) {
        List<PayoutOutcome> outcomes = found.outcomes();
        String unusable = outcomes.isEmpty() ? "an empty answer" : null;
        for (PayoutOutcome o : outcomes) {
            if (!o.payoutReference().equals(state.reference()) || o.source() != OutcomeSource.POLL) {
                unusable = "an answer about another payout or not marked source=poll";
            }
        }
        if (unusable != null) {
            c.unavailable++;
            unresolved(state, state.provider() + ": " + unusable, null, c);
            return;
        }
        boolean changed = false;
        for (PayoutOutcome o : outcomes) {
            changed |= apply(o, c) == ApplyResult.APPLIED;
        }
        PayoutState after = open.state(state.reference()).orElse(null);
        if (after != null && after.open() && !changed) {
            // The provider's word is one we already had (e.g. still processing): nothing settled.
            PayoutOutcome last = outcomes.get(outcomes.size() - 1);
            c.unsettled++;
            unresolved(after, state.provider() + ": still " + (last.stage() == null ? last.status().wireName() : last.stage()),
                    null, c);
        }
    }

    private void notFound(PayoutState state, PollAnswer.NotFound answer, Instant now, Counts c) {
        c.notFound++;
        if (state.status() != null || state.providerPayoutId() != null) {
            // The provider acknowledged this payout before (an outcome, or its own id for it): "no such payout"
            // now contradicts that. Not submit_not_received: a person looks.
            count(open.giveUp(state, "reconciler_contradiction: " + state.provider()
                    + " acknowledged this payout earlier, its status API now says there is no such payout ("
                    + clip(answer.evidence()) + ")"), c);
            return;
        }
        Instant submitted = state.submittedAt() != null ? state.submittedAt() : state.registeredAt();
        Instant graceEnds = submitted == null ? null : submitted.plus(settings.notFoundGrace());
        if (graceEnds == null || now.isBefore(graceEnds)) {
            // Too early to conclude (the provider may not have indexed it yet): ask again after the grace period.
            unresolved(state, clip(answer.evidence()) + " (within the grace period since submission)", graceEnds, c);
            return;
        }
        PayoutOutcome notReceived = PayoutOutcome.builder(state.reference(), PayoutStatus.SUBMIT_NOT_RECEIVED)
                .provider(state.provider())
                .stage(STAGE_NOT_FOUND)
                .failureReason(clip(answer.evidence()))
                .source(OutcomeSource.POLL)
                .receivedAt(clock.instant())
                .build();
        if (apply(notReceived, c) == ApplyResult.APPLIED) {
            c.submitNotReceived++;
        }
    }

    /** An attempt that settled nothing: back off, or flag for review on the last allowed attempt. */
    private void unresolved(PayoutState state, String reason, Instant notBefore, Counts c) {
        int attempts = state.pollAttempts() + 1;
        if (attempts >= settings.maxPolls()) {
            count(open.giveUp(state, "reconciler_gave_up: " + attempts + " polls without a definitive answer; last: "
                    + clip(reason)), c);
            return;
        }
        Instant next = clock.instant().plus(settings.backoff(state.pollAttempts()));
        if (notBefore != null && next.isBefore(notBefore)) {
            next = notBefore;
        }
        if (!open.pollUnresolved(state, next)) {
            c.raced++; // an outcome arrived meanwhile: nothing to count against the payout
        }
    }

    private void count(boolean gaveUp, Counts c) {
        if (gaveUp) {
            c.gaveUp++;
        } else {
            c.raced++;
        }
    }

    private ApplyResult apply(PayoutOutcome outcome, Counts c) {
        Applied applied = ledger.apply(outcome);
        switch (applied.result()) {
            case APPLIED -> c.applied++;
            case DUPLICATE -> c.duplicates++;
            case CONFLICT -> c.conflicts++;
            default -> { }
        }
        return applied.result();
    }

    private void batch(String provider, OpenPayouts.Due notice, Counts c) {
        ProviderStatusApi api = apis.get(provider);
        int attempts = notice.fetchAttempts();
        PollAnswer answer;
        if (api == null) {
            answer = new PollAnswer.Unavailable(provider + ": no status API here to fetch batch items");
        } else {
            c.polled++;
            try {
                answer = api.batchItems(notice.batchId());
            } catch (RuntimeException broken) {
                answer = new PollAnswer.Unavailable(provider + ": status API error " + broken.getClass().getSimpleName());
            }
        }
        if (answer instanceof PollAnswer.Found found && !found.outcomes().isEmpty()
                && found.outcomes().stream().allMatch(o -> o.source() == OutcomeSource.POLL)) {
            for (PayoutOutcome item : found.outcomes()) {
                apply(item, c); // an exception leaves the notice due: re-applying is idempotent
            }
            open.batchResolved(notice, found.outcomes().size());
            c.batchesResolved++;
            return;
        }
        String reason;
        if (answer instanceof PollAnswer.NotFound notFound) {
            c.notFound++; // a batch cannot be "not received" item by item: look again later
            reason = notFound.evidence();
        } else {
            c.unavailable++;
            reason = answer instanceof PollAnswer.Unavailable u ? u.reason()
                    : answer instanceof PollAnswer.CannotPoll cannot ? cannot.reason() : "no items in the answer";
        }
        if (attempts + 1 >= settings.maxPolls()) {
            open.batchGiveUp(notice, "reconciler_gave_up: " + (attempts + 1) + " item fetches for batch "
                    + notice.batchId() + " without an answer; last: " + clip(reason));
            c.gaveUp++;
            return;
        }
        open.batchRetryAt(notice, clock.instant().plus(settings.backoff(attempts)));
    }

    static String noStatusApiReason(String provider) {
        return "reconciler_cannot_poll: no status API for " + provider
                + " in this environment; confirm the payout with the provider and resolve it by hand";
    }

    /** A provider's evidence as a review reason: bounded, never null. */
    private static String clip(String text) {
        return text == null ? "" : WireText.clip(text, 300);
    }
}
