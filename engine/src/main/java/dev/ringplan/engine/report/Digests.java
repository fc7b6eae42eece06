package dev.ringplan.engine.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Digests of the saved preview: SHA-256 of bytes and of values (as canonical JSON: map keys
 * sorted), and a salted, slow digest of secret values (PBKDF2-HMAC-SHA256), which tells whether
 * a secret changed without keeping anything that a dictionary could cheaply be run against.
 */
public final class Digests {
    /** PBKDF2 iterations of {@link #secret}. */
    public static final int SECRET_ITERATIONS = 200_000;
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private Digests() {
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** SHA-256 of {@code value} as canonical JSON (maps with sorted keys). */
    public static String ofValue(Object value) {
        return sha256(canonical(value).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code value} as canonical JSON: map keys sorted, no blanks. */
    public static String canonical(Object value) {
        try {
            return CANONICAL.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** 16 random bytes, base64: the salt of one saved preview's {@link #secret} digests. */
    public static String newSalt() {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return Base64.getEncoder().encodeToString(salt);
    }

    /**
     * PBKDF2-HMAC-SHA256 ({@link #SECRET_ITERATIONS} iterations, 256 bits, hex) of {@code value}
     * as canonical JSON, salted with {@code salt} (base64).
     */
    public static String secret(Object value, String salt) {
        char[] password = canonical(value).toCharArray();
        try {
            PBEKeySpec spec = new PBEKeySpec(password, Base64.getDecoder().decode(salt), SECRET_ITERATIONS, 256);
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            spec.clearPassword();
            return HexFormat.of().formatHex(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 missing from the JDK", e);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }
}
