package dev.payoutcallbacks.calypso;

import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.core.testing.StubServer;
import dev.payoutcallbacks.core.testing.StubServer.Reply;
import dev.payoutcallbacks.core.testing.StubServer.Request;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calypso's payout API on a loopback {@link StubServer}: checks {@code Key} and the HMAC-SHA512 {@code Sign} of
 * the exact body independently of the code under test, and answers each payout as scripted (found by its
 * idempotencyKey, else its id); an unscripted one gets a 500. Standalone or on a shared server.
 */
public final class CalypsoStub implements AutoCloseable {
    public static final String PREFIX = "/calypso";
    public static final String CALYPSO_ACCOUNT = "calypso-account-1";
    public static final String CALYPSO_KEY = "calypso-api-key";
    public static final String CALYPSO_SECRET = "calypso-api-secret";

    public final StubServer server;
    public final Map<String, Reply> calypso = new ConcurrentHashMap<>();
    private final boolean ownsServer;

    public CalypsoStub() throws IOException {
        this(new StubServer(), true);
    }

    /** On a server shared with other providers' stubs (closed by its owner). */
    public CalypsoStub(StubServer shared) {
        this(shared, false);
    }

    private CalypsoStub(StubServer server, boolean ownsServer) {
        this.server = server;
        this.ownsServer = ownsServer;
        server.route(PREFIX + "/api/v1/payout", this::payout);
    }

    public CalypsoStatusApi calypsoApi(Clock clock) {
        return CalypsoStatusApi.create(server.base(PREFIX), CALYPSO_ACCOUNT, CALYPSO_KEY, CALYPSO_SECRET,
                StubServer.CONNECT_TIMEOUT_MS, StubServer.TIMEOUT_MS, clock);
    }

    /** The reconciler function's variables for this stub. */
    public Map<String, String> environment() {
        return Map.of("CALYPSO_API_BASE_URL", server.base(PREFIX), "CALYPSO_ACCOUNT", CALYPSO_ACCOUNT,
                "CALYPSO_API_KEY", CALYPSO_KEY, "CALYPSO_API_SECRET", CALYPSO_SECRET);
    }

    public static Reply calypsoState(String reference, String state, String amountJson, String hash) {
        return Reply.json(200, "{\"id\":2849201733301,\"externalId\":\"" + reference + "\",\"idempotencyKey\":\""
                + reference + "\",\"state\":\"" + state + "\",\"amount\":" + amountJson
                + ",\"currency\":\"USDT_TRX\",\"transactionHash\":" + (hash == null ? "null" : "\"" + hash + "\"")
                + ",\"errors\":[]}");
    }

    public static Reply calypsoErrors(int status, String errorsJson) {
        return Reply.json(status, "{\"errors\":" + errorsJson + "}");
    }

    public int calypsoPolls() {
        return server.requests(PREFIX + "/").size();
    }

    private Reply payout(Request r) {
        JsonNode body = StubServer.parse(r.body());
        boolean signed = CALYPSO_KEY.equals(r.header("Key")) && StubServer.hex(StubServer.hmac("HmacSHA512",
                CALYPSO_SECRET, r.body())).equalsIgnoreCase(String.valueOf(r.header("Sign")));
        if (!"POST".equals(r.method()) || !signed || body == null
                || !CALYPSO_ACCOUNT.equals(body.path("account").asText()) || !body.path("timestamp").isIntegralNumber()) {
            return calypsoErrors(401, "[\"invalid sign\"]");
        }
        JsonNode payload = body.path("payload");
        String id = payload.has("idempotencyKey") ? payload.get("idempotencyKey").asText() : payload.path("id").asText();
        return server.scripted(id, calypso);
    }

    @Override
    public void close() {
        if (ownsServer) {
            server.close();
        }
    }
}
