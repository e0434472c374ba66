package dev.payoutcallbacks.commpix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payoutcallbacks.core.config.SharedSecrets;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Hex HMAC-SHA256 of the raw body. */
class CommPixSignatureTest {
    private static final byte[] BODY = "{\"type\":\"PAYOUT_COMPLETED\",\"data\":{\"externalId\":\"x\\/1\"}}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void knownVectorFromRfc4231() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                CommPixCallbacks.SIGNATURE.sign("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII),
                        "Jefe".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void acceptsTheSignatureOfTheRawBytesUnderAnyRotatedSecret() {
        SharedSecrets secrets = SharedSecrets.parse("old-secret,new-secret");
        String byNew = CommPixCallbacks.SIGNATURE.sign(BODY, "new-secret".getBytes(StandardCharsets.UTF_8));
        String byOld = CommPixCallbacks.SIGNATURE.sign(BODY, "old-secret".getBytes(StandardCharsets.UTF_8));
        assertTrue(CommPixCallbacks.SIGNATURE.verify(BODY, byNew, secrets));
        assertTrue(CommPixCallbacks.SIGNATURE.verify(BODY, byOld, secrets));
        assertTrue(CommPixCallbacks.SIGNATURE.verify(BODY, byNew.toUpperCase(Locale.ROOT), secrets));
    }

    @Test
    void refusesWrongSecretTamperedBodyAndMissingOrGarbledHeader() {
        SharedSecrets secrets = SharedSecrets.parse("new-secret");
        String byOther = CommPixCallbacks.SIGNATURE.sign(BODY, "other".getBytes(StandardCharsets.UTF_8));
        assertFalse(CommPixCallbacks.SIGNATURE.verify(BODY, byOther, secrets));
        String good = CommPixCallbacks.SIGNATURE.sign(BODY, "new-secret".getBytes(StandardCharsets.UTF_8));
        byte[] tampered = new String(BODY, StandardCharsets.UTF_8).replace("x\\/1", "x/1").getBytes(StandardCharsets.UTF_8);
        assertFalse(CommPixCallbacks.SIGNATURE.verify(tampered, good, secrets), "re-serialised JSON is not the signed body");
        assertFalse(CommPixCallbacks.SIGNATURE.verify(BODY, null, secrets));
        assertFalse(CommPixCallbacks.SIGNATURE.verify(BODY, "", secrets));
        assertFalse(CommPixCallbacks.SIGNATURE.verify(BODY, "zz" + good.substring(2), secrets));
        assertFalse(CommPixCallbacks.SIGNATURE.verify(BODY, good.substring(0, 62), secrets), "a truncated MAC never matches");
        assertFalse(CommPixCallbacks.SIGNATURE.verify(BODY, good, SharedSecrets.parse("")), "no secret: nothing verifies");
    }
}
