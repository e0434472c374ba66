package dev.payoutcallbacks.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.calypso.CalypsoStatusApi;
import dev.payoutcallbacks.core.Json;
import dev.payoutcallbacks.core.ProviderStatusApi;
import dev.payoutcallbacks.m2money.M2MoneyStatusApi;
import dev.payoutcallbacks.pivot.PivotStatusApi;
import dev.payoutcallbacks.reconciler.StubServer.Reply;
import dev.payoutcallbacks.reconciler.StubServer.Request;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pivot, Calypso and M2Money status APIs on one loopback stub server, each checking its documented (or
 * inferred) authentication independently of the code under test, each answering per payout as scripted.
 * An unscripted payout gets a 500.
 */
final class ProviderStubs implements AutoCloseable {
    static final String PIVOT_MERCHANT = "merchant-7";
    static final String PIVOT_SECRET = "pivot-merchant-secret";
    static final String CALYPSO_ACCOUNT = "calypso-account-1";
    static final String CALYPSO_KEY = "calypso-api-key";
    static final String CALYPSO_SECRET = "calypso-api-secret";
    static final String M2_USER = "m2-user";
    static final String M2_PASSWORD = "m2-password";
    static final String M2_SIGNATURE_SECRET = "m2-signature-secret";
    static final int CONNECT_TIMEOUT_MS = 1000;
    static final int TIMEOUT_MS = 1500;

    final StubServer server;
    final Map<String, Reply> pivot = new ConcurrentHashMap<>();
    final Map<String, Reply> pivotBulk = new ConcurrentHashMap<>();
    final Map<String, Reply> calypso = new ConcurrentHashMap<>();
    final Map<String, Reply> m2money = new ConcurrentHashMap<>();
    /** Runs just before the scripted answer for a reference is sent (e.g. a webhook racing the poll). */
    final Map<String, Runnable> beforeAnswer = new ConcurrentHashMap<>();
    final AtomicInteger tokensIssued = new AtomicInteger();
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    volatile int tokenExpiresIn = 900;

    ProviderStubs() throws IOException {
        server = new StubServer()
                .route("/pivot/v1/access-token", this::pivotToken)
                .route("/pivot/v1/payouts/", this::pivotPayout)
                .route("/calypso/api/v1/payout", this::calypsoPayout)
                .route("/m2money/v1/service/payout/orders/", this::m2moneyOrder);
    }

    // ---- the APIs under test, pointed at the stubs ----

    PivotStatusApi pivotApi(Clock clock) {
        return PivotStatusApi.create(server.base("/pivot"), PIVOT_MERCHANT, PIVOT_SECRET,
                PivotStatusApi.DEFAULT_BULK_ITEMS_PATH, CONNECT_TIMEOUT_MS, TIMEOUT_MS, clock);
    }

    CalypsoStatusApi calypsoApi(Clock clock) {
        return CalypsoStatusApi.create(server.base("/calypso"), CALYPSO_ACCOUNT, CALYPSO_KEY, CALYPSO_SECRET,
                CONNECT_TIMEOUT_MS, TIMEOUT_MS, clock);
    }

    M2MoneyStatusApi m2moneyApi(Clock clock) {
        return M2MoneyStatusApi.create(server.base("/m2money"), M2_USER, M2_PASSWORD, M2_SIGNATURE_SECRET,
                CONNECT_TIMEOUT_MS, TIMEOUT_MS, clock);
    }

    Map<String, ProviderStatusApi> apis(Clock clock) {
        return Map.of("pivot", pivotApi(clock), "calypso", calypsoApi(clock), "m2money", m2moneyApi(clock),
                "commpix", new dev.payoutcallbacks.commpix.CommPixStatusApi());
    }

