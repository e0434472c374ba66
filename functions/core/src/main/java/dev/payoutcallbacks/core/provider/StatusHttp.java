package dev.payoutcallbacks.core.provider;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A provider status API's HTTP client (JDK HttpClient, no extra dependency): one {@link HttpClient} per container (built with the API in the reconciler's
 * initialisation), short timeouts, no redirects, a bound on the answer's size. Every failure to get an answer
 * becomes a {@link Trouble} whose message is safe to store and log (no URL, no header, no body).
 *
 * <p>Env: RECONCILER_HTTP_CONNECT_TIMEOUT_MS (default 2000), RECONCILER_HTTP_TIMEOUT_MS (default 5000: the
 * whole exchange, answer body included).
 */
public final class StatusHttp {
    public static final int MAX_ANSWER_BYTES = 512 * 1024;

    /** An answer as received: HTTP status and body bytes. */
    public record Answer(int status, byte[] body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** No answer to read: timeout, connection failure, oversized answer. */
    public static final class Trouble extends Exception {
        public Trouble(String message) {
            super(message);
        }
    }

    private final HttpClient client;
    private final Duration timeout;

    public StatusHttp(Duration connectTimeout, Duration timeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.timeout = timeout;
    }

    public static StatusHttp fromEnvironment(FunctionEnvironment env) {
        return new StatusHttp(Duration.ofMillis(env.intOrDefault("RECONCILER_HTTP_CONNECT_TIMEOUT_MS", 2000)),
                Duration.ofMillis(env.intOrDefault("RECONCILER_HTTP_TIMEOUT_MS", 5000)));
    }

    public Answer send(HttpRequest.Builder request) throws Trouble {
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request.timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        try {
            // The request timeout covers the wait for the headers only; this bounds the body as well.
            HttpResponse<byte[]> response = future.get(timeout.toMillis() + 250, TimeUnit.MILLISECONDS);
            byte[] body = response.body() == null ? new byte[0] : response.body();
            if (body.length > MAX_ANSWER_BYTES) {
                throw new Trouble("answer larger than " + MAX_ANSWER_BYTES + " bytes");
            }
            return new Answer(response.statusCode(), body);
        } catch (TimeoutException slow) {
            future.cancel(true);
            throw new Trouble("timed out after " + timeout.toMillis() + " ms");
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause() == null ? failed : failed.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new Trouble("timed out after " + timeout.toMillis() + " ms");
            }
            throw new Trouble("no answer (" + cause.getClass().getSimpleName() + ")");
        } catch (InterruptedException interrupted) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new Trouble("interrupted");
        }
    }

    /** One path segment, percent-encoded (a space is %20, not +). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A base URL without its trailing slashes. */
    public static String base(String url) {
        String trimmed = url.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (!trimmed.startsWith("https://") && !trimmed.startsWith("http://")) {
            throw new IllegalArgumentException("status API base URL must be http(s)://...");
        }
        return trimmed;
    }
}
