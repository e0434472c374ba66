package dev.payoutcallbacks.core.ledger;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.SdkClients;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;

/**
 * Envelope encryption of quarantined bodies. Each body gets its own 256-bit data key; the body is sealed with
 * AES-GCM under it (the entry's identity as associated data, so a sealed body cannot be moved to another
 * entry), and the data key is stored only wrapped: by KMS in AWS (GenerateDataKey / Decrypt, with the same
 * identity as encryption context), by a local master key otherwise (AES-GCM key wrap). A scan of the table
 * shows ciphertext; reading a body back needs the key's Decrypt permission, which only the replaying function has.
 */
public abstract class QuarantineKeys {
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static volatile QuarantineKeys processDefault;

    /** A body sealed under its own data key. */
    public record Sealed(String keyId, byte[] wrappedKey, byte[] ivAndCiphertext) {
    }

    /** The data key for a new body: the key to seal with, and that key wrapped for storage. */
    protected record DataKey(byte[] plaintext, byte[] wrapped) {
    }

    /** Which master key wraps the data keys (a KMS key ARN or id, or "local"). */
    public abstract String keyId();

    protected abstract DataKey newDataKey(Map<String, String> context);

    protected abstract byte[] unwrap(byte[] wrapped, Map<String, String> context);

    public final Sealed seal(byte[] body, Map<String, String> context) {
        DataKey key = newDataKey(context);
        try {
            return new Sealed(keyId(), key.wrapped(), gcm(Cipher.ENCRYPT_MODE, key.plaintext(), body, context));
        } finally {
            Arrays.fill(key.plaintext(), (byte) 0);
        }
    }

    public final byte[] open(Sealed sealed, Map<String, String> context) {
        if (sealed.keyId() != null && sealed.keyId().startsWith(LOCAL_PREFIX) && !sealed.keyId().equals(keyId())) {
            // Sealed by another local key of this JVM (a test, the local run with several functions in one process).
            Local other = Local.KNOWN.get(sealed.keyId());
            if (other != null) {
                return other.open(sealed, context);
            }
        }
        byte[] key = unwrap(sealed.wrappedKey(), context);
        try {
            return gcm(Cipher.DECRYPT_MODE, key, sealed.ivAndCiphertext(), context);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The prefix of a QUARANTINE_KMS_KEY_ID that is a local master key instead (base64 of 32 bytes). */
    public static final String LOCAL_PREFIX = "local:";

    /**
     * QUARANTINE_KMS_KEY_ID: a KMS key ARN or id (the deployed setting; KMS_ENDPOINT for tests), or {@code
     * local:<base64 of 32 bytes>} (the local run: infra/local-env.json, no AWS reachable); unset or empty, a key
     * made for this process (bodies cannot be read back after a restart, and are never stored in clear).
     */
    public static QuarantineKeys fromEnvironment(FunctionEnvironment env) {
        String key = env.get("QUARANTINE_KMS_KEY_ID");
        if (key == null || key.isBlank()) {
            return processDefault();
        }
        key = key.trim();
        if (key.startsWith(LOCAL_PREFIX)) {
            return new Local(Base64.getDecoder().decode(key.substring(LOCAL_PREFIX.length())));
        }
        return new Kms(env, key);
    }

    /** One random master key per JVM (tests; a run without QUARANTINE_KMS_KEY_ID). */
    public static QuarantineKeys processDefault() {
        QuarantineKeys keys = processDefault;
        if (keys == null) {
            synchronized (QuarantineKeys.class) {
                if (processDefault == null) {
                    byte[] master = new byte[32];
                    new SecureRandom().nextBytes(master);
                    processDefault = new Local(master);
                }
                keys = processDefault;
            }
        }
        return keys;
    }

    private static byte[] gcm(int mode, byte[] key, byte[] input, Map<String, String> context) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] aad = associatedData(context);
            if (mode == Cipher.ENCRYPT_MODE) {
                byte[] iv = new byte[IV_BYTES];
                Randomness.get().nextBytes(iv);
                cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
                cipher.updateAAD(aad);
                byte[] sealed = cipher.doFinal(input);
                return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
            }
            if (input.length < IV_BYTES + TAG_BITS / 8) {
                throw new IllegalArgumentException("sealed body too short");
            }
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, input, 0, IV_BYTES));
            cipher.updateAAD(aad);
            return cipher.doFinal(input, IV_BYTES, input.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("quarantined body could not be " + (mode == Cipher.ENCRYPT_MODE
                    ? "sealed" : "opened (wrong key, or not this entry's body)"), e);
        }
    }

    /** The context, canonical: sorted name=value lines. */
    private static byte[] associatedData(Map<String, String> context) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(context).forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** SecureRandom made on first use, after any SnapStart restore (never from a snapshot's state). */
    private static final class Randomness {
        private static final SecureRandom RANDOM = new SecureRandom();

        static SecureRandom get() {
            return RANDOM;
        }
    }

    /** A local master key wraps each data key (AES-GCM). Its id names it by a fingerprint, never the key itself. */
    static final class Local extends QuarantineKeys {
        /** Local keys made in this JVM, by id. */
        static final Map<String, Local> KNOWN = new ConcurrentHashMap<>();
        private final byte[] master;
        private final String id;

        Local(byte[] master) {
            if (master.length != 32) {
                throw new IllegalArgumentException("a local quarantine key must be 32 bytes (base64), not " + master.length);
            }
            this.master = master.clone();
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(master);
                this.id = LOCAL_PREFIX + HexFormat.of().formatHex(digest, 0, 8);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            KNOWN.putIfAbsent(id, this);
        }

        @Override
        public String keyId() {
            return id;
        }

        @Override
        protected DataKey newDataKey(Map<String, String> context) {
            byte[] key = new byte[32];
            Randomness.get().nextBytes(key);
            return new DataKey(key, gcm(Cipher.ENCRYPT_MODE, master, key, context));
        }

        @Override
        protected byte[] unwrap(byte[] wrapped, Map<String, String> context) {
            return gcm(Cipher.DECRYPT_MODE, master, wrapped, context);
        }
    }

    /** KMS wraps each data key; the client is built on first use (the first quarantined callback). */
    static final class Kms extends QuarantineKeys {
        private final String keyId;
        private final Supplier<KmsClient> client;

        Kms(FunctionEnvironment env, String keyId) {
            this.keyId = keyId;
            this.client = SdkClients.onFirstUse(() -> SdkClients.configured(KmsClient.builder(), env, "KMS_ENDPOINT",
                    Duration.ofSeconds(5), Duration.ofSeconds(2)).build());
        }

        @Override
        public String keyId() {
            return keyId;
        }

        @Override
        protected DataKey newDataKey(Map<String, String> context) {
            GenerateDataKeyResponse key = client.get().generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256)
                    .encryptionContext(context));
            return new DataKey(key.plaintext().asByteArray(), key.ciphertextBlob().asByteArray());
        }

        @Override
        protected byte[] unwrap(byte[] wrapped, Map<String, String> context) {
            // The wrapped key names its KMS key; the configured one may have been replaced since.
            return client.get().decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                    .encryptionContext(context)).plaintext().asByteArray();
        }
    }
}
