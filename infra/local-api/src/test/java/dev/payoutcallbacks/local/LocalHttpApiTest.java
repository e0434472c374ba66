package dev.payoutcallbacks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local run as a user meets it: an HTTP server on loopback serving the routes template.yaml declares, each
 * function in its own process under AWS's Runtime Interface Client, and the README's curl examples giving the
 * answers the README shows.
 */
class LocalHttpApiTest {
    private static final SamTemplate TEMPLATE = TestRuntime.TEMPLATE;
    private static TestRuntime local;
    private static LocalHttpApi api;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        local = new TestRuntime(false);
        api = new LocalHttpApi(local.runtime, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        api.close();
        local.close();
    }

    @Test
    void servesExactlyTheRoutesOfTemplateYaml() {
        Set<String> declared = TEMPLATE.resources("AWS::Serverless::Function").values().stream()
                .flatMap(f -> {
                    List<String> keys = new ArrayList<>();
                    f.path("Properties").path("Events").forEach(e -> {
                        if ("HttpApi".equals(e.path("Type").asText())) {
                            keys.add(e.path("Properties").path("Method").asText() + " " + e.path("Properties").path("Path").asText());
                        }
                    });
                    return keys.stream();
                }).collect(Collectors.toSet());
        Set<String> served = api.routes().stream().map(LocalFunction.Route::routeKey).collect(Collectors.toSet());
        assertEquals(declared, served);
        assertTrue(served.contains("POST /callbacks/pivot"));
        assertTrue(served.contains("GET /payouts/{reference}"));
    }

    @Test
    void unknownRouteIs404() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/nope"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, r.statusCode());
    }

    /** Each curl line of README.md, replayed as written, against the local API; "# → 200 APPLIED" is the expectation. */
    @Test
    void readmeCurlExamplesAnswerAsDocumented() throws Exception {
        List<String> lines = Files.readAllLines(TEMPLATE.projectDir().resolve("README.md"));
        int checked = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (!line.startsWith("curl ") || !line.contains("http://127.0.0.1:3000")) {
                continue;
            }
            String expectation = i + 1 < lines.size() ? lines.get(i + 1).trim() : "";
            Matcher m = Pattern.compile("# → (\\d{3})(?: (\\w+))?").matcher(expectation);
            assertTrue(m.matches(), "curl example at README line " + (i + 1) + " needs a '# → <status> [RESULT]' line");
            HttpResponse<String> r = send(Curl.parse(line), api.port());
            checked++;
            if (r.statusCode() != Integer.parseInt(m.group(1))) {
                failures.add("line " + (i + 1) + ": " + r.statusCode() + " " + r.body());
            } else if (m.group(2) != null) {
                JsonNode body = LocalFunctions.EVENTS.readTree(r.body());
                if (!m.group(2).equals(body.path("result").asText())) {
                    failures.add("line " + (i + 1) + ": " + r.body());
                }
            }
        }
        assertTrue(checked >= 8, "README has its curl examples (" + checked + ")");
        assertFalse(!failures.isEmpty(), String.join("\n", failures));
    }

    private static HttpResponse<String> send(Curl curl, int port) throws Exception {
        String url = curl.url().replace("http://127.0.0.1:3000", "http://127.0.0.1:" + port);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        curl.headers().forEach((k, v) -> b.header(k, v));
        String method = curl.method() != null ? curl.method() : curl.body() != null ? "POST" : "GET";
        b.method(method, curl.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(curl.body()));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The small part of curl's command line the README uses: -s -i -X -H -d --data-binary URL. */
    record Curl(String method, String url, Map<String, String> headers, String body) {
        static Curl parse(String line) {
            List<String> words = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            boolean quoted = false;
            boolean inWord = false;
            for (char c : line.toCharArray()) {
                if (c == '\'') {
                    quoted = !quoted;
                    inWord = true;
                } else if (c == ' ' && !quoted) {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                } else {
                    word.append(c);
                    inWord = true;
                }
            }
            if (inWord) {
                words.add(word.toString());
            }
            String method = null;
            String url = null;
            String body = null;
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < words.size(); i++) {
                String w = words.get(i);
                switch (w) {
                    case "-s", "-i" -> { }
                    case "-X" -> method = words.get(++i);
                    case "-H" -> {
                        String h = words.get(++i);
                        int colon = h.indexOf(':');
                        headers.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
                    }
                    case "-d", "--data-binary" -> body = words.get(++i);
                    default -> {
                        if (w.startsWith("http")) {
                            url = w;
                        } else {
                            throw new IllegalArgumentException("curl option the test does not know: " + w);
                        }
                    }
                }
            }
            return new Curl(method, url, headers, body);
        }
    }
}
