package dev.payoutcallbacks.pivot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.core.testing.StubServer;
import dev.payoutcallbacks.core.testing.StubServer.Reply;
import dev.payoutcallbacks.core.testing.StubServer.Request;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pivot's status API on a loopback {@link StubServer}: checks the documented access-token exchange and bearer
 * token independently of the code under test, and answers each payout (and bulk payout) as scripted; an
 * unscripted one gets a 500. Standalone (its own server, under {@value #PREFIX}) or on a shared server.
 */
public final class PivotStub implements AutoCloseable {
    public static final String PREFIX = "/pivot";
    public static final String PIVOT_MERCHANT = "merchant-7";
    public static final String PIVOT_SECRET = "pivot-merchant-secret";

    public final StubServer server;
    public final Map<String, Reply> pivot = new ConcurrentHashMap<>();
    public final Map<String, Reply> pivotBulk = new ConcurrentHashMap<>();
    public final AtomicInteger tokensIssued = new AtomicInteger();
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final boolean ownsServer;
    public volatile int tokenExpiresIn = 900;

    public PivotStub() throws IOException {
        this(new StubServer(), true);
    }

    /** On a server shared with other providers' stubs (closed by its owner). */
    public PivotStub(StubServer shared) {
        this(shared, false);
    }

    private PivotStub(StubServer server, boolean ownsServer) {
        this.server = server;
        this.ownsServer = ownsServer;
        server.route(PREFIX + "/v1/access-token", this::token).route(PREFIX + "/v1/payouts/", this::payout);
    }

    public PivotStatusApi pivotApi(Clock clock) {
        return PivotStatusApi.create(server.base(PREFIX), PIVOT_MERCHANT, PIVOT_SECRET,
                PivotStatusApi.DEFAULT_BULK_ITEMS_PATH, StubServer.CONNECT_TIMEOUT_MS, StubServer.TIMEOUT_MS, clock);
    }

    /** The reconciler function's variables for this stub. */
    public Map<String, String> environment() {
        return Map.of("PIVOT_API_BASE_URL", server.base(PREFIX), "PIVOT_MERCHANT_ID", PIVOT_MERCHANT,
                "PIVOT_MERCHANT_SECRET", PIVOT_SECRET);
    }

    public static Reply pivotItem(String reference, String status, String amount, String reason) {
        return Reply.json(200, "{\"code\":\"00\",\"message\":\"Success\",\"data\":{\"uuid\":\"pv-" + reference
                + "\",\"referenceId\":\"" + reference + "\",\"amount\":{\"currency\":\"IDR\",\"value\":\"" + amount
                + "\"},\"status\":\"" + status + "\",\"reason\":" + (reason == null ? "null" : "\"" + reason + "\"")
                + ",\"beneficiaryName\":\"Budi Santoso\",\"accountNumber\":\"1234567890\"}}");
    }

    public static Reply pivotNotFound() {
        return Reply.json(404, "{\"code\":\"404\",\"message\":\"Payout not found\",\"data\":null}");
    }

    /** Forgets every token issued (as if they expired at Pivot's end). */
    public void revokePivotTokens() {
        validTokens.clear();
    }

    public int pivotPolls() {
        return server.requests(PREFIX + "/v1/payouts/").size();
    }

    private Reply token(Request r) {
        JsonNode body = StubServer.parse(r.body());
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

    private Reply payout(Request r) {
        String auth = r.header("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !validTokens.contains(auth.substring(7))) {
            return Reply.json(401, "{\"code\":\"401\",\"message\":\"Invalid token\"}");
        }
        String id = URLDecoder.decode(r.path().substring((PREFIX + "/v1/payouts/").length()), StandardCharsets.UTF_8);
        Map<String, Reply> answers = "type=bulk".equals(r.query()) ? pivotBulk
                : "type=single".equals(r.query()) ? pivot : Map.of();
        return server.scripted(id, answers);
    }

    @Override
    public void close() {
        if (ownsServer) {
            server.close();
        }
    }
}
