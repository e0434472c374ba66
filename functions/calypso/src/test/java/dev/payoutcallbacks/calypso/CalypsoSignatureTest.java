package dev.payoutcallbacks.calypso;

import static dev.payoutcallbacks.calypso.CalypsoWebhooks.PUBLIC_KEY;
import static dev.payoutcallbacks.calypso.CalypsoWebhooks.SECRET;
import static dev.payoutcallbacks.calypso.CalypsoWebhooks.flatStatus;
import static dev.payoutcallbacks.calypso.CalypsoWebhooks.requestWith;
import static dev.payoutcallbacks.calypso.CalypsoWebhooks.sign;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payoutcallbacks.core.SharedSecrets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalypsoSignatureTest {
    private final String body = flatStatus("calypso-sig-1", "COMPLETED");
    private final CalypsoSignature signature = new CalypsoSignature(SharedSecrets.parse(SECRET));

    private static Map<String, String> headers(String sign, String key) {
        Map<String, String> headers = new HashMap<>();
        if (sign != null) {
            headers.put("Sign", sign);
        }
        if (key != null) {
            headers.put("Key", key);
        }
        return headers;
    }

    @Test
    void theKeyHeaderMustBeAConfiguredSubscriptionKey() {
        CalypsoSignature checked = new CalypsoSignature(SharedSecrets.parse(SECRET),
                SharedSecrets.parse("pk-retired, " + PUBLIC_KEY));
        String sign = sign(body, SECRET);
        assertTrue(checked.verify(requestWith(body, headers(sign, PUBLIC_KEY))));
        assertTrue(checked.verify(requestWith(body, headers(sign, "pk-retired"))), "rotation: either key");
        assertFalse(checked.verify(requestWith(body, headers(sign, "pk-someone-else"))),
                "a valid signature with another subscription's Key is refused");
        assertFalse(checked.verify(requestWith(body, headers(sign, null))));
        assertFalse(checked.verify(requestWith(body, headers(sign(body, "not-the-secret"), PUBLIC_KEY))));
    }

    @Test
    void acceptsTheHmacOfTheRawBody() {
        assertTrue(signature.verify(requestWith(body, headers(sign(body, SECRET), PUBLIC_KEY))));
    }

    @Test
    void hexCaseDoesNotMatter() {
        String upper = sign(body, SECRET).toUpperCase(Locale.ROOT);
        assertTrue(signature.verify(requestWith(body, headers(upper, PUBLIC_KEY))));
    }

    @Test
    void rejectsAnotherSecret() {
        assertFalse(signature.verify(requestWith(body, headers(sign(body, "not-the-secret"), PUBLIC_KEY))));
    }

    @Test
    void rejectsATamperedBody() {
        String tampered = body.replace("COMPLETED", "FAILED");
        assertFalse(signature.verify(requestWith(tampered, headers(sign(body, SECRET), PUBLIC_KEY))));
    }

    @Test
    void rejectsABodyWhoseWhitespaceChanged() {
        // The signature covers the bytes as sent: re-serialised JSON does not verify.
        String reformatted = body.replace(",", ", ");
        assertFalse(signature.verify(requestWith(reformatted, headers(sign(body, SECRET), PUBLIC_KEY))));
    }

    @Test
    void requiresBothHeaders() {
        assertFalse(signature.verify(requestWith(body, headers(null, PUBLIC_KEY))));
        assertFalse(signature.verify(requestWith(body, headers(sign(body, SECRET), null))));
        assertFalse(signature.verify(requestWith(body, headers(sign(body, SECRET), " "))));
    }

    @Test
    void rejectsSignaturesThatAreNotA512BitHexDigest() {
        String good = sign(body, SECRET);
        assertFalse(signature.verify(requestWith(body, headers(good.substring(0, 64), PUBLIC_KEY))));
        assertFalse(signature.verify(requestWith(body, headers("zz" + good.substring(2), PUBLIC_KEY))));
        assertFalse(signature.verify(requestWith(body, headers("", PUBLIC_KEY))));
    }

    @Test
    void acceptsEverySecretDuringARotation() {
        CalypsoSignature rotating = new CalypsoSignature(SharedSecrets.parse("old-secret, new-secret"));
        assertTrue(rotating.verify(requestWith(body, headers(sign(body, "old-secret"), PUBLIC_KEY))));
        assertTrue(rotating.verify(requestWith(body, headers(sign(body, "new-secret"), PUBLIC_KEY))));
        assertFalse(rotating.verify(requestWith(body, headers(sign(body, "retired-secret"), PUBLIC_KEY))));
    }

    @Test
    void noSecretsConfiguredAcceptsNothing() {
        CalypsoSignature none = new CalypsoSignature(SharedSecrets.parse(""));
        assertFalse(none.verify(requestWith(body, headers(sign(body, SECRET), PUBLIC_KEY))));
    }
}
