package dev.payoutcallbacks.commpix;

import dev.payoutcallbacks.core.FunctionEnvironment;
import dev.payoutcallbacks.core.ProviderStatusApi;
import java.util.Optional;

/**
 * Comm.Pix has no status API the reconciler could ask: none is published (docs.commpix.com documents
 * notifications only, see the provider brief). This is recorded here, with the provider, rather than guessed
 * at: the factory never creates a status API, and the reconciler flags every stuck Comm.Pix payout for review
 * ({@code OpenPayouts.giveUp}, reason {@value #NO_STATUS_API_REASON}) instead of polling it. An operator
 * confirms the payout in the Comm.Pix dashboard and resolves it by hand; a late notification still applies.
 *
 * <p>Should Comm.Pix publish a status endpoint, implement {@link ProviderStatusApi} here and return it from
 * {@link Factory#create}: the reconciler then polls Comm.Pix like the others, with no change of its own.
 */
public final class CommPixStatusApi {
    /** What a stuck Comm.Pix payout is flagged with. */
    public static final String NO_STATUS_API_REASON =
            "reconciler_cannot_poll: Comm.Pix publishes no status API; confirm the payout in the Comm.Pix dashboard";

    private CommPixStatusApi() {
    }

    /** Registered in META-INF/services so the decision is visible where status APIs are looked up: always empty. */
    public static final class Factory implements ProviderStatusApi.Factory {
        @Override
        public Optional<ProviderStatusApi> create(FunctionEnvironment env) {
            return Optional.empty();
        }
    }
}
