package dev.payoutcallbacks.reconciler;

import dev.payoutcallbacks.calypso.CalypsoStatusApi;
import dev.payoutcallbacks.calypso.CalypsoStub;
import dev.payoutcallbacks.commpix.CommPixStatusApi;
import dev.payoutcallbacks.core.provider.ProviderStatusApi;
import dev.payoutcallbacks.core.testing.StubServer;
import dev.payoutcallbacks.core.testing.StubServer.Reply;
import dev.payoutcallbacks.m2money.M2MoneyStatusApi;
import dev.payoutcallbacks.m2money.M2MoneyStub;
import dev.payoutcallbacks.pivot.PivotStatusApi;
import dev.payoutcallbacks.pivot.PivotStub;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The providers' own status API stubs (each in its provider module's tests) on one loopback server, as the
 * reconciler meets them in a pass.
 */
final class ProviderStubs implements AutoCloseable {
    final StubServer server;
    private final PivotStub pivotStub;
    private final CalypsoStub calypsoStub;
    private final M2MoneyStub m2moneyStub;
    final Map<String, Reply> pivot;
    final Map<String, Reply> pivotBulk;
    final Map<String, Reply> calypso;
    final Map<String, Reply> m2money;
    /** Runs just before the scripted answer for a reference is sent (e.g. a webhook racing the poll). */
    final Map<String, Runnable> beforeAnswer;
    final AtomicInteger tokensIssued;

    ProviderStubs() throws IOException {
        server = new StubServer();
        pivotStub = new PivotStub(server);
        calypsoStub = new CalypsoStub(server);
        m2moneyStub = new M2MoneyStub(server);
        pivot = pivotStub.pivot;
        pivotBulk = pivotStub.pivotBulk;
        calypso = calypsoStub.calypso;
        m2money = m2moneyStub.m2money;
        beforeAnswer = server.beforeAnswer;
        tokensIssued = pivotStub.tokensIssued;
    }

    PivotStatusApi pivotApi(Clock clock) {
        return pivotStub.pivotApi(clock);
    }

    CalypsoStatusApi calypsoApi(Clock clock) {
        return calypsoStub.calypsoApi(clock);
    }

    M2MoneyStatusApi m2moneyApi(Clock clock) {
        return m2moneyStub.m2moneyApi(clock);
    }

    Map<String, ProviderStatusApi> apis(Clock clock) {
        return Map.of("pivot", pivotApi(clock), "calypso", calypsoApi(clock), "m2money", m2moneyApi(clock),
                "commpix", new CommPixStatusApi());
    }

    /** The variables the reconciler function reads for these stubs. */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.putAll(pivotStub.environment());
        env.putAll(calypsoStub.environment());
        env.putAll(m2moneyStub.environment());
        env.put("RECONCILER_HTTP_CONNECT_TIMEOUT_MS", Integer.toString(StubServer.CONNECT_TIMEOUT_MS));
        env.put("RECONCILER_HTTP_TIMEOUT_MS", Integer.toString(StubServer.TIMEOUT_MS));
        return env;
    }

    void revokePivotTokens() {
        pivotStub.revokePivotTokens();
    }

    int pivotPolls() {
        return pivotStub.pivotPolls();
    }

    int calypsoPolls() {
        return calypsoStub.calypsoPolls();
    }

    int m2moneyPolls() {
        return m2moneyStub.m2moneyPolls();
    }

    int allPolls() {
        return pivotPolls() + calypsoPolls() + m2moneyPolls();
    }

    @Override
    public void close() {
        server.close();
    }
}