    /** The variables the reconciler function reads for these stubs. */
    Map<String, String> environment() {
        return Map.ofEntries(
                Map.entry("PIVOT_API_BASE_URL", server.base("/pivot")),
                Map.entry("PIVOT_MERCHANT_ID", PIVOT_MERCHANT),
                Map.entry("PIVOT_MERCHANT_SECRET", PIVOT_SECRET),
                Map.entry("CALYPSO_API_BASE_URL", server.base("/calypso")),
                Map.entry("CALYPSO_ACCOUNT", CALYPSO_ACCOUNT),
                Map.entry("CALYPSO_API_KEY", CALYPSO_KEY),
                Map.entry("CALYPSO_API_SECRET", CALYPSO_SECRET),
                Map.entry("M2MONEY_API_BASE_URL", server.base("/m2money")),
                Map.entry("M2MONEY_API_USER", M2_USER),
                Map.entry("M2MONEY_API_PASSWORD", M2_PASSWORD),
                Map.entry("M2MONEY_API_SIGNATURE_SECRET", M2_SIGNATURE_SECRET),
                Map.entry("RECONCILER_HTTP_CONNECT_TIMEOUT_MS", Integer.toString(CONNECT_TIMEOUT_MS)),
                Map.entry("RECONCILER_HTTP_TIMEOUT_MS", Integer.toString(TIMEOUT_MS)));
    }

    // ---- answers ----

    static Reply pivotItem(String reference, String status, String amount, String reason) {
        return Reply.json(200, "{\"code\":\"00\",\"message\":\"Success\",\"data\":{\"uuid\":\"pv-" + reference
                + "\",\"referenceId\":\"" + reference + "\",\"amount\":{\"currency\":\"IDR\",\"value\":\"" + amount
                + "\"},\"status\":\"" + status + "\",\"reason\":" + (reason == null ? "null" : "\"" + reason + "\"")
                + ",\"beneficiaryName\":\"Budi Santoso\",\"accountNumber\":\"1234567890\"}}");
    }

    static Reply pivotNotFound() {
        return Reply.json(404, "{\"code\":\"404\",\"message\":\"Payout not found\",\"data\":null}");
    }

    static Reply calypsoState(String reference, String state, String amountJson, String hash) {
        return Reply.json(200, "{\"id\":2849201733301,\"externalId\":\"" + reference + "\",\"idempotencyKey\":\""
                + reference + "\",\"state\":\"" + state + "\",\"amount\":" + amountJson
                + ",\"currency\":\"USDT_TRX\",\"transactionHash\":" + (hash == null ? "null" : "\"" + hash + "\"")
                + ",\"errors\":[]}");
    }

    static Reply calypsoErrors(int status, String errorsJson) {
        return Reply.json(status, "{\"errors\":" + errorsJson + "}");
    }

    static Reply m2Order(String reference, String status, String amountJson, String utr) {
        return m2Order("0x0200", "SUCCESS", reference, status, amountJson, utr);
    }

    static Reply m2Order(String code, String callStatus, String reference, String status, String amountJson, String utr) {
        return Reply.json(200, "{\"code\":\"" + code + "\",\"status\":\"" + callStatus + "\",\"message\":\"Order fetched\","
                + "\"data\":{\"orderRefId\":\"ord-" + reference + "\",\"clientRefId\":\"" + reference + "\","
                + "\"firstName\":\"Asha\",\"lastName\":\"Verma\",\"phone\":\"9876543210\",\"amount\":" + amountJson
                + ",\"status\":\"" + status + "\",\"utr\":" + (utr == null ? "null" : "\"" + utr + "\"")
                + ",\"reason\":" + ("failed".equals(status) ? "\"Beneficiary bank down\"" : "null") + "}}");
    }

    static Reply m2NoOrdersFound() {
        return Reply.json(200, "{\"code\":\"0x0202\",\"status\":\"FAILURE\",\"message\":\"No orders found\",\"data\":[]}");
    }

    // ---- the stubs ----

