package dev.payoutcallbacks.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.testing.ProviderFixture;
import dev.payoutcallbacks.core.testing.ProviderFixtures;
import dev.payoutcallbacks.core.testing.SentOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Callbacks as each provider sends them, for any payout reference: the wire format and the credentials are the
 * provider's own fixture's ({@link ProviderFixture}, every provider on the class path in template order), the
 * secrets the local ones of infra/local-env.json.
 */
public final class ProviderEvents {

    /** One HTTP callback. */
    public record Callback(String path, Map<String, String> headers, String sourceIp, String body) {

        public APIGatewayV2HTTPEvent toEvent() {
            APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
            http.setMethod("POST");
            http.setPath(path);
            http.setProtocol("HTTP/1.1");
            http.setSourceIp(sourceIp);
            APIGatewayV2HTTPEvent.RequestContext ctx = new APIGatewayV2HTTPEvent.RequestContext();
            ctx.setHttp(http);
            ctx.setRequestId("bench-" + System.nanoTime());
            ctx.setRouteKey("POST " + path);
            ctx.setStage("$default");
            APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
            event.setVersion("2.0");
            event.setRouteKey("POST " + path);
            event.setRawPath(path);
            event.setHeaders(new LinkedHashMap<>(headers));
            event.setRequestContext(ctx);
            event.setBody(body);
            event.setIsBase64Encoded(false);
            return event;
        }

        /** The block format {@link dev.payoutcallbacks.bench.probe.ColdStartProbe} reads. */
        public String toBlock() {
            StringBuilder s = new StringBuilder();
            headers.forEach((k, v) -> s.append("H ").append(k).append(": ").append(v).append('\n'));
            s.append("I ").append(sourceIp).append('\n');
            s.append("P ").append(path).append('\n');
            s.append("B ").append(body).append('\n');
            return s.toString();
        }
    }

    private final Map<String, String> settings;

    private ProviderEvents(Map<String, String> settings) {
        this.settings = settings;
    }

    /** The local settings of infra/local-env.json ("Parameters"). */
    public static ProviderEvents load(Path root) {
        try {
            JsonNode params = new ObjectMapper().readTree(root.resolve("infra/local-env.json").toFile()).path("Parameters");
            Map<String, String> values = new LinkedHashMap<>();
            params.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            return new ProviderEvents(Map.copyOf(values));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every provider, in template order. */
    public List<ProviderFixture> providers() {
        return ProviderFixtures.all();
    }

    /** One provider, for the benchmarks about its documented behaviour (the Pivot baseline, Comm.Pix's retries). */
    public ProviderFixture provider(String name) {
        return ProviderFixtures.named(name);
    }

    /** The local settings, as every function gets them here (its secrets among them). */
    public Map<String, String> settings() {
        return settings;
    }

    /**
     * What a callback of {@code status} says about the payout: the provider's amount (the same for every payout), for
     * an open status the first stage its callbacks can say; null where they cannot say the status.
     */
    public SentOutcome outcome(ProviderFixture p, PayoutStatus status, String ref) {
        Money amount = p.amount(new Random(1));
        if (status == PayoutStatus.PENDING) {
            Money carried = p.openStagesCarryAmount() ? amount : null;
            return p.openStages().stream()
                    .map(stage -> SentOutcome.of(ref, status).stage(stage).amount(carried).build())
                    .filter(o -> body(p, o) != null).findFirst().orElse(null);
        }
        SentOutcome.Builder outcome = SentOutcome.of(ref, status).amount(p.carriesAmount() ? amount : null);
        if (status == PayoutStatus.REVERSED) {
            outcome.amount(amount).adjustment(amount);
        }
        SentOutcome built = outcome.build();
        return body(p, built) == null ? null : built;
    }

    /** Whether the provider's callbacks say {@code status}. */
    public boolean says(ProviderFixture p, PayoutStatus status) {
        return outcome(p, status, "probe") != null;
    }

    public Callback callback(ProviderFixture p, PayoutStatus status, String ref) {
        SentOutcome outcome = outcome(p, status, ref);
        if (outcome == null) {
            throw new IllegalArgumentException(p.provider() + " sends no " + status.wireName() + " callback");
        }
        return callback(p, outcome);
    }

    /** The callback as the provider sends it: header names lower-cased, as API Gateway passes them. */
    public Callback callback(ProviderFixture p, SentOutcome outcome) {
        String body = body(p, outcome);
        ProviderFixture.Credentials sent = p.credentials(body.getBytes(StandardCharsets.UTF_8),
                name -> settings.get(name).split(",")[0].trim());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("user-agent", "provider-webhook/1.0");
        for (Map<String, String> part : List.of(sent.credential(), sent.headers())) {
            part.forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        }
        return new Callback(p.path(), headers, sent.sourceIp(), body);
    }

    /** One spelling of the provider's (the same for every callback, so warm runs time the same work). */
    private static String body(ProviderFixture p, SentOutcome outcome) {
        return p.body(outcome, new Random(1));
    }
}
