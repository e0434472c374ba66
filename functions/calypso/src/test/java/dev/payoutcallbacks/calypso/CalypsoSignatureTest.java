package dev.payoutcallbacks.calypso;

import static dev.payoutcallbacks.calypso.CalypsoWebhooks.PUBLIC_KEY;
import static dev.payoutcallbacks.calypso.CalypsoWebhooks.SECRET;
import static dev.payoutcallbacks.calypso.CalypsoWebhooks.flatStatus;
import static dev.payoutcallbacks.calypso.CalypsoWebhooks.requestWith;
import static dev.payoutcallbacks.calypso.CalypsoWebhooks.sign;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payoutcallbacks.core.config.SharedSecrets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalypsoSignatureTest {
    private final String body = flatStatus("calypso-sig-1", "COMPLETED");
    private final CalypsoCallbacks signature = new CalypsoCallbacks(SharedSecrets.parse(SECRET));

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
        CalypsoCallbacks checked = new CalypsoCallbacks(SharedSecrets.parse(SECRET),
                SharedSecrets.parse("pk-retired, " + PUBLIC_KEY));
        String sign = sign(body, SECRET);
        assertTrue(checked.authentic(requestWith(body, headers(sign, PUBLIC_KEY))));
        assertTrue(checked.authentic(requestWith(body, headers(sign, "pk-retired"))), "rotation: either key");
        assertFalse(checked.authentic(requestWith(body, headers(sign, "pk-someone-else"))),
                "a valid signature with another subscription's Key is refused");
        assertFalse(checked.authentic(requestWith(body, headers(sign, null))));
        assertFalse(checked.authentic(requestWith(body, headers(sign(body, "not-the-secret"), PUBLIC_KEY))));
    }

    @Test
    void acceptsTheHmacOfTheRawBody() {
        assertTrue(signature.authentic(requestWith(body, headers(sign(body, SECRET), PUBLIC_KEY))));
    }

    @Test
    void hexCaseDoesNotMatter() {
        String upper = sign(body, SECRET).toUpperCase(Locale.ROOT);
        assertTrue(signature.authentic(requestWith(body, headers(upper, PUBLIC_KEY))));
    }

    @Test
    void rejectsAnotherSecret() {
        assertFalse(signature.authentic(requestWith(body, headers(sign(body, "not-the-secret"), PUBLIC_KEY))));
    }

    @Test
    void rejectsATamperedBody() {
        String tampered = body.replace("COMPLETED", "FAILED");
        assertFalse(signature.authentic(requestWith(tampered, headers(sign(body, SECRET), PUBLIC_KEY))));
    }

    @Test
    void rejectsABodyWhoseWhitespaceChanged() {
        // The signature covers the bytes as sent: re-serialised JSON does not verify.
        String reformatted = body.replace(",", ", ");
        assertFalse(signature.authentic(requestWith(reformatted, headers(sign(body, SECRET), PUBLIC_KEY))));
    }

    @Test
    void requiresBothHeaders() {
        assertFalse(signature.authentic(requestWith(body, headers(null, PUBLIC_KEY))));
        assertFalse(signature.authentic(requestWith(body, headers(sign(body, SECRET), null))));
        assertFalse(signature.authentic(requestWith(body, headers(sign(body, SECRET), " "))));
    }

    @Test
    void rejectsSignaturesThatAreNotA512BitHexDigest() {
        String good = sign(body, SECRET);
        assertFalse(signature.authentic(requestWith(body, headers(good.substring(0, 64), PUBLIC_KEY))));
        assertFalse(signature.authentic(requestWith(body, headers("zz" + good.substring(2), PUBLIC_KEY))));
        assertFalse(signature.authentic(requestWith(body, headers("", PUBLIC_KEY))));
    }

    @Test
    void acceptsEverySecretDuringARotation() {
        CalypsoCallbacks rotating = new CalypsoCallbacks(SharedSecrets.parse("old-secret, new-secret"));
        assertTrue(rotating.authentic(requestWith(body, headers(sign(body, "old-secret"), PUBLIC_KEY))));
        assertTrue(rotating.authentic(requestWith(body, headers(sign(body, "new-secret"), PUBLIC_KEY))));
        assertFalse(rotating.authentic(requestWith(body, headers(sign(body, "retired-secret"), PUBLIC_KEY))));
    }

    @Test
    void noSecretsConfiguredAcceptsNothing() {
        CalypsoCallbacks none = new CalypsoCallbacks(SharedSecrets.parse(""));
        assertFalse(none.authentic(requestWith(body, headers(sign(body, SECRET), PUBLIC_KEY))));
    }
}
