package dev.payoutcallbacks.core.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.RuntimeSecrets;
import dev.payoutcallbacks.core.config.SharedSecrets;
import dev.payoutcallbacks.core.lambda.LambdaRequests;
import dev.payoutcallbacks.core.testing.ApiRequests;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InternalAuthTest {
    private static final String ROLE = "arn:aws:sts::123456789012:assumed-role/payments-service/session-1";
    private final SharedSecrets secrets = SharedSecrets.parse("old-secret,new-secret");

    @Test
    void iamModeTakesThePrincipalApiGatewayVerifiedAndNothingElse() {
        InternalAuth auth = new InternalAuth(InternalAuth.Mode.IAM, secrets);
        assertEquals(ROLE, LambdaRequests.internalCaller(auth, ApiRequests.signedBy(ROLE, ApiRequests.post("/payouts", "{}"))));
        assertNull(LambdaRequests.internalCaller(auth, ApiRequests.post("/payouts", "{}", "X-Internal-Secret", "new-secret")),
                "a route left without IAM authorization must not accept the shared secret instead");
    }

    @Test
    void iamPlusSharedSecretNeedsBoth() {
        InternalAuth auth = new InternalAuth(InternalAuth.Mode.IAM_AND_SHARED_SECRET, secrets);
        assertEquals(ROLE, LambdaRequests.internalCaller(auth, ApiRequests.signedBy(ROLE,
                ApiRequests.post("/payouts", "{}", "X-Internal-Secret", "old-secret"))));
        assertNull(LambdaRequests.internalCaller(auth, ApiRequests.signedBy(ROLE, ApiRequests.post("/payouts", "{}"))));
        assertNull(LambdaRequests.internalCaller(auth, ApiRequests.post("/payouts", "{}", "X-Internal-Secret", "old-secret")));
    }

    @Test
    void sharedSecretModeIsTheLocalRun() {
        InternalAuth auth = InternalAuth.fromEnvironment(new FunctionEnvironment(Map.of(
                "INTERNAL_SECRETS", "local")), RuntimeSecrets.fromEnvironment(new FunctionEnvironment(
                Map.of("INTERNAL_SECRETS", "local"))));
        assertEquals(InternalAuth.Mode.SHARED_SECRET, auth.mode());
        assertEquals("shared-secret", LambdaRequests.internalCaller(auth, ApiRequests.post("/payouts", "{}", "X-Internal-Secret", "local")));
        assertNull(LambdaRequests.internalCaller(auth, ApiRequests.post("/payouts", "{}", "X-Internal-Secret", "other")));
        assertThrows(IllegalStateException.class, () -> InternalAuth.mode("none"));
    }
}
