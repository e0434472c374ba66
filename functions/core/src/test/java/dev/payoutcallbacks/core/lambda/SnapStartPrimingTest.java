package dev.payoutcallbacks.core.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.testing.TestTables;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapStartPrimingTest {
    @Test
    void primingWritesNothingAndRunsTheFunctionsOwnStep() {
        String table = TestTables.freshPayoutsTable();
        Map<String, String> env = TestTables.environment(table);
        int before = SnapStartPriming.registered().size();
        CallbackReceiver receiver = CallbackReceiver.create(new CallbackReceiverTest.TestProvider(), new FunctionEnvironment(env));
        List<SnapStartPriming> registered = SnapStartPriming.registered();
        assertEquals(before + 1, registered.size(), "each function registers its priming with the runtime");
        registered.get(registered.size() - 1).prime();
        assertEquals(List.of(), TestTables.scan(table), "priming at deploy time writes no data");
        assertFalse(receiver.ledger().read(PayoutLedger.NEVER_A_PAYOUT).isPresent());
    }

    @Test
    void primingNeverThrowsEvenWhenDynamoDbIsUnreachable() {
        Map<String, String> env = TestTables.environment("no-such-table", "DYNAMODB_ENDPOINT", "http://127.0.0.1:9");
        CallbackReceiver.create(new CallbackReceiverTest.TestProvider(), new FunctionEnvironment(env));
        List<SnapStartPriming> registered = SnapStartPriming.registered();
        registered.get(registered.size() - 1).prime(); // must return normally
    }
}
