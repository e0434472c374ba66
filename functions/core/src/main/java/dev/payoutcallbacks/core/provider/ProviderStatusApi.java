package dev.payoutcallbacks.core.provider;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import java.util.List;
import java.util.Optional;

/**
 * A provider's status API, as the reconciler uses it. Implemented in the provider's module, translating
 * answers with the same code as its webhooks; found by the reconciler through {@code ServiceLoader}.
 */
public interface ProviderStatusApi {

    /** The provider name, as in {@link ProviderCallbacks#provider()}. */
    String provider();

    /**
     * Asks the provider about one payout. Never throws for the provider's trouble: a timeout, a 5xx, an
     * unauthenticated or unreadable answer are {@link PollAnswer.Unavailable}. Only an authenticated,
     * definitive "no such payout" is {@link PollAnswer.NotFound}.
     */
    PollAnswer poll(PollRequest payout);

    /** The items of a batch notice (e.g. a bulk payout's totals-only callback); Unavailable when unsupported. */
    default PollAnswer batchItems(String batchId) {
        return new PollAnswer.Unavailable("batch item fetch not supported");
    }

    /** What a poll learned. */
    sealed interface PollAnswer {
        /** The provider's current word, translated to canonical outcomes (source = poll). */
        record Found(List<PayoutOutcome> outcomes) implements PollAnswer {
        }

        /** Authenticated and definitive: the provider has no such payout. */
        record NotFound(String evidence) implements PollAnswer {
        }

        /** Nothing can be concluded now (timeout, 5xx, auth failure, malformed answer). */
        record Unavailable(String reason) implements PollAnswer {
        }

        /**
         * The provider cannot be asked at all (it publishes no status API): the payout goes to an operator
         * with this reason instead of being polled.
         */
        record CannotPoll(String reason) implements PollAnswer {
        }
    }

    /**
     * Creates the provider's status API from the reconciler function's environment. Registered in the provider
     * module's {@code META-INF/services}: the reconciler learns every provider on its class path from these,
     * configured or not, so a provider whose factory answers empty is still looked after (reported as not
     * polled, its stuck payouts sent to review) rather than forgotten.
     */
    interface Factory {
        /** The provider this factory speaks for, as in {@link ProviderCallbacks#provider()}; known even when unconfigured. */
        String provider();

        /**
         * The settings of its credentials: read from the reconciler's secret at run time, and refused by the
         * reconciler when they are set in its environment (a secret never sits in a Lambda environment).
         */
        List<String> credentials();

        /** Empty when the provider is not configured for polling in this environment (no base URL, no credentials). */
        Optional<ProviderStatusApi> create(FunctionEnvironment env);
    }
}
