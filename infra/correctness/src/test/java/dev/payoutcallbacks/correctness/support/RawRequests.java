package dev.payoutcallbacks.correctness.support;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.payoutcallbacks.core.testing.ProviderFixture;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * API Gateway (payload 2.0) events with an exact byte body (base64 when it is not valid UTF-8, as API Gateway
 * does) and headers as given (no lower-casing), authenticated per provider in one of several ways.
 */
public final class RawRequests {
    /** A sender outside every allow list. */
    private static final String OUTSIDER_IP = "198.51.100.77";

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
        /** The right credential from a source outside the provider's allow list (without one: same as VALID). */
        OUTSIDE_ALLOW_LIST
    }

    /** Header-name spelling of the credential headers. */
    public enum Case { LOWER, UPPER, CANONICAL }

    /** Whether a request authenticated this way must be accepted as authentic by the fixture's provider. */
    public static boolean authentic(ProviderFixture fixture, Auth auth) {
        return switch (auth) {
            case VALID -> true;
            case MISSING, WRONG_SECRET -> false;
            // A MAC of another body only fails where the body is signed; a token is the same for every body.
            case OTHER_BODY -> !fixture.signsBody();
            case OUTSIDE_ALLOW_LIST -> !fixture.checksSender();
        };
    }

    public static APIGatewayV2HTTPEvent request(ProviderFixture fixture, byte[] body, Auth auth, Case nameCase) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(name("content-type", nameCase), "application/json");
        byte[] signed = auth == Auth.OTHER_BODY ? "{\"another\":\"body\"}".getBytes(StandardCharsets.UTF_8) : body;
        UnaryOperator<String> secrets = Providers.secrets(fixture);
        ProviderFixture.Credentials sent = fixture.credentials(signed,
                auth == Auth.WRONG_SECRET ? setting -> secrets.apply(setting) + "-retired" : secrets);
        if (auth != Auth.MISSING) {
            sent.credential().forEach((header, value) -> headers.put(name(header, nameCase), value));
        }
        sent.headers().forEach((header, value) -> headers.put(name(header, nameCase), value));
        return event(fixture.path(), body, headers, auth == Auth.OUTSIDE_ALLOW_LIST ? OUTSIDER_IP : sent.sourceIp());
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
