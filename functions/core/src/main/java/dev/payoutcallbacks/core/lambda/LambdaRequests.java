package dev.payoutcallbacks.core.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.payoutcallbacks.core.provider.CallbackRequest;
import dev.payoutcallbacks.core.provider.InternalAuth;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

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
        return new CallbackRequest(body, event.getHeaders(), sourceIp, requestId, receivedAt, iamPrincipal(event));
    }

    /** The internal caller of an API Gateway event ({@link InternalAuth#caller(String, String)}), or null. */
    public static String internalCaller(InternalAuth auth, APIGatewayV2HTTPEvent event) {
        return auth.caller(iamPrincipal(event), header(event, InternalAuth.HEADER));
    }

    /** {@code requestContext.authorizer.iam.userArn} of an AWS_IAM route's event, or null. */
    public static String iamPrincipal(APIGatewayV2HTTPEvent event) {
        var ctx = event.getRequestContext();
        if (ctx == null || ctx.getAuthorizer() == null || ctx.getAuthorizer().getIam() == null) {
            return null;
        }
        var iam = ctx.getAuthorizer().getIam();
        String arn = iam.getUserArn();
        return arn == null || arn.isBlank() ? null : arn;
    }

    static String header(APIGatewayV2HTTPEvent event, String name) {
        String presented = null;
        if (event.getHeaders() != null) {
            for (Map.Entry<String, String> h : event.getHeaders().entrySet()) {
                if (name.equalsIgnoreCase(h.getKey())) {
                    presented = h.getValue();
                }
            }
        }
        return presented;
    }
}
