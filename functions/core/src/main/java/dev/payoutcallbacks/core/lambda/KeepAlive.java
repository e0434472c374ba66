package dev.payoutcallbacks.core.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.payoutcallbacks.core.provider.Json;

/**
 * The daily keep-alive invocation template.yaml's KeepAlive schedules send to each HTTP function's live alias
 * (input {@code {"routeKey":"KEEPALIVE"}}): Lambda deactivates a SnapStart version that is not invoked for 14
 * days, and the next request after that would wait for it to be made ready again. Answered at once: no
 * authentication, no storage, no log line, no metric.
 */
public final class KeepAlive {
    public static final String ROUTE_KEY = "KEEPALIVE";

    private KeepAlive() {
    }

    public static boolean is(APIGatewayV2HTTPEvent event) {
        return event != null && ROUTE_KEY.equals(event.getRouteKey());
    }

    public static APIGatewayV2HTTPResponse answer() {
        return HttpAnswers.json(200, Json.newObject().put("keepAlive", true));
    }
}
