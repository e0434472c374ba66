package dev.payoutcallbacks.m2money;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payoutcallbacks.core.config.SharedSecrets;
import dev.payoutcallbacks.core.provider.Json;
import dev.payoutcallbacks.core.provider.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** M2Money's declared scheme ({@link M2MoneyCallbacks#SIGNATURE}): byte-exact, as today. */
class M2MoneySignatureTest {
    private static final WebhookSignature SCHEME = M2MoneyCallbacks.SIGNATURE;
    private static final String SLASHED = M2MoneyPayloads.failed("m2money-sig-1", "\"250.00\"",
            "\"Account closed\\/frozen by bank\"");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void knownVector() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                SCHEME.sign(bytes("what do ya want for nothing?"), "Jefe"));
    }

    @Test
    void acceptsTheSignatureOverTheBytesAsSentWithEscapedSlashes() throws Exception {
        assertTrue(SLASHED.contains("\\/"), "the sample keeps the sender's \\/ escape");
        String header = SCHEME.sign(bytes(SLASHED), M2MoneyPayloads.SECRET);
        SharedSecrets signature = SharedSecrets.parse(M2MoneyPayloads.SECRET);
        assertTrue(SCHEME.verify(bytes(SLASHED), header, signature));

        // Re-serialising the parsed body drops the escape, so its bytes (and MAC) differ: verifying
        // anything but the raw bytes would reject every genuine callback that contains a slash.
        byte[] reserialised = bytes(Json.write(Json.object(bytes(SLASHED))));
        assertFalse(new String(reserialised, StandardCharsets.UTF_8).contains("\\/"));
        assertNotEquals(header, SCHEME.sign(reserialised, M2MoneyPayloads.SECRET));
        assertFalse(SCHEME.verify(reserialised, header, signature));
    }

    @Test
    void acceptsEverySecretDuringRotation() {
        byte[] body = bytes(SLASHED);
        SharedSecrets signature = SharedSecrets.parse("old-secret, new-secret");
        assertTrue(SCHEME.verify(body, SCHEME.sign(body, "old-secret"), signature));
        assertTrue(SCHEME.verify(body, SCHEME.sign(body, "new-secret"), signature));
        assertFalse(SCHEME.verify(body, SCHEME.sign(body, "retired-secret"), signature));
    }

    @Test
    void acceptsUpperCaseHexAndSurroundingSpace() {
        byte[] body = bytes(SLASHED);
        String header = SCHEME.sign(body, M2MoneyPayloads.SECRET);
        SharedSecrets signature = SharedSecrets.parse(M2MoneyPayloads.SECRET);
        assertTrue(SCHEME.verify(body, " " + header.toUpperCase(Locale.ROOT) + " ", signature));
    }

    @Test
    void rejectsMissingMalformedTruncatedAndTampered() {
        byte[] body = bytes(SLASHED);
        String header = SCHEME.sign(body, M2MoneyPayloads.SECRET);
        SharedSecrets signature = SharedSecrets.parse(M2MoneyPayloads.SECRET);
        assertFalse(SCHEME.verify(body, null, signature));
        assertFalse(SCHEME.verify(body, "", signature));
        assertFalse(SCHEME.verify(body, header.substring(0, 63), signature));
        assertFalse(SCHEME.verify(body, "z" + header.substring(1), signature));
        assertFalse(SCHEME.verify(body, "sha256=" + header, signature));
        byte[] tampered = bytes(SLASHED.replace("250.00", "950.00"));
        assertFalse(SCHEME.verify(tampered, header, signature));
        assertArrayEquals(body, bytes(SLASHED)); // verification never alters the body
    }

    @Test
    void noSecretsAuthenticatesNobody() {
        byte[] body = bytes(SLASHED);
        SharedSecrets signature = SharedSecrets.parse(" , ");
        assertFalse(SCHEME.verify(body, SCHEME.sign(body, M2MoneyPayloads.SECRET), signature));
    }
}
