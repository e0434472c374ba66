package dev.payoutcallbacks.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.payoutcallbacks.core.testing.ApiRequests;
import org.junit.jupiter.api.Test;

class InternalAuthTest {
    private static final String ROLE = "arn:aws:sts::123456789012:assumed-role/payments-service/session-1";
    private final SharedSecrets secrets = SharedSecrets.parse("old-secret,new-secret");

    @Test
    void iamModeTakesThePrincipalApiGatewayVerifiedAndNothingElse() {
        InternalAuth auth = new InternalAuth(InternalAuth.Mode.IAM, secrets);
        assertEquals(ROLE, auth.caller(ApiRequests.signedBy(ROLE, ApiRequests.post("/payouts", "{}"))));
        assertNull(auth.caller(ApiRequests.post("/payouts", "{}", "X-Internal-Secret", "new-secret")),
                "a route left without IAM authorization must not accept the shared secret instead");
    }

    @Test
    void iamPlusSharedSecretNeedsBoth() {
        InternalAuth auth = new InternalAuth(InternalAuth.Mode.IAM_AND_SHARED_SECRET, secrets);
        assertEquals(ROLE, auth.caller(ApiRequests.signedBy(ROLE,
                ApiRequests.post("/payouts", "{}", "X-Internal-Secret", "old-secret"))));
        assertNull(auth.caller(ApiRequests.signedBy(ROLE, ApiRequests.post("/payouts", "{}"))));
        assertNull(auth.caller(ApiRequests.post("/payouts", "{}", "X-Internal-Secret", "old-secret")));
    }

    @Test
    void sharedSecretModeIsTheLocalRun() {
        InternalAuth auth = InternalAuth.fromEnvironment(new FunctionEnvironment(java.util.Map.of(
                "INTERNAL_SECRETS", "local")), RuntimeSecrets.fromEnvironment(new FunctionEnvironment(
                java.util.Map.of("INTERNAL_SECRETS", "local"))));
        assertEquals(InternalAuth.Mode.SHARED_SECRET, auth.mode());
        assertEquals("shared-secret", auth.caller(ApiRequests.post("/payouts", "{}", "X-Internal-Secret", "local")));
        assertNull(auth.caller(ApiRequests.post("/payouts", "{}", "X-Internal-Secret", "other")));
        assertThrows(IllegalStateException.class, () -> InternalAuth.mode("none"));
    }
}
