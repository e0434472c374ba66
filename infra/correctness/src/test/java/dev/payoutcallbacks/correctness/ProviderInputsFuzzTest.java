package dev.payoutcallbacks.correctness;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.payoutcallbacks.core.lambda.CallbackLog;
import dev.payoutcallbacks.core.lambda.CallbackReceiver;
import dev.payoutcallbacks.core.ledger.LedgerSettings;
import dev.payoutcallbacks.core.ledger.PayoutLedger;
import dev.payoutcallbacks.core.ledger.PayoutTable;
import dev.payoutcallbacks.core.ledger.Quarantine;
import dev.payoutcallbacks.core.testing.ProviderFixture;
import dev.payoutcallbacks.core.testing.ProviderFixtures;
import dev.payoutcallbacks.correctness.support.Evidence;
import dev.payoutcallbacks.correctness.support.Histories;
import dev.payoutcallbacks.correctness.support.Providers;
import dev.payoutcallbacks.correctness.support.RawRequests;
import dev.payoutcallbacks.correctness.support.RawRequests.Auth;
import dev.payoutcallbacks.correctness.support.StubDynamoDb;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing (Jazzer, libFuzzer for the JVM) of every provider's authenticate + parse +
 * translate + apply path, through the real {@link CallbackReceiver} with each provider's real callbacks and
 * an in-memory table ({@link StubDynamoDb}: millions of inputs a minute, DynamoDB's key limits enforced).
 *
 * <p>Input: byte 0 picks the route (each provider's fixture in template order, then the fixtures' variants, such as
 * Comm.Pix with HMAC), byte 1 how it authenticates (valid credential over the exact bytes, none, a wrong or retired secret, a MAC of another
 * body, a sender outside the allow list), whether the body travels base64-encoded and the header-name case;
 * the rest is the body. Properties checked on every input:
 * <ul>
 *   <li>no exception escapes the receiver, and no 5xx (the table is healthy);</li>
 *   <li>never a 2xx without authentication, and nothing written for an unauthenticated request;</li>
 *   <li>a 2xx is an applied ledger result (a write happened) or a quarantine (the raw bytes were kept);</li>
 *   <li>an authenticated request that is not applied keeps its exact raw body in the quarantine (413 aside);</li>
 *   <li>the callback log line never holds a configured secret.</li>
 * </ul>
 *
 * <p>Runs in its own JVM (Surefire execution {@code fuzz}): fuzzing for {@code -Dfuzz.seconds} (default 15,
 * about 3 s per route) by default, regression only (seeds) with {@code -Dfuzz=false}. Seeds: every body in
 * events/ and generated histories. Findings are written to target/fuzz/.
 */
class ProviderInputsFuzzTest {
    private static final List<ProviderFixture> ROUTES = routes();
    private static final Set<String> APPLIED = Set.of("APPLIED", "DUPLICATE", "STALE", "CONFLICT", "RECORDED");

    private static final StubDynamoDb DB = new StubDynamoDb();
    private static final Map<String, CallbackReceiver> RECEIVERS = new TreeMap<>();
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    private static final List<String> SECRETS = new ArrayList<>(Providers.configuredSecrets());
    private static final Map<String, AtomicLong> STATS = new ConcurrentHashMap<>();
    private static final boolean KNOWN_BUGS_FAIL = "fail".equals(System.getProperty("correctness.knownBugs"));

    static {
        Clock clock = Clock.systemUTC();
        PayoutTable table = new PayoutTable(DB, "fuzz");
        PayoutLedger ledger = new PayoutLedger(table, clock, LedgerSettings.defaults().withMaxAttempts(2));
        Quarantine quarantine = new Quarantine(table, clock);
        DB.opener = quarantine::open;
        for (ProviderFixture route : ROUTES) {
            // Each provider's real callbacks, as its function builds them from the local settings (and a variant's).
            Map<String, String> env = Providers.environment(Providers.localParameters(), route);
            RECEIVERS.put(route.route(), new CallbackReceiver(route.callbacks(env), ledger, quarantine,
                    CallbackReceiver.DEFAULT_MAX_BODY_BYTES, clock));
            route.settings().values().forEach(SECRETS::add);
        }
        CallbackLog.redirect(new PrintStream(LOG, true, StandardCharsets.UTF_8));
    }

    /** Every provider's fixture in template order, then their variants (the seeds' route numbers stay put). */
    private static List<ProviderFixture> routes() {
        List<ProviderFixture> routes = new ArrayList<>(Providers.all());
        Providers.all().forEach(f -> routes.addAll(f.variants()));
        return List.copyOf(routes);
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void receivePathHoldsItsPromises(byte[] input) {
        if (input.length < 2) {
            return;
        }
        ProviderFixture fixture = ROUTES.get(Math.floorMod(input[0], ROUTES.size()));
        String route = fixture.route();
        int flags = input[1] & 0xFF;
        Auth auth = switch (flags & 0x7) {
            case 4 -> Auth.MISSING;
            case 5 -> Auth.WRONG_SECRET;
            case 6 -> Auth.OTHER_BODY;
            case 7 -> Auth.OUTSIDE_ALLOW_LIST;
            default -> Auth.VALID;
        };
        boolean base64 = (flags & 0x8) != 0;
        RawRequests.Case nameCase = (flags & 0x10) != 0 ? RawRequests.Case.UPPER : RawRequests.Case.LOWER;
        byte[] body = Arrays.copyOfRange(input, 2, input.length);
        APIGatewayV2HTTPEvent event = RawRequests.request(fixture, body, auth, nameCase);
        if (base64 && !event.getIsBase64Encoded()) {
            event.setBody(Base64.getEncoder().encodeToString(body));
            event.setIsBase64Encoded(true);
        }
        boolean authentic = RawRequests.authentic(fixture, auth);

        DB.reset();
        LOG.reset();
        int rejectionsBefore = DB.keyRejections;
        APIGatewayV2HTTPResponse answer = RECEIVERS.get(route).receive(event, null); // an exception is a finding
        int status = answer.getStatusCode();
        JsonNode json = parse(answer.getBody());
        String result = json.path("result").asText("");
        count(route + " " + status + (APPLIED.contains(result) ? " " + result : json.has("quarantineId") ? " quarantined" : ""));

        if (status >= 500 && DB.keyRejections > rejectionsBefore && !KNOWN_BUGS_FAIL) {
            count("known BUG-A (identifier over DynamoDB's key limit answered " + status + ")");
            return; // BUG-A, see HostileInputTest#overLongIdentifiersAreAnsweredNotRetriedForEver
        }
        if (status >= 500) {
            throw new AssertionError(route + ": answered " + status + " " + answer.getBody() + " with a healthy table"
                    + (DB.keyRejections > 0 ? " (DynamoDB would refuse a key longer than its limit)" : ""));
        }
        if (!authentic) {
            boolean beforeAuth = status == 413 || status == 400 && json.has("error") && !json.has("quarantineId");
            if (status != 401 && !beforeAuth || DB.wroteAnything()) {
                throw new AssertionError(route + " " + auth + ": unauthenticated request answered " + status
                        + " (wrote " + DB.wroteAnything() + ")");
            }
        } else if (status / 100 == 2) {
            boolean applied = APPLIED.contains(result) && (!DB.payoutWrites.isEmpty() || !DB.puts.isEmpty());
            boolean quarantined = json.has("quarantineId") && keptExactly(body);
            if (!applied && !quarantined) {
                throw new AssertionError(route + ": 2xx that neither applied nor quarantined: " + answer.getBody());
            }
        } else if (status != 413) {
            if (status / 100 != 4 || status == 401 || !keptExactly(body)) {
                throw new AssertionError(route + ": authenticated request answered " + status
                        + " without keeping its raw body: " + answer.getBody());
            }
        }
        String logged = LOG.toString(StandardCharsets.UTF_8);
        String sent = new String(body, StandardCharsets.UTF_8);
        for (String secret : SECRETS) {
            // A secret the sender itself wrote into the body (e.g. as a reference) is not a leak of ours.
            if (logged.contains(secret) && !sent.contains(secret)) {
                throw new AssertionError(route + ": the log line holds a configured secret");
            }
        }
    }

    private static boolean keptExactly(byte[] body) {
        return DB.quarantinedBodies.size() == 1 && Arrays.equals(DB.quarantinedBodies.get(0), body);
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode parse(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("answer is not JSON: " + body, e);
        }
    }

    private static void count(String key) {
        STATS.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    @AfterAll
    static void figures() {
        CallbackLog.redirect(System.out);
        long total = STATS.entrySet().stream().filter(e -> !e.getKey().startsWith("known")).mapToLong(e -> e.getValue().get()).sum();
        Map<String, Long> byRoute = new TreeMap<>();
        STATS.forEach((k, v) -> {
            if (!k.startsWith("known")) {
                byRoute.merge(k.substring(0, k.indexOf(' ')), v.get(), Long::sum);
            }
        });
        Evidence.print("fuzz", "executions=" + total + " by route " + byRoute + " fuzzing="
                + System.getProperty("JAZZER_FUZZ", "false"));
        Evidence.print("fuzz", "answers " + new TreeMap<>(STATS.entrySet().stream().collect(
                Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()))));
    }

    /** Seeds: every sample event body of events/, valid, for its route; plus generated histories' bodies. */
    static Stream<byte[]> seeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        SamTemplate template = SamTemplate.find();
        Path events = template.projectDir().resolve("events");
        ObjectMapper json = new ObjectMapper();
        for (int route = 0; route < Providers.all().size(); route++) {
            Path d = events.resolve(ProviderFixtures.function(template, Providers.all().get(route).handlerClass().getName()).orElseThrow());
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.list(d)) {
                for (Path f : files.sorted().toList()) {
                    JsonNode e = json.readTree(f.toFile());
                    if (e.hasNonNull("body")) {
                        seeds.add(seed(route, 0, e.get("body").asText().getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        Histories histories = new Histories(42);
        List<String> providers = Providers.names();
        for (int i = 0; i < 15; i++) {
            String provider = providers.get(i % providers.size());
            for (Histories.Planned planned : histories.payout("seed", provider).outcomes()) {
                for (Histories.Route r : planned.routes()) {
                    seeds.add(seed(providers.indexOf(r.provider()), i % 3 == 0 ? 0x10 : 0, r.body().getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        return seeds.stream();
    }

    private static byte[] seed(int route, int flags, byte[] body) {
        byte[] s = new byte[body.length + 2];
        s[0] = (byte) route;
        s[1] = (byte) flags;
        System.arraycopy(body, 0, s, 2, body.length);
        return s;
    }
}
