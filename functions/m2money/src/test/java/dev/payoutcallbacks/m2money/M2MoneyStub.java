package dev.payoutcallbacks.m2money;

import dev.payoutcallbacks.core.testing.StubServer;
import dev.payoutcallbacks.core.testing.StubServer.Reply;
import dev.payoutcallbacks.core.testing.StubServer.Request;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * M2Money's (Xettle's) order status API on a loopback {@link StubServer}: checks Basic auth and the
 * HMAC-SHA256 {@code Signature} of the path independently of the code under test (a refusal is M2Money's
 * 0x0201 envelope), and answers each order as scripted; an unscripted one gets a 500. Standalone or shared.
 */
public final class M2MoneyStub implements AutoCloseable {
    public static final String PREFIX = "/m2money";
    public static final String M2_USER = "m2-user";
    public static final String M2_PASSWORD = "m2-password";
    public static final String M2_SIGNATURE_SECRET = "m2-signature-secret";

    public final StubServer server;
    public final Map<String, Reply> m2money = new ConcurrentHashMap<>();
    private final boolean ownsServer;

    public M2MoneyStub() throws IOException {
        this(new StubServer(), true);
    }

    /** On a server shared with other providers' stubs (closed by its owner). */
    public M2MoneyStub(StubServer shared) {
        this(shared, false);
    }

    private M2MoneyStub(StubServer server, boolean ownsServer) {
        this.server = server;
        this.ownsServer = ownsServer;
        server.route(PREFIX + "/v1/service/payout/orders/", this::order);
    }

    public M2MoneyStatusApi m2moneyApi(Clock clock) {
        return M2MoneyStatusApi.create(server.base(PREFIX), M2_USER, M2_PASSWORD, M2_SIGNATURE_SECRET,
                StubServer.CONNECT_TIMEOUT_MS, StubServer.TIMEOUT_MS, clock);
    }

    /** The reconciler function's variables for this stub. */
    public Map<String, String> environment() {
        return Map.of("M2MONEY_API_BASE_URL", server.base(PREFIX), "M2MONEY_API_USER", M2_USER,
                "M2MONEY_API_PASSWORD", M2_PASSWORD, "M2MONEY_API_SIGNATURE_SECRET", M2_SIGNATURE_SECRET);
    }

    public static Reply m2Order(String reference, String status, String amountJson, String utr) {
        return m2Order("0x0200", "SUCCESS", reference, status, amountJson, utr);
    }

    public static Reply m2Order(String code, String callStatus, String reference, String status, String amountJson,
                                String utr) {
        return Reply.json(200, "{\"code\":\"" + code + "\",\"status\":\"" + callStatus + "\",\"message\":\"Order fetched\","
                + "\"data\":{\"orderRefId\":\"ord-" + reference + "\",\"clientRefId\":\"" + reference + "\","
                + "\"firstName\":\"Asha\",\"lastName\":\"Verma\",\"phone\":\"9876543210\",\"amount\":" + amountJson
                + ",\"status\":\"" + status + "\",\"utr\":" + (utr == null ? "null" : "\"" + utr + "\"")
                + ",\"reason\":" + ("failed".equals(status) ? "\"Beneficiary bank down\"" : "null") + "}}");
    }

    public static Reply m2NoOrdersFound() {
        return Reply.json(200, "{\"code\":\"0x0202\",\"status\":\"FAILURE\",\"message\":\"No orders found\",\"data\":[]}");
    }

    public int m2moneyPolls() {
        return server.requests(PREFIX + "/").size();
    }

    private Reply order(Request r) {
        String expectedAuth = "Basic " + Base64.getEncoder().encodeToString(
                (M2_USER + ":" + M2_PASSWORD).getBytes(StandardCharsets.UTF_8));
        String expectedSignature = StubServer.hex(StubServer.hmac("HmacSHA256", M2_SIGNATURE_SECRET,
                r.path().getBytes(StandardCharsets.UTF_8)));
        if (!"GET".equals(r.method()) || !expectedAuth.equals(r.header("Authorization"))
                || !MessageDigest.isEqual(expectedSignature.getBytes(StandardCharsets.UTF_8),
                        String.valueOf(r.header("Signature")).getBytes(StandardCharsets.UTF_8))) {
            return Reply.json(200, "{\"code\":\"0x0201\",\"status\":\"UNAUTHORIZED\",\"message\":\"Unauthorized\"}");
        }
        String id = URLDecoder.decode(r.path().substring((PREFIX + "/v1/service/payout/orders/").length()),
                StandardCharsets.UTF_8);
        return server.scripted(id, m2money);
    }

    @Override
    public void close() {
        if (ownsServer) {
            server.close();
        }
    }
}
