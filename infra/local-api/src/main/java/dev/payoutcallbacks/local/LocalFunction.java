package dev.payoutcallbacks.local;

import java.util.List;
import java.util.Map;

/**
 * One AWS::Serverless::Function of template.yaml as the local runtime hosts it: handler, environment (template,
 * then infra/local-env.json for the names the template declares, then the local endpoints), routes, Timeout,
 * MemorySize and CodeUri (the deployment package).
 */
public record LocalFunction(String logicalId, String handler, Map<String, String> environment, List<Route> routes,
                            int timeoutSeconds, int memoryMb, String codeUri) {

    /** SAM's default Timeout (3 s) when neither the function nor Globals sets one. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 3;
    /** SAM's default MemorySize. */
    public static final int DEFAULT_MEMORY_MB = 128;

    /** The same function with another environment (a benchmark's or a test's variant). */
    public LocalFunction withEnvironment(Map<String, String> changed) {
        return new LocalFunction(logicalId, handler, Map.copyOf(changed), routes, timeoutSeconds, memoryMb, codeUri);
    }

    /** The same function with another Timeout. */
    public LocalFunction withTimeout(int seconds) {
        return new LocalFunction(logicalId, handler, environment, routes, seconds, memoryMb, codeUri);
    }

    /** An HttpApi event: method and path template such as /payouts/{reference}. */
    public record Route(String method, String path) {
        public String routeKey() {
            return method + " " + path;
        }
    }

    public String handlerClass() {
        int sep = handler.indexOf("::");
        return sep < 0 ? handler : handler.substring(0, sep);
    }

    public String handlerMethod() {
        int sep = handler.indexOf("::");
        return sep < 0 ? "handleRequest" : handler.substring(sep + 2);
    }
}
