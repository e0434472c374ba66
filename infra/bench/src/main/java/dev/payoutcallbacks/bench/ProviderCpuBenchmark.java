package dev.payoutcallbacks.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.payoutcallbacks.core.lambda.CallbackLog;
import dev.payoutcallbacks.core.lambda.CallbackReceiver;
import dev.payoutcallbacks.core.lambda.LambdaRequests;
import dev.payoutcallbacks.core.ledger.LedgerSettings;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.PayoutTable;
import dev.payoutcallbacks.core.ledger.Quarantine;
import dev.payoutcallbacks.core.payout.PayoutDecision;
import dev.payoutcallbacks.core.payout.PayoutState;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.CallbackRequest;
import dev.payoutcallbacks.core.provider.ProviderCallbacks;
import dev.payoutcallbacks.core.provider.Translation;
import dev.payoutcallbacks.core.testing.ProviderFixture;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Warm CPU per callback, no I/O. {@code verifyTranslateDecide}: the API Gateway event to the request (raw
 * bytes, headers), authentication (constant-time key or HMAC), JSON parse, translation to the canonical
 * outcome, and the transition decision — for a paid callback of a new payout, per provider.
 * {@code receiveWithoutIo}: the whole receiver (log line, request items built, JSON answer) on an in-memory
 * DynamoDbClient that answers at once (no marshalling, no HTTP).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProviderCpuBenchmark {

    /** A provider's name: every provider's fixture on the class path, given by {@link JmhRun} ({@code -p provider=...}). */
    @Param({})
    public String provider;

    private ProviderCallbacks callbacks;
    private APIGatewayV2HTTPEvent event;
    private PayoutState current;
    private CallbackReceiver offline;

    @Setup
    public void setUp() {
        ProviderEvents events = ProviderEvents.load(SamTemplate.find().projectDir());
        ProviderFixture p = events.provider(provider);
        callbacks = p.callbacks(events.settings());
        String ref = "jmh-" + provider + "-0001";
        event = events.callback(p, PayoutStatus.PAID, ref).toEvent();
        current = PayoutState.none(ref);
        CallbackLog.redirect(new PrintStream(OutputStream.nullOutputStream()));
        DynamoDbClient answersAtOnce = new InMemoryAnswers();
        Clock clock = Clock.systemUTC();
        PayoutTable table = new PayoutTable(answersAtOnce, "PayoutsTable");
        offline = new CallbackReceiver(callbacks, new PayoutLedger(table, clock, LedgerSettings.defaults()),
                new Quarantine(table, clock), CallbackReceiver.DEFAULT_MAX_BODY_BYTES, clock);
        if (verifyTranslateDecide().result() == null || receiveWithoutIo().getStatusCode() != 200) {
            throw new IllegalStateException(provider + ": the benchmark callback is not applied");
        }
    }

    @Benchmark
    public PayoutDecision verifyTranslateDecide() {
        CallbackRequest request = LambdaRequests.callbackRequest(event, Instant.now());
        if (!callbacks.authentic(request)) {
            throw new IllegalStateException("not authentic");
        }
        try {
            Translation translation = callbacks.translate(request);
            return PayoutDecision.decide(current, translation.outcomes().get(0));
        } catch (CallbackRejected e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public APIGatewayV2HTTPResponse receiveWithoutIo() {
        return offline.receive(event, null);
    }

    /**
     * A DynamoDbClient that accepts every write at once, answering the ledger's UpdateItem with the item after it
     * (and a provider's alias PutItem, e.g. Calypso's payout id, with nothing).
     */
    static final class InMemoryAnswers implements DynamoDbClient {
        private static final UpdateItemResponse APPLIED = UpdateItemResponse.builder().attributes(Map.of(
                "pk", AttributeValue.fromS("PAYOUT#bench"), "sk", AttributeValue.fromS("STATE"),
                "reference", AttributeValue.fromS("bench"), "status", AttributeValue.fromS("paid"),
                "version", AttributeValue.fromN("1"), "revision", AttributeValue.fromN("1"))).build();

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            return APPLIED;
        }

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            return PutItemResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }
}
