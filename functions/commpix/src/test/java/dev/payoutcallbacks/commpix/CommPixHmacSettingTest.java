package dev.payoutcallbacks.commpix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CommPixHmacSettingTest {
    @Test
    void noneOrEmptyTurnsTheSignatureCheckOffAnythingElseIsASecretList() {
        assertTrue(CommPixCallbacks.hmacSecrets(null).isEmpty());
        assertTrue(CommPixCallbacks.hmacSecrets("none").isEmpty());
        assertTrue(CommPixCallbacks.hmacSecrets(" NONE ").isEmpty());
        assertTrue(CommPixCallbacks.hmacSecrets("").isEmpty());
        assertEquals(2, CommPixCallbacks.hmacSecrets("s1,s2").all().size());
    }
}
