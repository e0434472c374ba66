package dev.payoutcallbacks.core;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The Lambda edge's side of {@link CallbackRequest}: an API Gateway HTTP API (payload 2.0) event becomes the
 * provider-facing request, so the provider SPI itself needs no Lambda type.
 */
public final class LambdaRequests {
    private LambdaRequests() {
    }

    /** The request as received: the body's exact bytes (Base64-decoded when API Gateway encoded it), headers, caller. */
    public static CallbackRequest callbackRequest(APIGatewayV2HTTPEvent event, Instant receivedAt) {
        String raw = event.getBody();
        byte[] body;
        if (raw == null) {
            body = new byte[0];
        } else if (event.getIsBase64Encoded()) {
            body = Base64.getDecoder().decode(raw);
        } else {
            body = raw.getBytes(StandardCharsets.UTF_8);
        }
        var ctx = event.getRequestContext();
        String sourceIp = ctx != null && ctx.getHttp() != null ? ctx.getHttp().getSourceIp() : null;
        String requestId = ctx != null ? ctx.getRequestId() : null;
        return new CallbackRequest(body, event.getHeaders(), event.getPathParameters(), event.getQueryStringParameters(),
                sourceIp, requestId, receivedAt, InternalAuth.iamPrincipal(event));
    }
}
