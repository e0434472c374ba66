package dev.payoutcallbacks.core.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payoutcallbacks.core.config.SharedSecrets;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final WebhookSignature HEX256 =
            WebhookSignature.hmac("HmacSHA256", "Signature", WebhookSignature.Encoding.HEX);
    private static final WebhookSignature B64_512 =
            WebhookSignature.hmac("HmacSHA512", "X-Sig", WebhookSignature.Encoding.BASE64);
    private static final byte[] JEFE_DATA = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BODY = "{\"note\":\"a\\/b\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsTheRfc4231VectorsInEitherEncoding() {
        // RFC 4231 test case 2: key "Jefe".
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", HEX256.sign(JEFE_DATA, "Jefe"));
        String hmac512 = "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737";
        assertEquals(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hmac512)), B64_512.sign(JEFE_DATA, "Jefe"));
    }

    @Test
    void acceptsEveryConfiguredSecretAndEitherHexCase() {
        SharedSecrets rotating = SharedSecrets.parse("old-secret, new-secret");
        assertNull(HEX256.check(BODY, HEX256.sign(BODY, "old-secret"), rotating));
        assertNull(HEX256.check(BODY, " " + HEX256.sign(BODY, "new-secret").toUpperCase(Locale.ROOT) + " ", rotating));
        assertNull(B64_512.check(BODY, B64_512.sign(BODY, "new-secret"), rotating));
        assertEquals(WebhookSignature.Failure.MISMATCH, HEX256.check(BODY, HEX256.sign(BODY, "retired"), rotating));
    }

    @Test
    void failuresAreTyped() {
        SharedSecrets secrets = SharedSecrets.parse("s3cret");
        String good = HEX256.sign(BODY, "s3cret");
        assertEquals(WebhookSignature.Failure.MISSING, HEX256.check(BODY, null, secrets));
        assertEquals(WebhookSignature.Failure.MISSING, HEX256.check(BODY, "  ", secrets));
        assertEquals(WebhookSignature.Failure.MALFORMED, HEX256.check(BODY, "zz" + good.substring(2), secrets));
        assertEquals(WebhookSignature.Failure.MALFORMED, HEX256.check(BODY, good.substring(0, 62), secrets),
                "a truncated MAC is refused whatever it is a prefix of");
        assertEquals(WebhookSignature.Failure.MALFORMED, HEX256.check(BODY, "sha256=" + good, secrets));
        assertEquals(WebhookSignature.Failure.MALFORMED, B64_512.check(BODY, good, secrets), "hex is not base64 of 64 bytes");
        assertEquals(WebhookSignature.Failure.NO_SECRETS, HEX256.check(BODY, good, SharedSecrets.parse(" , ")));
        byte[] tampered = "{\"note\":\"a/b\"}".getBytes(StandardCharsets.UTF_8); // the escape dropped, as a re-serialisation would
        assertEquals(WebhookSignature.Failure.MISMATCH, HEX256.check(tampered, good, secrets));
        WebhookSignature.Invalid invalid = assertThrows(WebhookSignature.Invalid.class,
                () -> HEX256.verifyOrThrow(tampered, good, secrets));
        assertEquals(WebhookSignature.Failure.MISMATCH, invalid.failure());
        assertTrue(!invalid.getMessage().contains("s3cret") && !invalid.getMessage().contains(good));
    }

    @Test
    void readsItsHeaderFromTheRequestCaseInsensitively() {
        SharedSecrets secrets = SharedSecrets.parse("s3cret");
        CallbackRequest request = new CallbackRequest(BODY, Map.of("signature", HEX256.sign(BODY, "s3cret")),
                null, "r", null);
        assertTrue(HEX256.verify(request, secrets));
        assertEquals(WebhookSignature.Failure.MISSING, B64_512.check(request, secrets));
    }

    @Test
    void aMatchIsRecordedAgainstTheSecretsPositionForRotationTelemetry() {
        SharedSecrets rotating = SharedSecrets.live("hooks", () -> "old, new", true);
        SharedSecrets.trace();
        assertTrue(HEX256.verify(BODY, HEX256.sign(BODY, "new"), rotating));
        assertEquals("hooks:2/2", SharedSecrets.matchedKeys());
    }

    @Test
    void anUnknownAlgorithmFailsWhereTheSchemeIsDeclared() {
        assertThrows(IllegalStateException.class,
                () -> WebhookSignature.hmac("HmacNope", "Sign", WebhookSignature.Encoding.HEX));
    }
}
