package dev.payoutcallbacks.m2money;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payoutcallbacks.core.Json;
import dev.payoutcallbacks.core.SharedSecrets;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class M2MoneySignatureTest {
    private static final String SLASHED = M2MoneyPayloads.failed("m2money-sig-1", "\"250.00\"",
            "\"Account closed\\/frozen by bank\"");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void knownVector() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                M2MoneySignature.sign(bytes("what do ya want for nothing?"), "Jefe"));
    }

    @Test
    void acceptsTheSignatureOverTheBytesAsSentWithEscapedSlashes() throws Exception {
        assertTrue(SLASHED.contains("\\/"), "the sample keeps the sender's \\/ escape");
        String header = M2MoneySignature.sign(bytes(SLASHED), M2MoneyPayloads.SECRET);
        M2MoneySignature signature = new M2MoneySignature(SharedSecrets.parse(M2MoneyPayloads.SECRET));
        assertTrue(signature.verify(bytes(SLASHED), header));

        // Re-serialising the parsed body drops the escape, so its bytes (and MAC) differ: verifying
        // anything but the raw bytes would reject every genuine callback that contains a slash.
        byte[] reserialised = bytes(Json.write(Json.object(bytes(SLASHED))));
        assertFalse(new String(reserialised, StandardCharsets.UTF_8).contains("\\/"));
        assertNotEquals(header, M2MoneySignature.sign(reserialised, M2MoneyPayloads.SECRET));
        assertFalse(signature.verify(reserialised, header));
    }

    @Test
    void acceptsEverySecretDuringRotation() {
        byte[] body = bytes(SLASHED);
        M2MoneySignature signature = new M2MoneySignature(SharedSecrets.parse("old-secret, new-secret"));
        assertTrue(signature.verify(body, M2MoneySignature.sign(body, "old-secret")));
        assertTrue(signature.verify(body, M2MoneySignature.sign(body, "new-secret")));
        assertFalse(signature.verify(body, M2MoneySignature.sign(body, "retired-secret")));
    }

    @Test
    void acceptsUpperCaseHexAndSurroundingSpace() {
        byte[] body = bytes(SLASHED);
        String header = M2MoneySignature.sign(body, M2MoneyPayloads.SECRET);
        M2MoneySignature signature = new M2MoneySignature(SharedSecrets.parse(M2MoneyPayloads.SECRET));
        assertTrue(signature.verify(body, " " + header.toUpperCase(Locale.ROOT) + " "));
    }

    @Test
    void rejectsMissingMalformedTruncatedAndTampered() {
        byte[] body = bytes(SLASHED);
        String header = M2MoneySignature.sign(body, M2MoneyPayloads.SECRET);
        M2MoneySignature signature = new M2MoneySignature(SharedSecrets.parse(M2MoneyPayloads.SECRET));
        assertFalse(signature.verify(body, null));
        assertFalse(signature.verify(body, ""));
        assertFalse(signature.verify(body, header.substring(0, 63)));
        assertFalse(signature.verify(body, "z" + header.substring(1)));
        assertFalse(signature.verify(body, "sha256=" + header));
        byte[] tampered = bytes(SLASHED.replace("250.00", "950.00"));
        assertFalse(signature.verify(tampered, header));
        assertArrayEquals(body, bytes(SLASHED)); // verification never alters the body
    }

    @Test
    void noSecretsAuthenticatesNobody() {
        byte[] body = bytes(SLASHED);
        M2MoneySignature signature = new M2MoneySignature(SharedSecrets.parse(" , "));
        assertFalse(signature.verify(body, M2MoneySignature.sign(body, M2MoneyPayloads.SECRET)));
    }
}