    private Reply pivotToken(Request r) {
        JsonNode body = parse(r.body());
        if (!"POST".equals(r.method()) || !PIVOT_MERCHANT.equals(r.header("X-MERCHANT-ID"))
                || !PIVOT_SECRET.equals(r.header("X-MERCHANT-SECRET")) || body == null
                || !"client_credentials".equals(body.path("grantType").asText())) {
            return Reply.json(401, "{\"code\":\"401\",\"message\":\"Unauthorized\"}");
        }
        String token = "tok-" + tokensIssued.incrementAndGet();
        validTokens.add(token);
        return Reply.json(200, "{\"code\":\"00\",\"message\":\"Success\",\"data\":{\"accessToken\":\"" + token
                + "\",\"expiresIn\":" + tokenExpiresIn + ",\"tokenType\":\"Bearer\"}}");
    }

    /** Forgets every token issued (as if they expired at Pivot's end). */
    void revokePivotTokens() {
        validTokens.clear();
    }

    private Reply pivotPayout(Request r) {
        String auth = r.header("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !validTokens.contains(auth.substring(7))) {
            return Reply.json(401, "{\"code\":\"401\",\"message\":\"Invalid token\"}");
        }
        String id = URLDecoder.decode(r.path().substring("/pivot/v1/payouts/".length()), StandardCharsets.UTF_8);
        Map<String, Reply> answers = "type=bulk".equals(r.query()) ? pivotBulk
                : "type=single".equals(r.query()) ? pivot : Map.of();
        return answer(id, answers);
    }

    private Reply calypsoPayout(Request r) {
        JsonNode body = parse(r.body());
        boolean signed = CALYPSO_KEY.equals(r.header("Key"))
                && hex(hmac("HmacSHA512", CALYPSO_SECRET, r.body())).equalsIgnoreCase(String.valueOf(r.header("Sign")));
        if (!"POST".equals(r.method()) || !signed || body == null
                || !CALYPSO_ACCOUNT.equals(body.path("account").asText()) || !body.path("timestamp").isIntegralNumber()) {
            return calypsoErrors(401, "[\"invalid sign\"]");
        }
        JsonNode payload = body.path("payload");
        String id = payload.has("idempotencyKey") ? payload.get("idempotencyKey").asText() : payload.path("id").asText();
        return answer(id, calypso);
    }

    private Reply m2moneyOrder(Request r) {
        String expectedAuth = "Basic " + Base64.getEncoder().encodeToString(
                (M2_USER + ":" + M2_PASSWORD).getBytes(StandardCharsets.UTF_8));
        String expectedSignature = hex(hmac("HmacSHA256", M2_SIGNATURE_SECRET, r.path().getBytes(StandardCharsets.UTF_8)));
        if (!"GET".equals(r.method()) || !expectedAuth.equals(r.header("Authorization"))
                || !MessageDigest.isEqual(expectedSignature.getBytes(), String.valueOf(r.header("Signature")).getBytes())) {
            return Reply.json(200, "{\"code\":\"0x0201\",\"status\":\"UNAUTHORIZED\",\"message\":\"Unauthorized\"}");
        }
        String id = URLDecoder.decode(r.path().substring("/m2money/v1/service/payout/orders/".length()),
                StandardCharsets.UTF_8);
        return answer(id, m2money);
    }

    private Reply answer(String id, Map<String, Reply> answers) {
        Runnable hook = beforeAnswer.remove(id);
        if (hook != null) {
            hook.run();
        }
        Reply reply = answers.get(id);
        return reply != null ? reply : Reply.json(500, "{\"message\":\"Internal Server Error\"}");
    }

    static byte[] hmac(String algorithm, String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    int pivotPolls() {
        return server.requests("/pivot/v1/payouts/").size();
    }

    int calypsoPolls() {
        return server.requests("/calypso/").size();
    }

    int m2moneyPolls() {
        return server.requests("/m2money/").size();
    }

    int allPolls() {
        return pivotPolls() + calypsoPolls() + m2moneyPolls();
    }

    @Override
    public void close() {
        server.close();
    }
}
