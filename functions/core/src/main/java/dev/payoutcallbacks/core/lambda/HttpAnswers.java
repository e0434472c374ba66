package dev.payoutcallbacks.core.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.provider.Json;
import java.util.Map;

/** Small JSON answers for API Gateway. */
public final class HttpAnswers {
    private HttpAnswers() {
    }

    public static APIGatewayV2HTTPResponse json(int status, ObjectNode body) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody(Json.write(body))
                .build();
    }

    public static APIGatewayV2HTTPResponse error(int status, String error, String message) {
        ObjectNode body = Json.newObject().put("error", error);
        if (message != null) {
            body.put("message", message);
        }
        return json(status, body);
    }
}
