package dev.payoutcallbacks.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.payoutcallbacks.core.testing.ProviderFixture;
import dev.payoutcallbacks.core.testing.ProviderFixtures;
import org.junit.jupiter.api.Test;

/** The JMH benchmark's setup, for every provider it is run with: its callback is applied offline, answered 200. */
class ProviderCpuBenchmarkTest {
    @Test
    void everyProvidersBenchmarkCallbackIsAppliedWithoutIo() {
        for (ProviderFixture fixture : ProviderFixtures.all()) {
            ProviderCpuBenchmark bench = new ProviderCpuBenchmark();
            bench.provider = fixture.provider();
            bench.setUp(); // throws when the callback is not applied
            assertNotNull(bench.verifyTranslateDecide().result(), fixture.provider());
            assertEquals(200, bench.receiveWithoutIo().getStatusCode(), fixture.provider());
        }
    }
}
