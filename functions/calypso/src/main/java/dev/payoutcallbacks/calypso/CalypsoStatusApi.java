package dev.payoutcallbacks.calypso;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.OutcomeSource;
import dev.payoutcallbacks.core.payout.PayoutOutcome;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.provider.CallbackRejected;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.provider.PollRequest;
import dev.payoutcallbacks.core.provider.ProviderStatusApi;
import dev.payoutcallbacks.core.provider.StatusHttp;
import dev.payoutcallbacks.core.provider.WireText;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Calypso's payout status API, as the reconciler uses it.
 *
 * <p>Documented (docs.calypso.money, api-reference/payout-api): {@code POST /api/v1/payout}, headers
 * {@code Key} (API key) and {@code Sign} (hex HMAC-SHA512 of the exact body bytes, keyed with the API
 * secret), body {@code {account, timestamp (ms), payload: {id | idempotencyKey}}}; the answer has
 * {@code state}, {@code amount} (a JSON number, major units), {@code currency} (e.g. USDT_TRX),
 * {@code transactionHash}, {@code errors}.
 *
 * <ul>
 *   <li>We ask by Calypso's {@code id} when we know it (the webhooks' parentExternalId), else by
 *       {@code idempotencyKey} = our reference (the payout service creates payouts with our reference as
 *       their idempotency key; the webhooks name the payout by externalId, else idempotencyKey).</li>
 *   <li>{@code state} goes through {@link CalypsoCallbacks#statusOutcome}, the webhook's own table and stage
 *       naming. The amount is read exactly (never a double: the strict reader keeps JSON numbers as
 *       BigDecimal, refuses exponents) and checked by the ledger against the registered amount.</li>
 *   <li>Not found (inferred; Calypso documents no error codes): no {@code state} and {@code errors} whose text
 *       matches CALYPSO_NOT_FOUND_PATTERN (default: "payout" with "not found"), on HTTP 200, 400 or 404.
 *       Deliberately narrow: "account not found" or "invalid sign" are about us, not about the payout, and
 *       stay Unavailable. 401/403/5xx and unreadable answers are always Unavailable.</li>
 * </ul>
 *
 * <p>Env: CALYPSO_API_BASE_URL (unset: Calypso is not polled here), CALYPSO_ACCOUNT, CALYPSO_API_KEY,
 * CALYPSO_API_SECRET, CALYPSO_NOT_FOUND_PATTERN; the HTTP timeouts of {@link StatusHttp}.
 */
public final class CalypsoStatusApi implements ProviderStatusApi {
    static final String PATH = "/api/v1/payout";
    public static final String DEFAULT_NOT_FOUND_PATTERN = "(?i)(payout[^\"]{0,60}not[ _-]?found|not[ _-]?found[^\"]{0,60}payout)";
    private static final Pattern DIGITS = Pattern.compile("\\d{1,30}");
    private static final int MAX_REASON_LENGTH = 300;

    /** Registered in META-INF/services; empty (not polled) when CALYPSO_API_BASE_URL or a credential is not set. */
    public static final class Factory implements ProviderStatusApi.Factory {
        @Override
        public String provider() {
            return CalypsoCallbacks.PROVIDER;
        }

        @Override
        public List<String> credentials() {
            return List.of("CALYPSO_ACCOUNT", "CALYPSO_API_KEY", "CALYPSO_API_SECRET");
        }

        @Override
        public Optional<ProviderStatusApi> create(FunctionEnvironment env) {
            String base = env.get("CALYPSO_API_BASE_URL");
            if (base == null || !env.hasAll("CALYPSO_ACCOUNT", "CALYPSO_API_KEY", "CALYPSO_API_SECRET")) {
                return Optional.empty();
            }
            return Optional.of(new CalypsoStatusApi(base, env.require("CALYPSO_ACCOUNT"), env.require("CALYPSO_API_KEY"),
                    env.require("CALYPSO_API_SECRET"),
                    Pattern.compile(env.getOrDefault("CALYPSO_NOT_FOUND_PATTERN", DEFAULT_NOT_FOUND_PATTERN)),
                    StatusHttp.fromEnvironment(env), Clock.systemUTC()));
        }
    }

    private final String base;
    private final String account;
    private final String apiKey;
    private final byte[] apiSecret;
    private final Pattern notFound;
    private final StatusHttp http;
    private final Clock clock;

    CalypsoStatusApi(String baseUrl, String account, String apiKey, String apiSecret, Pattern notFound, StatusHttp http,
                     Clock clock) {
        this.base = StatusHttp.base(baseUrl);
        this.account = account;
        this.apiKey = apiKey;
        this.apiSecret = apiSecret.getBytes(StandardCharsets.UTF_8);
        this.notFound = notFound;
        this.http = http;
        this.clock = clock;
    }

    /** For tests and the local run: timeouts in milliseconds, the default not-found pattern. */
    public static CalypsoStatusApi create(String baseUrl, String account, String apiKey, String apiSecret,
                                          int connectTimeoutMillis, int timeoutMillis, Clock clock) {
        return new CalypsoStatusApi(baseUrl, account, apiKey, apiSecret, Pattern.compile(DEFAULT_NOT_FOUND_PATTERN),
                new StatusHttp(Duration.ofMillis(connectTimeoutMillis), Duration.ofMillis(timeoutMillis)), clock);
    }

    @Override
    public String provider() {
        return CalypsoCallbacks.PROVIDER;
    }

    @Override
    public PollAnswer poll(PollRequest payout) {
        byte[] body = requestBody(payout);
        StatusHttp.Answer answer;
        try {
            answer = http.send(HttpRequest.newBuilder(URI.create(base + PATH))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header(CalypsoCallbacks.KEY_HEADER, apiKey)
                    .header(CalypsoCallbacks.SIGN.header(), CalypsoCallbacks.SIGN.sign(body, apiSecret)));
        } catch (StatusHttp.Trouble trouble) {
            return unavailable(trouble.getMessage());
        }
        int status = answer.status();
        if (status != 200 && status != 400 && status != 404) {
            // 401/403: key or signature refused; 5xx: their trouble; anything else: not an answer we know.
            return unavailable("HTTP " + status);
        }
        ObjectNode root;
        try {
            root = Json.object(answer.body());
        } catch (CallbackRejected malformed) {
            return unavailable("malformed answer (not a strict JSON object)");
        }
        JsonNode node = root.has("state") ? root : root.path("data").has("state") ? root.get("data") : null;
        JsonNode errors = node != null && node.has("errors") ? node.get("errors") : root.get("errors");
        if (node == null) {
            if (hasErrors(errors) && notFound.matcher(Json.write(errors)).find()) {
                return new PollAnswer.NotFound("calypso: HTTP " + status + ", errors say no such payout");
            }
            return unavailable("HTTP " + status + (hasErrors(errors) ? ", errors without a payout state" : ", no payout state"));
        }
        if (status != 200) {
            return unavailable("HTTP " + status + " with a payout state");
        }
        try {
            return new PollAnswer.Found(List.of(outcome(payout, node, errors, root)));
        } catch (CallbackRejected | IllegalArgumentException unreadable) {
            return unavailable("unreadable payout: " + unreadable.getMessage());
        }
    }

    private PayoutOutcome outcome(PollRequest payout, JsonNode node, JsonNode errors, ObjectNode root)
            throws CallbackRejected {
        String reference = payout.reference();
        String externalId = scalar(node, "externalId");
        String idempotencyKey = scalar(node, "idempotencyKey");
        if ((externalId != null || idempotencyKey != null)
                && !reference.equals(externalId) && !reference.equals(idempotencyKey)) {
            throw CallbackRejected.malformed("answer names another payout");
        }
        String state = Json.text(node, "state");
        if (state == null || state.isBlank()) {
            throw CallbackRejected.malformed("state is empty");
        }
        PayoutOutcome.Builder outcome = CalypsoCallbacks.statusOutcome(state);
        PayoutStatus status = CalypsoCallbacks.PAYOUT_STATUSES.get(CalypsoCallbacks.knownStatus(state));
        String amount = scalar(node, "amount");
        String currency = Json.text(node, "currency");
        if (amount != null && currency == null) {
            throw CallbackRejected.malformed("amount without currency");
        }
        String hash = scalar(node, "transactionHash");
        return outcome
                .payoutReference(reference)
                .provider(provider())
                .providerPayoutId(scalar(node, "id"))
                .amount(amount == null ? null : Money.parse(amount, currency))
                .bankReference(hash == null || hash.isBlank() ? null : hash)
                .failureReason(status.kind() == PayoutStatus.Kind.FAILURE && hasErrors(errors) ? reason(errors) : null)
                .source(OutcomeSource.POLL)
                .receivedAt(clock.instant())
                .rawPayload(Json.masked(root, CalypsoCallbacks.PERSONAL_FIELDS))
                .build();
    }

    /** {account, timestamp, payload: {id} | {idempotencyKey}}, serialised once: these exact bytes are signed and sent. */
    byte[] requestBody(PollRequest payout) {
        ObjectNode body = Json.newObject();
        body.put("account", account);
        body.put("timestamp", clock.millis());
        ObjectNode payload = body.putObject("payload");
        String id = payout.providerPayoutId();
        if (id != null && DIGITS.matcher(id).matches()) {
            payload.put("id", new BigInteger(id)); // Calypso's id is a JSON number
        } else if (id != null && !id.isBlank()) {
            payload.put("id", id);
        } else {
            payload.put("idempotencyKey", payout.reference());
        }
        return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean hasErrors(JsonNode errors) {
        return errors != null && !errors.isNull() && !(errors.isContainerNode() && errors.isEmpty())
                && !(errors.isTextual() && errors.textValue().isBlank());
    }

    private static String reason(JsonNode errors) {
        String text = errors.isTextual() ? errors.textValue() : Json.write(errors);
        return WireText.clip(text, MAX_REASON_LENGTH);
    }

    private static String scalar(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : Json.scalarText(value);
    }

    private static PollAnswer unavailable(String reason) {
        return new PollAnswer.Unavailable("calypso: " + reason);
    }
}
