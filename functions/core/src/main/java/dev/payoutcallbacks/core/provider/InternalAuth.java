package dev.payoutcallbacks.core.provider;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.RuntimeSecrets;
import dev.payoutcallbacks.core.config.SharedSecrets;
import java.util.Locale;

/**
 * How internal callers (services, operators) authenticate on the internal routes: the Slate route,
 * registration, reads, review, resolve, quarantine and replay. INTERNAL_AUTH:
 * <ul>
 *   <li>{@code iam} (deployments, the default of template.yaml): the route has AWS_IAM authorization; API
 *       Gateway verified the caller's SigV4 signature and {@code execute-api:Invoke} permission, and the
 *       caller is the principal in {@code requestContext.authorizer.iam}. A request without one is refused
 *       (a route left without IAM authorization must not become public).</li>
 *   <li>{@code iam+shared-secret} (the template's InternalSharedSecret=Required): both, the principal and one of
 *       the INTERNAL_SECRETS in {@value #HEADER}.</li>
 *   <li>{@code shared-secret} (the local run, tests; the default when unset): one of the INTERNAL_SECRETS in
 *       {@value #HEADER}, compared in constant time.</li>
 * </ul>
 * The caller's identity ({@link #caller}) is what a resolution records as its operator.
 */
public final class InternalAuth {
    public static final String HEADER = "X-Internal-Secret";
    public static final String SECRET_SETTING = "INTERNAL_SECRETS";

    public enum Mode { IAM, IAM_AND_SHARED_SECRET, SHARED_SECRET }

    private final Mode mode;
    private final SharedSecrets secrets;

    public InternalAuth(Mode mode, SharedSecrets secrets) {
        this.mode = mode;
        this.secrets = secrets;
    }

    /** Shared-secret authentication with a fixed or live key set (tests, code that builds its own). */
    public static InternalAuth sharedSecret(SharedSecrets secrets) {
        return new InternalAuth(Mode.SHARED_SECRET, secrets);
    }

    public static InternalAuth fromEnvironment(FunctionEnvironment env, RuntimeSecrets secrets) {
        return new InternalAuth(mode(env.get("INTERNAL_AUTH")), secrets.keys(SECRET_SETTING, true));
    }

    static Mode mode(String configured) {
        if (configured == null) {
            return Mode.SHARED_SECRET;
        }
        return switch (configured.trim().toLowerCase(Locale.ROOT)) {
            case "iam" -> Mode.IAM;
            case "iam+shared-secret" -> Mode.IAM_AND_SHARED_SECRET;
            case "shared-secret" -> Mode.SHARED_SECRET;
            default -> throw new IllegalStateException("INTERNAL_AUTH must be iam, iam+shared-secret or shared-secret");
        };
    }

    public Mode mode() {
        return mode;
    }

    /**
     * The authenticated caller, or null: the IAM principal's ARN, else (shared-secret mode) {@code shared-secret}.
     * Every check that the mode asks for runs (no short cut on the first failure).
     */
    public String caller(String iamPrincipal, String presentedSecret) {
        boolean principalOk = iamPrincipal != null && !iamPrincipal.isBlank();
        return switch (mode) {
            case IAM -> principalOk ? iamPrincipal : null;
            case IAM_AND_SHARED_SECRET -> principalOk & secrets.matches(presentedSecret) ? iamPrincipal : null;
            case SHARED_SECRET -> secrets.matches(presentedSecret) ? "shared-secret" : null;
        };
    }

    /** True when the request's caller is authenticated (see {@link #caller(String, String)}). */
    public boolean verify(CallbackRequest request) {
        return caller(request) != null;
    }

    public String caller(CallbackRequest request) {
        return caller(request.principal(), request.header(HEADER));
    }
}
