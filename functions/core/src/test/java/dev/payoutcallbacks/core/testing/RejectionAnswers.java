package dev.payoutcallbacks.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.CallbackRejected.Reason;
import dev.payoutcallbacks.core.provider.ProviderCallbacks;
import java.util.EnumSet;
import java.util.Map;

/**
 * A provider's answer policy, checked for every rejection reason: those its translation raises ({@code own}) and
 * those the core raises for it ({@code byCore}). Both tables must name every reason, so a new reason makes each
 * provider say how it is answered.
 */
public final class RejectionAnswers {
    private RejectionAnswers() {
    }

    public static void assertAnswers(ProviderCallbacks provider, Map<Reason, Integer> own, Map<Reason, Integer> byCore) {
        assertEquals(EnumSet.allOf(Reason.class), EnumSet.copyOf(own.keySet()), "own: every reason has an answer");
        assertEquals(EnumSet.allOf(Reason.class), EnumSet.copyOf(byCore.keySet()), "core: every reason has an answer");
        for (Reason reason : Reason.values()) {
            assertEquals(own.get(reason), provider.rejectionAnswer(new CallbackRejected(reason, "x")), "own " + reason);
            assertEquals(byCore.get(reason), provider.rejectionAnswer(CallbackRejected.byCore(reason, "x")),
                    "core " + reason);
        }
    }
}
