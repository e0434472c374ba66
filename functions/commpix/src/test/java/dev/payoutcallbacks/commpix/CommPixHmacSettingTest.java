package dev.payoutcallbacks.commpix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CommPixHmacSettingTest {
    @Test
    void noneOrEmptyTurnsTheSignatureCheckOffAnythingElseIsASecretList() {
        assertTrue(CommPixCallbackHandler.hmacSecrets(null).isEmpty());
        assertTrue(CommPixCallbackHandler.hmacSecrets("none").isEmpty());
        assertTrue(CommPixCallbackHandler.hmacSecrets(" NONE ").isEmpty());
        assertTrue(CommPixCallbackHandler.hmacSecrets("").isEmpty());
        assertEquals(2, CommPixCallbackHandler.hmacSecrets("s1,s2").all().size());
    }
}
