package dev.payoutcallbacks.local;

import java.nio.charset.StandardCharsets;

/**
 * Invokes a function of template.yaml with an event as Lambda's JSON and returns what Lambda would: the handler's
 * serialised answer, or the kind of failure. The local run's API Gateway and stream poller talk only to this.
 */
public interface FunctionInvoker {

    Invocation invoke(String logicalId, byte[] event);

    /** The outcome of one invocation, as the Lambda service sees it. */
    record Invocation(Kind kind, byte[] payload, String errorType) {
        public enum Kind {
            /** The handler returned; {@code payload} is its answer as the runtime serialised it. */
            SUCCESS,
            /** The handler threw ({@code /invocation/{id}/error}); {@code payload} is the runtime's error JSON. */
            FUNCTION_ERROR,
            /** Initialisation failed ({@code /init/error}, {@code /restore/error}, or the runtime never asked). */
            INIT_ERROR,
            /** The function's Timeout passed: the execution environment was stopped. */
            TIMEOUT,
            /** The runtime process ended during the invocation. */
            RUNTIME_EXITED
        }

        public static Invocation success(byte[] payload) {
            return new Invocation(Kind.SUCCESS, payload, null);
        }

        public static Invocation failed(Kind kind, String errorType, byte[] payload) {
            return new Invocation(kind, payload == null ? new byte[0] : payload, errorType);
        }

        public boolean succeeded() {
            return kind == Kind.SUCCESS;
        }

        public String payloadText() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** For logs: what failed, never the event. */
        public String describe() {
            return succeeded() ? "ok" : kind + (errorType == null ? "" : " " + errorType) + " " + clip(payloadText());
        }

        private static String clip(String s) {
            return s.length() > 400 ? s.substring(0, 400) + "..." : s;
        }
    }
}
