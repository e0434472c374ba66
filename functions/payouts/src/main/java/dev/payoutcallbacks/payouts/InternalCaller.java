package dev.payoutcallbacks.payouts;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.payoutcallbacks.core.SharedSecrets;
import java.util.Map;

/** Internal routes authenticate the calling service by the X-Internal-Secret header (constant time, rotation). */
final class InternalCaller {
    static final String SECRET_HEADER = "X-Internal-Secret";

    private InternalCaller() {
    }

    static boolean authentic(APIGatewayV2HTTPEvent event, SharedSecrets secrets) {
        String presented = null;
        if (event.getHeaders() != null) {
            for (Map.Entry<String, String> h : event.getHeaders().entrySet()) {
                if (SECRET_HEADER.equalsIgnoreCase(h.getKey())) {
                    presented = h.getValue();
                }
            }
        }
        return secrets.matches(presented);
    }
}
