package dev.payoutcallbacks.commpix;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.provider.PollRequest;
import dev.payoutcallbacks.core.provider.ProviderStatusApi;
import java.util.List;
import java.util.Optional;

/**
 * Comm.Pix has no status API the reconciler could ask: none is published (docs.commpix.com documents
 * notifications only, see the provider brief). This is recorded here, with the provider, rather than guessed
 * at: every poll answers {@link PollAnswer.CannotPoll}, so the reconciler flags a stuck Comm.Pix payout for
 * review (reason {@value #NO_STATUS_API_REASON}) instead of polling it. An operator confirms the payout in
 * the Comm.Pix dashboard and resolves it by hand; a late notification still applies.
 *
 * <p>Should Comm.Pix publish a status endpoint, implement {@link #poll} against it: the reconciler then polls
 * Comm.Pix like the others, with no change of its own.
 */
public final class CommPixStatusApi implements ProviderStatusApi {
    /** What a stuck Comm.Pix payout is flagged with. */
    public static final String NO_STATUS_API_REASON =
            "reconciler_cannot_poll: Comm.Pix publishes no status API; confirm the payout in the Comm.Pix dashboard";

    @Override
    public String provider() {
        return "commpix";
    }

    @Override
    public PollAnswer poll(PollRequest payout) {
        return new PollAnswer.CannotPoll(NO_STATUS_API_REASON);
    }

    @Override
    public PollAnswer batchItems(String batchId) {
        return new PollAnswer.CannotPoll(NO_STATUS_API_REASON);
    }

    /** Registered in META-INF/services, where status APIs are looked up. */
    public static final class Factory implements ProviderStatusApi.Factory {
        @Override
        public String provider() {
            return "commpix";
        }

        @Override
        public List<String> credentials() {
            return List.of();
        }

        @Override
        public Optional<ProviderStatusApi> create(FunctionEnvironment env) {
            return Optional.of(new CommPixStatusApi());
        }
    }
}
