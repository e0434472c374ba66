package dev.payoutcallbacks.m2money;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.payout.OutcomeSource;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.provider.PollRequest;
import dev.payoutcallbacks.core.provider.ProviderStatusApi;
import dev.payoutcallbacks.core.provider.StatusHttp;
import dev.payoutcallbacks.core.provider.WireText;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * M2Money's (Xettle's) order status API, as the reconciler uses it. All of it is inferred (the public docs
 * cover callbacks only); every inferred choice is configurable.
 *
 * <p>{@code GET /v1/service/payout/orders/{clientRefId}} with HTTP Basic auth (API user and password) and a
 * {@code Signature} header. We ask by clientRefId: our reference, the id M2Money was given at submit and the
 * key of every other route. Signature, by M2MONEY_API_SIGNATURE_SCHEME:
 * <ul>
 *   <li>{@code hmac-sha256-path} (default): hex HMAC-SHA256 of the request path as sent (e.g.
 *       {@code /v1/service/payout/orders/ref-1}), keyed with M2MONEY_API_SIGNATURE_SECRET. The brief's scheme:
 *       the same MAC as the callbacks, over the only request-specific data a GET has (no body).</li>
 *   <li>{@code sha256-path-user-secret}: hex SHA-256 of path + API user + "####" + secret, which is what
 *       Xettle integrators' PHP code sends for this request; switch to it if M2Money refuses the first.</li>
 * </ul>
 *
 * <p>The answer is an envelope {@code {code, status?, message, data}} (codes as the callbacks': 0x0200
 * success, 0x0201 unauthorized, 0x0202 failure, 0x0203 missing parameter, 0x0204 timeout, 0x0205 something
 * went wrong, 0x0206 pending). <b>The envelope says how the API call went, never how the payout went</b>: a
 * payout status is read only from {@code data.status}, with the callbacks' own table
 * ({@link M2MoneyCallbacks#orderStatus}, {@link M2MoneyCallbacks#orderOutcome}).
 *
 * <p><b>The "No orders found" trap.</b> M2Money answers an unknown order with a <em>failure</em> envelope
 * (code 0x0202, "No orders found") — the same code a failed transfer's callback carries. Read naively it is a
 * FAILED payout and a re-credit of money that may still go out. Here it can never be FAILED (no
 * {@code data.status}, no payout status). Is it a definitive not-found? It is the only way M2Money says "no
 * such order", so it is treated as one, but only when all of these hold, and otherwise it is Unavailable:
 * <ol>
 *   <li>the request was authenticated (a refused Basic auth or signature is 0x0201 or HTTP 401/403);</li>
 *   <li>HTTP 200, 400 or 404 (never 5xx) with a well-formed envelope: code 0x0202 (or status FAILURE) and no
 *       order in {@code data};</li>
 *   <li>the message is one of M2MONEY_NOT_FOUND_MESSAGES (default "No orders found", "No order found",
 *       "Order not found"; case-insensitive, exact after trimming — a failure for any other reason is not
 *       a not-found). Set it empty to never treat anything as not-found (stuck payouts then end in review).</li>
 * </ol>
 * The reconciler adds its own rules (grace period since submission, never for a payout the provider already
 * acknowledged) before a NotFound becomes submit_not_received — which is not final: a later success or
 * failure still applies.
 */
public final class M2MoneyStatusApi implements ProviderStatusApi {
    static final String ORDERS_PATH = "/v1/service/payout/orders/";
    public static final String SCHEME_HMAC_PATH = "hmac-sha256-path";
    public static final String SCHEME_SHA256_PATH_USER_SECRET = "sha256-path-user-secret";
    public static final String DEFAULT_NOT_FOUND_MESSAGES = "No orders found,No order found,Order not found";

    static final String CODE_SUCCESS = "0x0200";
    static final String CODE_UNAUTHORIZED = "0x0201";
    static final String CODE_FAILURE = "0x0202";
    static final String CODE_PENDING = "0x0206";
    static final String CODE_REVERSED = "0x0207";
    /** Codes that can carry an answer about the order; any other code is about the call (or unknown). */
    static final Set<String> KNOWN_ANSWER_CODES = Set.of(CODE_SUCCESS, CODE_FAILURE, CODE_PENDING, CODE_REVERSED);

    /** Registered in META-INF/services; empty (not polled) when M2MONEY_API_BASE_URL or a credential is not set. */
    public static final class Factory implements ProviderStatusApi.Factory {
        @Override
        public String provider() {
            return M2MoneyCallbacks.PROVIDER;
        }

        @Override
        public List<String> credentials() {
            return List.of("M2MONEY_API_USER", "M2MONEY_API_PASSWORD", "M2MONEY_API_SIGNATURE_SECRET");
        }

        @Override
        public Optional<ProviderStatusApi> create(FunctionEnvironment env) {
            String base = env.get("M2MONEY_API_BASE_URL");
            if (base == null || !env.hasAll("M2MONEY_API_USER", "M2MONEY_API_PASSWORD", "M2MONEY_API_SIGNATURE_SECRET")) {
                return Optional.empty();
            }
            return Optional.of(new M2MoneyStatusApi(base, env.require("M2MONEY_API_USER"),
                    env.require("M2MONEY_API_PASSWORD"), env.require("M2MONEY_API_SIGNATURE_SECRET"),
                    env.getOrDefault("M2MONEY_API_SIGNATURE_SCHEME", SCHEME_HMAC_PATH),
                    messages(env.values().containsKey("M2MONEY_NOT_FOUND_MESSAGES")
                            ? env.values().get("M2MONEY_NOT_FOUND_MESSAGES") : DEFAULT_NOT_FOUND_MESSAGES),
                    StatusHttp.fromEnvironment(env), Clock.systemUTC()));
        }
    }

    private final String base;
    private final String user;
    private final String authorization;
    private final byte[] signatureSecret;
    private final String scheme;
    private final Set<String> notFoundMessages;
    private final StatusHttp http;
    private final Clock clock;

    M2MoneyStatusApi(String baseUrl, String user, String password, String signatureSecret, String scheme,
                     Set<String> notFoundMessages, StatusHttp http, Clock clock) {
        this.base = StatusHttp.base(baseUrl);
        this.user = user;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.signatureSecret = signatureSecret.getBytes(StandardCharsets.UTF_8);
        if (!scheme.equals(SCHEME_HMAC_PATH) && !scheme.equals(SCHEME_SHA256_PATH_USER_SECRET)) {
            throw new IllegalArgumentException("M2MONEY_API_SIGNATURE_SCHEME must be " + SCHEME_HMAC_PATH + " or "
                    + SCHEME_SHA256_PATH_USER_SECRET);
        }
        this.scheme = scheme;
        this.notFoundMessages = notFoundMessages;
        this.http = http;
        this.clock = clock;
    }

    /** For tests and the local run: the default signature scheme and not-found messages, timeouts in ms. */
    public static M2MoneyStatusApi create(String baseUrl, String user, String password, String signatureSecret,
                                          int connectTimeoutMillis, int timeoutMillis, Clock clock) {
        return create(baseUrl, user, password, signatureSecret, SCHEME_HMAC_PATH, DEFAULT_NOT_FOUND_MESSAGES,
                connectTimeoutMillis, timeoutMillis, clock);
    }

    public static M2MoneyStatusApi create(String baseUrl, String user, String password, String signatureSecret,
                                          String scheme, String notFoundMessages, int connectTimeoutMillis,
                                          int timeoutMillis, Clock clock) {
        return new M2MoneyStatusApi(baseUrl, user, password, signatureSecret, scheme, messages(notFoundMessages),
                new StatusHttp(Duration.ofMillis(connectTimeoutMillis), Duration.ofMillis(timeoutMillis)), clock);
    }

    static Set<String> messages(String commaSeparated) {
        List<String> list = new ArrayList<>();
        if (commaSeparated != null) {
            for (String part : commaSeparated.split(",")) {
                if (!part.isBlank()) {
                    list.add(normaliseMessage(part));
                }
            }
        }
        return Set.copyOf(list);
    }

    private static String normaliseMessage(String message) {
        return message.trim().replaceAll("[.!]+$", "").replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    @Override
    public String provider() {
        return M2MoneyCallbacks.PROVIDER;
    }

    @Override
    public PollAnswer poll(PollRequest payout) {
        String reference = payout.reference();
        URI uri = URI.create(base + ORDERS_PATH + StatusHttp.segment(reference));
        StatusHttp.Answer answer;
        try {
            answer = http.send(HttpRequest.newBuilder(uri).GET()
                    .header("Authorization", authorization)
                    .header(M2MoneyCallbacks.SIGNATURE.header(), signature(uri.getRawPath()))
                    .header("Accept", "application/json"));
        } catch (StatusHttp.Trouble trouble) {
            return unavailable(trouble.getMessage());
        }
        int http = answer.status();
        if (http == 401 || http == 403) {
            return unavailable("HTTP " + http + " (credentials or signature refused)");
        }
        if (http != 200 && http != 400 && http != 404) {
            return unavailable("HTTP " + http);
        }
        ObjectNode body;
        try {
            body = Json.object(answer.body());
        } catch (CallbackRejected malformed) {
            return unavailable("malformed answer (not a strict JSON object)");
        }
        String code = lower(Json.text(body, "code"));
        String callStatus = lower(Json.text(body, "status"));
        if (CODE_UNAUTHORIZED.equals(code)) {
            return unavailable("code 0x0201 (unauthorized)");
        }
        if (code != null && !KNOWN_ANSWER_CODES.contains(code)) {
            // 0x0203 missing parameter, 0x0204 timeout, 0x0205 something went wrong, or unknown: no answer.
            return unavailable("code " + WireText.clip(code));
        }
        boolean failureEnvelope = code != null ? CODE_FAILURE.equals(code)
                : "failure".equals(callStatus) || "failed".equals(callStatus);
        JsonNode data = body.get("data");
        String orderStatus = data != null && data.isObject() ? Json.text(data, "status") : null;

        if (orderStatus == null) {
            // No order in the answer. Only the documented not-found failure counts; nothing here is ever FAILED.
            if (failureEnvelope && !hasOrder(data) && isNotFoundMessage(Json.text(body, "message"))) {
                return new PollAnswer.NotFound("m2money: HTTP " + http + ", failure envelope " + (code == null ? "" : code + " ")
                        + "\"No orders found\" for the clientRefId we submitted");
            }
            return unavailable("HTTP " + http + ", code " + (code == null ? "missing" : WireText.clip(code))
                    + (failureEnvelope ? ", failure envelope without an order (not read as failed)" : ", no order status"));
        }
        if (http != 200) {
            return unavailable("HTTP " + http + " with an order");
        }
        PayoutStatus status = M2MoneyCallbacks.orderStatus(orderStatus);
        if (status == null) {
            return unavailable("unmapped order status \"" + WireText.clip(orderStatus) + "\"");
        }
        if (failureEnvelope && status.kind() != PayoutStatus.Kind.FAILURE) {
            // A failure envelope around a processed/queued order: contradictory; money is at stake, so ask again.
            return unavailable("failure envelope around order status \"" + WireText.clip(orderStatus) + "\"");
        }
        String clientRefId = Json.text(data, "clientRefId");
        if (clientRefId != null && !clientRefId.trim().equals(reference)) {
            return unavailable("answer names another payout");
        }
        try {
            return new PollAnswer.Found(List.of(M2MoneyCallbacks.orderOutcome(body, answer.body(), data, reference, status)
                    .stage("status-api/" + orderStatus.trim().toLowerCase(Locale.ROOT))
                    .source(OutcomeSource.POLL)
                    .receivedAt(clock.instant())
                    .build()));
        } catch (IllegalArgumentException unreadable) {
            return unavailable("unreadable order: " + unreadable.getMessage());
        }
    }

    private static boolean hasOrder(JsonNode data) {
        if (data == null || data.isNull()) {
            return false;
        }
        if (data.isContainerNode()) {
            return !data.isEmpty();
        }
        return !(data.isTextual() && data.textValue().isBlank());
    }

    private boolean isNotFoundMessage(String message) {
        return message != null && notFoundMessages.contains(normaliseMessage(message));
    }

    /** The Signature header for a request path, by the configured scheme (see the class comment). */
    String signature(String rawPath) {
        try {
            if (scheme.equals(SCHEME_SHA256_PATH_USER_SECRET)) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update((rawPath + user + "####").getBytes(StandardCharsets.UTF_8));
                sha.update(signatureSecret);
                return HexFormat.of().formatHex(sha.digest());
            }
            // The callbacks' own scheme, over the path.
            return M2MoneyCallbacks.SIGNATURE.sign(rawPath.getBytes(StandardCharsets.UTF_8), signatureSecret);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static String lower(String text) {
        return text == null ? null : text.trim().toLowerCase(Locale.ROOT);
    }

    private static PollAnswer unavailable(String reason) {
        return new PollAnswer.Unavailable("m2money: " + reason);
    }

}
