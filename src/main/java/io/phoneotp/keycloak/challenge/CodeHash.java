package io.phoneotp.keycloak.challenge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A salted SHA-256 of a code: what the authentication session keeps instead of the code, so a
 * replicated or dumped session never reveals it. Compared in constant time.
 */
public record CodeHash(String salt, String hash) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public static CodeHash of(String code) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        String saltText = Base64.getEncoder().encodeToString(salt);
        return new CodeHash(saltText, digest(saltText, code));
    }

    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        byte[] expected = hash.getBytes(StandardCharsets.US_ASCII);
        byte[] actual = digest(salt, candidate).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }

    private static String digest(String salt, String code) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt.getBytes(StandardCharsets.US_ASCII));
            sha.update(code.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
