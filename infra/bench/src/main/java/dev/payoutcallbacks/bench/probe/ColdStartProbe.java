package dev.payoutcallbacks.bench.probe;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of the cold-start benchmark: what Lambda does on a cold start, minus the runtime client.
 * Class path: the function's deployment jar + this probe's own tiny jar; environment: what the function's
 * Lambda would have (handler settings, AWS_REGION, credentials, JAVA_TOOL_OPTIONS).
 *
 * <pre>
 * java -cp &lt;function.jar&gt;:bench-probe.jar dev.payoutcallbacks.bench.probe.ColdStartProbe \
 *      &lt;launchEpochMillis&gt; &lt;handlerClass&gt; &lt;eventsFile&gt; &lt;warmups&gt; &lt;measured&gt;
 * </pre>
 *
 * It constructs the handler with its no-argument constructor (as Lambda does, reading System.getenv), answers
 * the first event of the file, then — after the cold figures are taken — the warm series, and prints one line:
 * {@code PROBE main=<ms> init=<ms> first=<ms> status=<code> warm=<n> warmOk=<n> warmMedianUs=<us> warmP90Us=<us>},
 * every ms figure counted from the parent's launch timestamp (same machine clock).
 *
 * <p>The events file: blocks separated by a line {@code ---}; in a block, {@code H name: value} (header),
 * {@code I sourceIp}, {@code P path}, {@code B body} (one line).
 */
public final class ColdStartProbe {
    private ColdStartProbe() {
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        long launch = Long.parseLong(args[0]);
        long mainAt = System.currentTimeMillis() - launch;
        String handlerClass = args[1];
        Path events = Path.of(args[2]);
        int warmups = Integer.parseInt(args[3]);
        int measured = Integer.parseInt(args[4]);

        List<String> firstBlock = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null && !line.equals("---")) {
                firstBlock.add(line);
            }
        }

        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler =
                (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>)
                        Class.forName(handlerClass).getConstructor().newInstance();
        long initAt = System.currentTimeMillis() - launch;

        APIGatewayV2HTTPResponse first = handler.handleRequest(event(firstBlock), new ProbeContext(0));
        long firstAt = System.currentTimeMillis() - launch;

        List<List<String>> rest = blocks(events);
        rest.remove(0);
        int ok = 0;
        long[] nanos = new long[Math.min(measured, Math.max(0, rest.size() - warmups))];
        for (int i = 0; i < rest.size() && i < warmups + nanos.length; i++) {
            APIGatewayV2HTTPEvent e = event(rest.get(i));
            long t0 = System.nanoTime();
            APIGatewayV2HTTPResponse r = handler.handleRequest(e, new ProbeContext(i + 1));
            long t = System.nanoTime() - t0;
            if (i >= warmups) {
                nanos[i - warmups] = t;
                if (r.getStatusCode() == 200) {
                    ok++;
                }
            }
        }
        Arrays.sort(nanos);
        long median = nanos.length == 0 ? -1 : nanos[nanos.length / 2] / 1000;
        long p90 = nanos.length == 0 ? -1 : nanos[(int) Math.min(nanos.length - 1, Math.round(nanos.length * 0.9))] / 1000;
        System.out.println("PROBE main=" + mainAt + " init=" + initAt + " first=" + firstAt
                + " status=" + first.getStatusCode() + " warm=" + nanos.length + " warmOk=" + ok
                + " warmMedianUs=" + median + " warmP90Us=" + p90);
        System.out.flush();
        // DynamoDB clients leave no non-daemon threads in either jar, but do not depend on it.
        System.exit(0);
    }

    private static List<List<String>> blocks(Path file) throws IOException {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.equals("---")) {
                blocks.add(current);
                current = new ArrayList<>();
            } else {
                current.add(line);
            }
        }
        if (!current.isEmpty()) {
            blocks.add(current);
        }
        return blocks;
    }

    static APIGatewayV2HTTPEvent event(List<String> block) {
        Map<String, String> headers = new LinkedHashMap<>();
        String body = null;
        String sourceIp = "203.0.113.10";
        String path = "/";
        for (String line : block) {
            if (line.startsWith("H ")) {
                int colon = line.indexOf(':');
                headers.put(line.substring(2, colon).trim(), line.substring(colon + 1).trim());
            } else if (line.startsWith("B ")) {
                body = line.substring(2);
            } else if (line.startsWith("I ")) {
                sourceIp = line.substring(2).trim();
            } else if (line.startsWith("P ")) {
                path = line.substring(2).trim();
            }
        }
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod("POST");
        http.setPath(path);
        http.setProtocol("HTTP/1.1");
        http.setSourceIp(sourceIp);
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setHttp(http);
        context.setRequestId("probe-" + System.nanoTime());
        context.setRouteKey("POST " + path);
        context.setStage("$default");
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey("POST " + path);
        event.setRawPath(path);
        event.setHeaders(headers);
        event.setRequestContext(context);
        event.setBody(body);
        event.setIsBase64Encoded(false);
        return event;
    }

    /** The Lambda context of an invocation; constant values, no UUID generation (Lambda hands them in). */
    static final class ProbeContext implements Context {
        private final String requestId;

        ProbeContext(int n) {
            this.requestId = "probe-request-" + n;
        }

        @Override public String getAwsRequestId() { return requestId; }
        @Override public String getLogGroupName() { return "/aws/lambda/probe"; }
        @Override public String getLogStreamName() { return "probe"; }
        @Override public String getFunctionName() { return System.getenv("AWS_LAMBDA_FUNCTION_NAME"); }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:probe"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 10_000; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String message) { System.out.print(message); }
                @Override public void log(byte[] message) { System.out.print(new String(message, StandardCharsets.UTF_8)); }
            };
        }
    }
}
