package dev.payoutcallbacks.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.provider.ProviderStatusApi.PollAnswer;

/** What a status API's tests ask of a poll's answer. */
public final class PollAnswers {
    private PollAnswers() {
    }

    /** The one outcome a Found answer carries; fails on any other answer or count. */
    public static PayoutOutcome only(PollAnswer answer) {
        PollAnswer.Found found = assertInstanceOf(PollAnswer.Found.class, answer, answer.toString());
        assertEquals(1, found.outcomes().size());
        return found.outcomes().get(0);
    }
}
