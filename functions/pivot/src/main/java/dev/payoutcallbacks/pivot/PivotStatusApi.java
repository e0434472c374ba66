package dev.payoutcallbacks.pivot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.payout.OutcomeSource;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.provider.PersonalData;
import dev.payoutcallbacks.core.provider.PollRequest;
import dev.payoutcallbacks.core.provider.ProviderStatusApi;
import dev.payoutcallbacks.core.provider.StatusHttp;
import dev.payoutcallbacks.core.provider.WireText;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pivot's status API, as the reconciler uses it.
 *
 * <p>Documented (pivot-payment.gitbook.io): a bearer token from {@code POST /v1/access-token} (headers
 * {@code X-MERCHANT-ID}, {@code X-MERCHANT-SECRET}, body {@code {"grantType":"client_credentials"}}; valid
 * {@code expiresIn} = 900 s), then {@code GET /v1/payouts/{referenceId}?type=single}, answered
 * {@code {code:"00", message, data}}. The token is cached for the container's life and refreshed 60 s before
 * it expires; a 401 on the payout read drops it and retries once with a fresh one.
 *
 * <p>Inferred, configurable:
 * <ul>
 *   <li>token fields: {@code data.accessToken} (also accepted: {@code data.token}, top-level
 *       {@code accessToken}), {@code expiresIn} beside it (default 900);</li>
 *   <li>the payout item in {@code data} (or {@code data.payouts}) has the single callback's item fields
 *       {@code {referenceId, amount{currency,value}, status, reason}}: it is read by the same
 *       {@link PivotCallbacks#item} as the webhook, with the same status table;</li>
 *   <li>not found: HTTP 404 <em>with a Pivot envelope</em> (a JSON object with {@code code} other than
 *       "00"). A bare 404 (a gateway, a wrong base URL) is not Pivot's word and stays Unavailable;</li>
 *   <li>a bulk payout's items (not documented): {@code GET PIVOT_BULK_ITEMS_PATH} (default
 *       {@value #DEFAULT_BULK_ITEMS_PATH}), items in {@code data.payouts} (or {@code data.items}, or
 *       {@code data} itself as an array).</li>
 * </ul>
 *
 * <p>Env: PIVOT_API_BASE_URL (unset: Pivot is not polled here), PIVOT_MERCHANT_ID, PIVOT_MERCHANT_SECRET,
 * PIVOT_BULK_ITEMS_PATH; the HTTP timeouts of {@link StatusHttp}.
 */
public final class PivotStatusApi implements ProviderStatusApi {
    public static final String DEFAULT_BULK_ITEMS_PATH = "/v1/payouts/{batchId}?type=bulk";
    static final String TOKEN_PATH = "/v1/access-token";
    static final String MERCHANT_ID_HEADER = "X-MERCHANT-ID";
    static final String MERCHANT_SECRET_HEADER = "X-MERCHANT-SECRET";
    static final String OK_CODE = "00";
    private static final long DEFAULT_EXPIRES_IN_SECONDS = 900;
    private static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofSeconds(60);

    /** Registered in META-INF/services; empty (not polled) when PIVOT_API_BASE_URL or a credential is not set. */
    public static final class Factory implements ProviderStatusApi.Factory {
        @Override
        public String provider() {
            return PivotCallbacks.PROVIDER;
        }

        @Override
        public List<String> credentials() {
            return List.of("PIVOT_MERCHANT_ID", "PIVOT_MERCHANT_SECRET");
        }

        @Override
        public Optional<ProviderStatusApi> create(FunctionEnvironment env) {
            String base = env.get("PIVOT_API_BASE_URL");
            if (base == null || !env.hasAll("PIVOT_MERCHANT_ID", "PIVOT_MERCHANT_SECRET")) {
                return Optional.empty();
            }
            return Optional.of(new PivotStatusApi(base, env.require("PIVOT_MERCHANT_ID"),
                    env.require("PIVOT_MERCHANT_SECRET"),
                    env.getOrDefault("PIVOT_BULK_ITEMS_PATH", DEFAULT_BULK_ITEMS_PATH),
                    StatusHttp.fromEnvironment(env), Clock.systemUTC()));
        }
    }

    private record Token(String value, Instant refreshAt) {
    }

    private final String base;
    private final String merchantId;
    private final String merchantSecret;
    private final String bulkItemsPath;
    private final StatusHttp http;
    private final Clock clock;
    private Token token; // guarded by this

    PivotStatusApi(String baseUrl, String merchantId, String merchantSecret, String bulkItemsPath, StatusHttp http,
                   Clock clock) {
        this.base = StatusHttp.base(baseUrl);
        this.merchantId = merchantId;
        this.merchantSecret = merchantSecret;
        if (!bulkItemsPath.startsWith("/") || !bulkItemsPath.contains("{batchId}")) {
            throw new IllegalArgumentException("PIVOT_BULK_ITEMS_PATH must start with / and contain {batchId}");
        }
        this.bulkItemsPath = bulkItemsPath;
        this.http = http;
        this.clock = clock;
    }

    /** For tests and the local run: the given base URL and credentials, timeouts in milliseconds. */
    public static PivotStatusApi create(String baseUrl, String merchantId, String merchantSecret, String bulkItemsPath,
                                        int connectTimeoutMillis, int timeoutMillis, Clock clock) {
        return new PivotStatusApi(baseUrl, merchantId, merchantSecret, bulkItemsPath,
                new StatusHttp(Duration.ofMillis(connectTimeoutMillis), Duration.ofMillis(timeoutMillis)), clock);
    }

    @Override
    public String provider() {
        return PivotCallbacks.PROVIDER;
    }

    /** Pivot's {code: "00", data} envelope, or why there is none to read: a failed answer to return as is. */
    private record Envelope(ObjectNode body, PollAnswer failure) {
    }

    /**
     * GETs a Pivot resource. Only a 404 carrying Pivot's own envelope is Pivot saying "no such thing"; a bare 404
     * (a gateway, a wrong base URL), another status, a non-JSON or non-"00" answer settles nothing.
     */
    private Envelope fetch(URI uri, String notFoundWhat) {
        StatusHttp.Answer answer;
        try {
            answer = authorizedGet(uri);
        } catch (StatusHttp.Trouble trouble) {
            return new Envelope(null, unavailable(trouble.getMessage()));
        }
        if (answer.status() == 404) {
            String code = envelopeCode(answer.body());
            return new Envelope(null, code != null && !OK_CODE.equals(code)
                    ? new PollAnswer.NotFound("pivot: HTTP 404, code " + WireText.clip(code) + ", for " + notFoundWhat)
                    : unavailable("HTTP 404 without a Pivot answer (a gateway or a wrong base URL, not Pivot's word)"));
        }
        if (answer.status() != 200) {
            return new Envelope(null, unavailable("HTTP " + answer.status()));
        }
        ObjectNode body;
        try {
            body = Json.object(answer.body());
        } catch (CallbackRejected malformed) {
            return new Envelope(null, unavailable("malformed answer (not a strict JSON object)"));
        }
        String code = Json.text(body, "code");
        if (!OK_CODE.equals(code)) {
            return new Envelope(null, unavailable("answer code " + (code == null ? "missing" : WireText.clip(code))));
        }
        return new Envelope(body, null);
    }

    @Override
    public PollAnswer poll(PollRequest payout) {
        String reference = payout.reference();
        Envelope envelope = fetch(URI.create(base + "/v1/payouts/" + StatusHttp.segment(reference) + "?type=single"),
                "the referenceId we submitted");
        if (envelope.failure() != null) {
            return envelope.failure();
        }
        ObjectNode body = envelope.body();
        JsonNode data = body.get("data");
        JsonNode itemNode = data != null && data.has("payouts") ? data.get("payouts") : data;
        if (itemNode != null && itemNode.isArray() && itemNode.size() == 1) {
            itemNode = itemNode.get(0);
        }
        try {
            PivotCallbacks.Item item = PivotCallbacks.item(itemNode, "data");
            if (!reference.equals(item.reference())) {
                return unavailable("answer names another payout");
            }
            if (item.status() == null) {
                return unavailable("answer has no payout status");
            }
            return new PollAnswer.Found(List.of(outcome(item, itemNode, "status-api/", body)));
        } catch (CallbackRejected | IllegalArgumentException unreadable) {
            return unavailable("unreadable payout: " + unreadable.getMessage());
        }
    }

    @Override
    public PollAnswer batchItems(String batchId) {
        Envelope envelope = fetch(URI.create(base + bulkItemsPath.replace("{batchId}", StatusHttp.segment(batchId))),
                "the bulk payout");
        if (envelope.failure() != null) {
            return envelope.failure();
        }
        ObjectNode body = envelope.body();
        JsonNode data = body.get("data");
        JsonNode items = data == null ? null
                : data.isArray() ? data
                : data.has("payouts") ? data.get("payouts")
                : data.get("items");
        if (items == null || !items.isArray()) {
            return unavailable("bulk answer has no item list");
        }
        List<PayoutOutcome> outcomes = new ArrayList<>();
        try {
            for (JsonNode node : items) {
                PivotCallbacks.Item item = PivotCallbacks.item(node, "data.payouts[]");
                if (item.status() == null) {
                    return unavailable("a bulk item has no status");
                }
                outcomes.add(outcome(item, node, "status-api/bulk/", node));
            }
        } catch (CallbackRejected | IllegalArgumentException unreadable) {
            return unavailable("unreadable bulk item: " + unreadable.getMessage());
        }
        return new PollAnswer.Found(List.copyOf(outcomes));
    }

    private PayoutOutcome outcome(PivotCallbacks.Item item, JsonNode itemNode, String stagePrefix, JsonNode payload) {
        return item.outcome(item.status())
                .providerPayoutId(Json.text(itemNode, "uuid"))
                .stage(stagePrefix + item.itemStatus())
                .source(OutcomeSource.POLL)
                .receivedAt(clock.instant())
                .rawPayload(Json.masked(payload, PersonalData.COMMON_FIELDS))
                .build();
    }

    /** GET with the cached bearer token; a 401 drops the token and tries once more with a fresh one. */
    private StatusHttp.Answer authorizedGet(URI uri) throws StatusHttp.Trouble {
        StatusHttp.Answer answer = get(uri, token(false));
        if (answer.status() == 401 || answer.status() == 403) {
            answer = get(uri, token(true));
            if (answer.status() == 401 || answer.status() == 403) {
                throw new StatusHttp.Trouble("HTTP " + answer.status() + " with a fresh token (credentials refused)");
            }
        }
        return answer;
    }

    private StatusHttp.Answer get(URI uri, String bearer) throws StatusHttp.Trouble {
        return http.send(HttpRequest.newBuilder(uri).GET()
                .header("Authorization", "Bearer " + bearer)
                .header("Accept", "application/json"));
    }

    private synchronized String token(boolean renew) throws StatusHttp.Trouble {
        Instant now = clock.instant();
        if (!renew && token != null && now.isBefore(token.refreshAt())) {
            return token.value();
        }
        token = null;
        StatusHttp.Answer answer = http.send(HttpRequest.newBuilder(URI.create(base + TOKEN_PATH))
                .POST(HttpRequest.BodyPublishers.ofString("{\"grantType\":\"client_credentials\"}", StandardCharsets.UTF_8))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header(MERCHANT_ID_HEADER, merchantId)
                .header(MERCHANT_SECRET_HEADER, merchantSecret));
        if (!answer.ok()) {
            throw new StatusHttp.Trouble("access token: HTTP " + answer.status());
        }
        ObjectNode body;
        try {
            body = Json.object(answer.body());
        } catch (CallbackRejected malformed) {
            throw new StatusHttp.Trouble("access token: malformed answer");
        }
        String code = Json.text(body, "code");
        if (code != null && !OK_CODE.equals(code)) {
            throw new StatusHttp.Trouble("access token: code " + WireText.clip(code));
        }
        JsonNode data = body.path("data");
        String value = firstText(data, body, "accessToken", "token");
        if (value == null || value.isBlank()) {
            throw new StatusHttp.Trouble("access token: no token in the answer");
        }
        long expiresIn = DEFAULT_EXPIRES_IN_SECONDS;
        String expires = Json.scalarText(data.has("expiresIn") ? data.get("expiresIn") : body.get("expiresIn"));
        if (expires != null && expires.matches("\\d{1,9}")) {
            expiresIn = Long.parseLong(expires);
        }
        Duration life = Duration.ofSeconds(expiresIn).minus(REFRESH_BEFORE_EXPIRY);
        token = new Token(value, now.plus(life.isNegative() ? Duration.ZERO : life));
        return value;
    }

    private static String firstText(JsonNode data, JsonNode body, String... names) {
        for (String name : names) {
            if (data.isObject() && Json.text(data, name) != null) {
                return Json.text(data, name);
            }
            if (Json.text(body, name) != null) {
                return Json.text(body, name);
            }
        }
        return null;
    }

    /** Pivot's {@code code} when the body is a Pivot envelope; null for anything else (HTML, empty, no code). */
    private static String envelopeCode(byte[] body) {
        try {
            ObjectNode envelope = Json.object(body);
            return envelope.has("message") || envelope.has("data") ? Json.text(envelope, "code") : null;
        } catch (CallbackRejected notAnEnvelope) {
            return null;
        }
    }

    private static PollAnswer unavailable(String reason) {
        return new PollAnswer.Unavailable("pivot: " + reason);
    }

}
