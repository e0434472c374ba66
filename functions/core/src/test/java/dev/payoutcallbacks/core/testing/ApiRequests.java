package dev.payoutcallbacks.core.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** API Gateway HTTP API (payload 2.0) events, as the real service sends them, for handler tests. */
public final class ApiRequests {
    private ApiRequests() {
    }

    /** A POST with a text body; headers as name/value pairs. */
    public static APIGatewayV2HTTPEvent post(String path, String body, String... headerPairs) {
        return event("POST", path, body, "203.0.113.10", Map.of(), headerPairs);
    }

    /** A POST from a given source IP. */
    public static APIGatewayV2HTTPEvent postFrom(String sourceIp, String path, String body, String... headerPairs) {
        return event("POST", path, body, sourceIp, Map.of(), headerPairs);
    }

    public static APIGatewayV2HTTPEvent get(String path, Map<String, String> pathParameters, String... headerPairs) {
        return event("GET", path, null, "203.0.113.10", pathParameters, headerPairs);
    }

    /**
     * The event as API Gateway sends it on an AWS_IAM route after verifying the caller's SigV4 signature:
     * {@code requestContext.authorizer.iam} names the principal.
     */
    public static APIGatewayV2HTTPEvent signedBy(String principalArn, APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext.IAM iam = new APIGatewayV2HTTPEvent.RequestContext.IAM();
        iam.setUserArn(principalArn);
        iam.setAccountId("123456789012");
        iam.setAccessKey("ASIAEXAMPLE");
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setIam(iam);
        event.getRequestContext().setAuthorizer(authorizer);
        return event;
    }

    public static APIGatewayV2HTTPEvent event(String method, String path, String body, String sourceIp,
                                              Map<String, String> pathParameters, String... headerPairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            headers.put(headerPairs[i].toLowerCase(), headerPairs[i + 1]); // API Gateway lower-cases names
        }
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(method);
        http.setPath(path);
        http.setProtocol("HTTP/1.1");
        http.setSourceIp(sourceIp);
        APIGatewayV2HTTPEvent.RequestContext ctx = new APIGatewayV2HTTPEvent.RequestContext();
        ctx.setHttp(http);
        ctx.setRequestId(UUID.randomUUID().toString());
        ctx.setRouteKey(method + " " + path);
        ctx.setStage("$default");
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey(method + " " + path);
        event.setRawPath(path);
        event.setHeaders(headers);
        event.setPathParameters(pathParameters.isEmpty() ? null : pathParameters);
        event.setRequestContext(ctx);
        event.setBody(body);
        event.setIsBase64Encoded(false);
        return event;
    }
}
