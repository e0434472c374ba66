package dev.payoutcallbacks.correctness.support;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * API Gateway (payload 2.0) events with an exact byte body (base64 when it is not valid UTF-8, as API Gateway
 * does) and headers as given (no lower-casing), authenticated per provider in one of several ways.
 */
public final class RawRequests {
    private RawRequests() {
    }

    /** How a request authenticates. */
    public enum Auth {
        /** The provider's credential, computed over the exact bytes. */
        VALID,
        /** No credential header at all. */
        MISSING,
        /** A wrong secret (or a MAC under a secret that is not configured, e.g. retired). */
        WRONG_SECRET,
        /** A MAC that was valid for another body (a replayed signature on a changed body). */
        OTHER_BODY,
        /** The right credential from a source outside Comm.Pix's allow list (others: same as VALID). */
        OUTSIDE_ALLOW_LIST
    }

    /** Header-name spelling of the credential headers. */
    public enum Case { LOWER, UPPER, CANONICAL }

    /** Whether a request authenticated this way must be accepted as authentic by {@code provider}. */
    public static boolean authentic(String provider, Auth auth) {
        return switch (auth) {
            case VALID -> true;
            case MISSING, WRONG_SECRET -> false;
            // A MAC of another body only fails where the body is signed; a token is the same for every body.
            case OTHER_BODY -> !provider.equals(Providers.CALYPSO) && !provider.equals(Providers.M2MONEY);
            case OUTSIDE_ALLOW_LIST -> !provider.equals(Providers.COMMPIX);
        };
    }

    public static APIGatewayV2HTTPEvent request(String provider, byte[] body, Auth auth, Case nameCase) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(name("content-type", nameCase), "application/json");
        byte[] signed = auth == Auth.OTHER_BODY ? "{\"another\":\"body\"}".getBytes(StandardCharsets.UTF_8) : body;
        boolean credential = auth != Auth.MISSING;
        String sourceIp = Providers.ALLOWED_IP;
        switch (provider) {
            case Providers.SLATE -> {
                if (credential) {
                    headers.put(name("X-Internal-Secret", nameCase), secret(auth, "INTERNAL_SECRETS"));
                }
            }
            case Providers.PIVOT -> {
                if (credential) {
                    headers.put(name("X-API-Key", nameCase), secret(auth, "PIVOT_CALLBACK_API_KEYS"));
                }
            }
            case Providers.CALYPSO -> {
                if (credential) {
                    headers.put(name("Sign", nameCase), Providers.hmacHex("HmacSHA512", secret(auth, "CALYPSO_WEBHOOK_SECRETS"), signed));
                }
                headers.put(name("Key", nameCase), Providers.CALYPSO_KEY);
            }
            case Providers.M2MONEY -> {
                if (credential) {
                    headers.put(name("Signature", nameCase), Providers.hmacHex("HmacSHA256", secret(auth, "M2MONEY_WEBHOOK_SECRETS"), signed));
                }
            }
            case Providers.COMMPIX -> {
                if (credential) {
                    headers.put(name("X-Webhook-Token", nameCase), secret(auth, "COMMPIX_TOKENS"));
                }
                if (auth == Auth.OUTSIDE_ALLOW_LIST) {
                    sourceIp = "198.51.100.77";
                }
            }
            default -> throw new IllegalArgumentException(provider);
        }
        return event(Providers.path(provider), body, headers, sourceIp);
    }

    private static String secret(Auth auth, String parameter) {
        String real = Providers.secret(parameter);
        return auth == Auth.WRONG_SECRET ? real + "-retired" : real;
    }

    private static String name(String canonical, Case nameCase) {
        return switch (nameCase) {
            case LOWER -> canonical.toLowerCase(Locale.ROOT);
            case UPPER -> canonical.toUpperCase(Locale.ROOT);
            case CANONICAL -> canonical;
        };
    }

    public static APIGatewayV2HTTPEvent event(String path, byte[] body, Map<String, String> headers, String sourceIp) {
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod("POST");
        http.setPath(path);
        http.setProtocol("HTTP/1.1");
        http.setSourceIp(sourceIp);
        APIGatewayV2HTTPEvent.RequestContext ctx = new APIGatewayV2HTTPEvent.RequestContext();
        ctx.setHttp(http);
        ctx.setRequestId(UUID.randomUUID().toString());
        ctx.setRouteKey("POST " + path);
        ctx.setStage("$default");
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey("POST " + path);
        event.setRawPath(path);
        event.setHeaders(headers);
        event.setRequestContext(ctx);
        String text = utf8(body);
        if (text != null) {
            event.setBody(text);
            event.setIsBase64Encoded(false);
        } else {
            event.setBody(Base64.getEncoder().encodeToString(body));
            event.setIsBase64Encoded(true);
        }
        return event;
    }

    /** The text when the bytes are valid UTF-8, else null. */
    public static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
