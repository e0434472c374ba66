package dev.payoutcallbacks.correctness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.payoutcallbacks.core.lambda.CallbackLog;
import dev.payoutcallbacks.core.ledger.PayoutHistory;
import dev.payoutcallbacks.core.provider.PersonalData;
import dev.payoutcallbacks.core.testing.TestTables;
import dev.payoutcallbacks.correctness.support.Deliverer;
import dev.payoutcallbacks.correctness.support.Evidence;
import dev.payoutcallbacks.correctness.support.FaultProxy;
import dev.payoutcallbacks.correctness.support.Histories;
import dev.payoutcallbacks.correctness.support.Providers;
import dev.payoutcallbacks.correctness.support.RawRequests;
import dev.payoutcallbacks.correctness.support.RawRequests.Auth;
import dev.payoutcallbacks.local.LocalFunctions;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * No log line holds a configured secret or a personal value; secrets are compared in constant time.
 *
 * <p>The runtime check drives every path that logs (every sample event of events/ through the functions
 * template.yaml declares, generated histories with personal data, unauthenticated and forged requests,
 * malformed and unknown callbacks that are quarantined, and 503s from an unavailable table) while capturing
 * the callback log and System.out/System.err, then looks for every configured secret and every personal
 * field value of every seed payload. The stored payout state, history and quarantine entries are checked the
 * same way (the quarantine keeps the raw body for replay, sealed: it must not show either).
 *
 * <p>The constant-time check is a source-level one: every authentication path must compare through
 * SharedSecrets (MessageDigest.isEqual, every candidate, no early exit), never with equals/Arrays.equals.
 */
class SecretsAndPersonalDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Personal field names: the core's common list plus those the provider docs name (providers.md, seeds). */
    static final Set<String> PERSONAL_FIELDS = new TreeSet<>(PersonalData.COMMON_FIELDS);

    static {
        PERSONAL_FIELDS.addAll(Set.of("accountIFSC", "card", "cardNumber", "vpaAddress", "accountHolderName", "key",
                "pixKey", "pixKeyValue", "receiverName", "receiverDocument", "receiverKey", "holderName",
                "holderDocument", "documentNumber", "payerName", "payerDocument", "approved"));
    }

    @Test
    void noLogLineHoldsASecretOrAPersonalValue() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        PrintStream out = System.out;
        PrintStream err = System.err;
        Set<String> personal = new TreeSet<>();
        List<String> bodies = new ArrayList<>();
        int invocations = 0;
        String table = TestTables.freshPayoutsTable();
        try (FaultProxy down = new FaultProxy(TestTables.dynamo().endpoint())) {
            System.setOut(capture);
            System.setErr(capture);
            CallbackLog.redirect(capture);

            // 1. Every sample event, through the function template.yaml names for it (as `sam local invoke`).
            SamTemplate template = SamTemplate.find();
            LocalFunctions functions = LocalFunctions.fromTemplate(template,
                    template.projectDir().resolve("infra/local-env.json"),
                    Map.of("TABLE_NAME", table, "DYNAMODB_ENDPOINT", TestTables.dynamo().endpoint(),
                            "AWS_REGION", "us-east-1"));
            Path events = template.projectDir().resolve("events");
            for (String logicalId : functions.all().keySet()) {
                Path dir = events.resolve(logicalId);
                if (!Files.isDirectory(dir) || !Files.exists(dir.resolve("expectations.json"))
                        || !functions.get(logicalId).routes().stream().findAny().isPresent()) {
                    continue; // only the HTTP functions: the scheduled ones reach out to provider APIs
                }
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.sorted().toList()) {
                        if (f.getFileName().toString().equals("expectations.json")) {
                            continue;
                        }
                        JsonNode event = JSON.readTree(f.toFile());
                        if (event.hasNonNull("body")) {
                            bodies.add(event.get("body").asText());
                        }
                        try {
                            functions.invoke(logicalId, event, new TestContext(logicalId));
                        } catch (RuntimeException e) {
                            capture.println("invoke threw: " + e); // the message is checked like a log line
                        }
                        invocations++;
                    }
                }
            }

            // 2. Generated histories (M2Money bodies carry names, e-mail, phone; reasons quote the phone).
            var handlers = Providers.handlers(Providers.environment(table, TestTables.dynamo().endpoint()));
            Histories generator = new Histories(99);
            List<Histories.Payout> payouts = new ArrayList<>();
            List<String> providers = Providers.names();
            for (int i = 0; i < 15; i++) {
                payouts.add(generator.payout("pii", providers.get(i % providers.size())));
            }
            Deliverer deliverer = new Deliverer(handlers);
            for (Histories.Payout p : payouts) {
                for (Histories.Delivery d : generator.deliveries(p)) {
                    bodies.add(d.route().body());
                    deliverer.deliver(d);
                    invocations++;
                }
            }

            // 3. Unauthenticated, forged, malformed, unknown: each provider, bodies full of personal data.
            String pii = "{\"event\":\"x\",\"type\":\"x\",\"data\":{\"firstName\":\"Zelindapii\",\"email\":\"zelinda.pii@example.invalid\","
                    + "\"phone\":\"5511987654321\",\"accountNumber\":\"00012345678901\",\"pixKey\":\"zelinda.key@example.invalid\"}";
            for (String provider : providers) {
                for (String body : List.of(pii + "}", pii, "{\"payout_reference\":\"r-pii\",\"status\":\"teleported\","
                        + "\"email\":\"zelinda.pii@example.invalid\"}")) {
                    bodies.add(body);
                    for (Auth auth : new Auth[] {Auth.VALID, Auth.WRONG_SECRET, Auth.OUTSIDE_ALLOW_LIST}) {
                        handlers.get(provider).apply(RawRequests.request(Providers.fixture(provider),
                                body.getBytes(StandardCharsets.UTF_8), auth, RawRequests.Case.LOWER));
                        invocations++;
                    }
                }
                // A request presenting another provider's real secret in this provider's header.
                String other = providers.get(provider.equals(providers.get(0)) ? 1 : 0);
                handlers.get(provider).apply(Providers.signed(other, pii + "}"));
                invocations++;
            }

            // 4. The table unavailable (every request refused by the proxy): 503s and their log lines.
            down.plan((op, body) -> FaultProxy.Fault.TABLE_NOT_FOUND);
            var failing = Providers.handlers(Providers.environment(table, down.endpoint()));
            for (Histories.Payout p : payouts.subList(0, 5)) {
                Histories.Delivery d = generator.deliveries(p).get(0);
                failing.get(d.route().provider()).apply(Providers.signed(d.route().provider(), d.route().body()));
                invocations++;
            }
        } finally {
            CallbackLog.redirect(out);
            System.setOut(out);
            System.setErr(err);
        }

        for (String body : bodies) {
            try {
                collectPersonal(JSON.readTree(body), false, personal);
            } catch (IOException notJson) {
                // hostile bodies: their personal values are listed below
            }
        }
        personal.addAll(List.of("Zelindapii", "zelinda.pii@example.invalid", "5511987654321", "00012345678901",
                "zelinda.key@example.invalid"));
        String logged = captured.toString(StandardCharsets.UTF_8);
        List<String> secrets = Providers.configuredSecrets();
        List<String> leaks = new ArrayList<>();
        for (String secret : secrets) {
            if (logged.contains(secret)) {
                leaks.add("secret " + secret.substring(0, 3) + "... in a log line");
            }
        }
        for (String value : personal) {
            if (logged.contains(value)) {
                leaks.add("personal value \"" + value + "\" in a log line: " + lineWith(logged, value));
            }
        }
        // The stored state (with its lastOutcome, expanded: it is kept deflated), the history the stream writes and
        // the quarantine entries (their bodies sealed) are checked the same way.
        TestTables.settleHistory(table);
        int items = 0;
        for (Map<String, AttributeValue> item : TestTables.scan(table)) {
            String sk = item.get("sk").s();
            if (sk.equals("STATE") || sk.startsWith("HISTORY#") || item.get("pk").s().startsWith("QUARANTINE#")) {
                items++;
                String text = item.toString() + PayoutHistory.recordedBy(null, item)
                        .map(Object::toString).orElse("");
                for (String value : personal) {
                    if (text.contains(value)) {
                        leaks.add("personal value \"" + value + "\" stored in " + item.get("pk").s() + " " + sk);
                    }
                }
            }
        }
        long lines = logged.lines().count();
        Evidence.print("secrets", "invocations=" + invocations + " logLinesCaptured=" + lines + " secretsChecked="
                + secrets.size() + " personalValuesChecked=" + personal.size() + " storedItemsChecked=" + items
                + " leaks=" + leaks.size());
        assertTrue(lines > invocations / 2, "the workload must have logged");
        assertTrue(personal.size() >= 10, "the seeds must carry personal values to look for: " + personal);
        assertEquals(List.of(), leaks);
    }

    /** Values under personal field names, at any depth; short values (under 5 characters) are skipped. */
    static void collectPersonal(JsonNode node, boolean underPersonal, Set<String> into) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                collectPersonal(f.getValue(), underPersonal || PERSONAL_FIELDS.contains(f.getKey()), into);
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectPersonal(child, underPersonal, into));
        } else if (underPersonal && node.isValueNode() && !node.isNull()) {
            String text = node.asText().trim();
            if (text.length() >= 5) {
                into.add(text);
            }
        }
    }

    private static String lineWith(String logged, String value) {
        return logged.lines().filter(l -> l.contains(value)).findFirst().map(l -> l.length() > 300 ? l.substring(0, 300) : l)
                .orElse("");
    }

    // ---- constant time ------------------------------------------------------------------------------------

    /** Identifiers that hold secret material or what is compared against it. */
    private static final Pattern SECRETISH = Pattern.compile(
            "(?i)(secret|presented|expected|signature|token|hmac|\\bmac\\b|digest|apikey|\\bsign\\b|candidate)");
    private static final Pattern COMPARISON = Pattern.compile(
            "([\\w.()\\[\\]]+)\\s*\\.\\s*(equals|equalsIgnoreCase|contentEquals|compareTo|startsWith|regionMatches)\\s*\\(([^;]*)\\)");

    @Test
    void secretsAreComparedInConstantTimeEverywhere() throws Exception {
        Path functions = SamTemplate.find().projectDir().resolve("functions");
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(functions)) {
            sources = walk.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")).sorted().toList();
        }
        List<String> problems = new ArrayList<>();
        List<String> authFiles = new ArrayList<>();
        int providerImplementations = 0;
        for (Path file : sources) {
            String source = Files.readString(file);
            String name = functions.relativize(file).toString();
            boolean auth = source.contains("SharedSecrets") || source.contains("Mac.getInstance") || source.contains("X-Internal-Secret")
                    || source.contains("boolean authentic(");
            if (!auth) {
                continue;
            }
            authFiles.add(name);
            String code = stripComments(source);
            unsafeComparisons(code).forEach(p -> problems.add(name + ":" + p));
            if (code.contains("implements ProviderCallbacks")) {
                providerImplementations++;
                String body = methodBody(code, "boolean authentic(");
                if (body == null) {
                    problems.add(name + ": no authentic(...) method found");
                } else if (!(body.contains(".matches(") || body.contains(".verify(") || body.contains("matchesAny("))
                        || body.contains("return true")) {
                    problems.add(name + ": authentic() does not go through SharedSecrets / a signature verifier: " + body.trim());
                }
            }
            problems.addAll(verifierProblems(name, code));
            if (name.endsWith("core/config/SharedSecrets.java")) {
                String matchesAny = methodBody(code, "static boolean matchesAny(");
                String loop = matchesAny == null ? null : methodBody(matchesAny, "for (");
                if (matchesAny == null || !matchesAny.contains("MessageDigest.isEqual(") || loop == null
                        || loop.contains("return") || loop.contains("break")) {
                    problems.add(name + ": matchesAny must use MessageDigest.isEqual on every candidate without an early exit: "
                            + matchesAny);
                }
            }
        }
        Evidence.print("constant-time", "authentication source files checked=" + authFiles.size()
                + " provider implementations=" + providerImplementations + " problems=" + problems.size() + " files="
                + authFiles);
        assertTrue(providerImplementations >= 5, "every provider's callbacks must be found: " + authFiles);
        assertEquals(List.of(), problems);
    }

    /**
     * The one signature verifier ({@code core/provider/WebhookSignature.java}) compares through SharedSecrets.matchesAny in its
     * check; no other file computes a MAC (a provider declares its scheme there rather than comparing MACs itself);
     * any other class named *Signature must compare through SharedSecrets.matchesAny too.
     */
    static List<String> verifierProblems(String name, String code) {
        List<String> found = new ArrayList<>();
        boolean verifier = name.endsWith("core/provider/WebhookSignature.java");
        if (verifier) {
            String check = methodBody(code, "public Failure check(byte[]");
            if (check == null || !check.contains("SharedSecrets.matchesAny(")) {
                found.add(name + ": the signature verifier's check must compare through SharedSecrets.matchesAny: " + check);
            }
        } else if (code.contains("Mac.getInstance")) {
            found.add(name + ": computes a MAC outside core/provider/WebhookSignature (declare a WebhookSignature scheme instead)");
        }
        if (!verifier && name.endsWith("Signature.java") && !code.contains("SharedSecrets.matchesAny(")) {
            found.add(name + ": a signature verifier must compare through SharedSecrets.matchesAny");
        }
        return found;
    }

    /** The verifier rule catches a MAC compared outside SharedSecrets.matchesAny. */
    @Test
    void theVerifierCheckCatchesAMacComparedOutsideTheOneVerifier() {
        String safe = "public Failure check(byte[] payload, String presented, SharedSecrets secrets) {"
                + " return SharedSecrets.matchesAny(mac, expected) ? null : Failure.MISMATCH; }";
        String unsafe = "public Failure check(byte[] payload, String presented, SharedSecrets secrets) {"
                + " return java.util.Arrays.hashCode(mac) == expected ? null : Failure.MISMATCH; }";
        assertEquals(List.of(), verifierProblems("core/src/main/java/dev/payoutcallbacks/core/provider/WebhookSignature.java", safe));
        assertEquals(1, verifierProblems("core/src/main/java/dev/payoutcallbacks/core/provider/WebhookSignature.java", unsafe).size());
        assertEquals(1, verifierProblems("pivot/src/main/java/dev/payoutcallbacks/pivot/PivotCallbacks.java",
                "byte[] m = Mac.getInstance(\"HmacSHA256\").doFinal(body);").size());
        assertEquals(1, verifierProblems("x/XSignature.java", "boolean verify() { return ok; }").size());
    }

    /** Comparisons that are not constant time on authentication material, as "line: text". */
    static List<String> unsafeComparisons(String code) {
        List<String> found = new ArrayList<>();
        int lineNo = 0;
        for (String line : code.split("\n")) {
            lineNo++;
            if (line.contains("Arrays.equals(") || line.contains("Arrays.compare(")) {
                found.add(lineNo + ": Arrays.equals on authentication material (not constant time): " + line.trim());
                continue;
            }
            Matcher m = COMPARISON.matcher(line);
            while (m.find()) {
                if (secretish(m.group(1)) || secretish(m.group(3))) {
                    found.add(lineNo + ": " + m.group(2) + " on authentication material: " + line.trim());
                }
            }
        }
        return found;
    }

    /** The check itself catches what it is meant to catch (and not header-name comparisons). */
    @Test
    void theConstantTimeCheckCatchesNonConstantTimeComparisons() {
        assertEquals(1, unsafeComparisons("return presented.equals(secret);").size());
        assertEquals(1, unsafeComparisons("if (expectedSignature.equalsIgnoreCase(header)) {").size());
        assertEquals(1, unsafeComparisons("boolean ok = Arrays.equals(expected, mac);").size());
        assertEquals(1, unsafeComparisons("return token.startsWith(apiKey);").size());
        assertEquals(0, unsafeComparisons("match |= MessageDigest.isEqual(presented, candidate);").size());
        assertEquals(0, unsafeComparisons("if (SECRET_HEADER.equalsIgnoreCase(h.getKey())) {").size());
        assertEquals(0, unsafeComparisons("if (scheme.equals(SCHEME_SHA256_PATH_USER_SECRET)) {").size());
    }

    private static boolean secretish(String expression) {
        // Constants (header names, scheme names) are not secret material; neither are map keys.
        String withoutHeaderNames = expression.replaceAll("\\b[A-Z][A-Z0-9_]*\\b", "")
                .replaceAll("\\w*(Header|HeaderName)\\b", "")
                .replaceAll("\\.get(Key|Name)\\(\\)", "");
        return SECRETISH.matcher(withoutHeaderNames).find();
    }

    private static String stripComments(String source) {
        return Pattern.compile("(?s)/\\*.*?\\*/").matcher(source).replaceAll(m -> m.group().replaceAll("[^\n]", " "))
                .replaceAll("//[^\n]*", "").replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
    }

    /** The text of the first method whose signature contains {@code signature}, braces balanced. */
    static String methodBody(String code, String signature) {
        int at = code.indexOf(signature);
        if (at < 0) {
            return null;
        }
        int open = code.indexOf('{', at);
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            if (code.charAt(i) == '{') {
                depth++;
            } else if (code.charAt(i) == '}' && --depth == 0) {
                return code.substring(open, i + 1);
            }
        }
        return null;
    }

    /** A minimal Lambda context. */
    private record TestContext(String functionName) implements Context {
        @Override public String getAwsRequestId() { return UUID.randomUUID().toString(); }
        @Override public String getLogGroupName() { return "/aws/lambda/" + functionName; }
        @Override public String getLogStreamName() { return "local"; }
        @Override public String getFunctionName() { return functionName; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 10_000; }
        @Override public int getMemoryLimitInMB() { return 512; }
        @Override public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String message) { System.out.print(message); }
                @Override public void log(byte[] message) { System.out.print(new String(message, StandardCharsets.UTF_8)); }
            };
        }
    }
}
