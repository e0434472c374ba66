package dev.payoutcallbacks.reconciler;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.provider.PollRequest;
import dev.payoutcallbacks.core.provider.ProviderStatusApi;
import java.util.List;
import java.util.Optional;

/**
 * A test-only sixth provider, registered through this module's test resources (META-INF/services) exactly as a
 * provider module registers its own: its factory answers empty unless {@value #BASE_URL} is set, like a real
 * provider without a base URL or credentials. Nothing else in the reconciler names it.
 */
final class SixthProvider implements ProviderStatusApi {
    static final String NAME = "sixth";
    static final String BASE_URL = "SIXTH_API_BASE_URL";
    static final String TOKEN = "SIXTH_API_TOKEN";

    @Override
    public String provider() {
        return NAME;
    }

    @Override
    public PollAnswer poll(PollRequest payout) {
        return new PollAnswer.Unavailable(NAME + ": a test provider answers nothing");
    }

    public static final class Factory implements ProviderStatusApi.Factory {
        @Override
        public String provider() {
            return NAME;
        }

        @Override
        public List<String> credentials() {
            return List.of(TOKEN);
        }

        @Override
        public Optional<ProviderStatusApi> create(FunctionEnvironment env) {
            return env.get(BASE_URL) == null ? Optional.empty() : Optional.of(new SixthProvider());
        }
    }
}
