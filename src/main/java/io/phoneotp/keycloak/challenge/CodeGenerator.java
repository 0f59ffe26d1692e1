package io.phoneotp.keycloak.challenge;

import java.security.SecureRandom;

/** Issues numeric one-time codes from a cryptographically strong source. */
public final class CodeGenerator {

    private static final SecureRandom RANDOM = new SecureRandom();

    private CodeGenerator() {
    }

    public static String digits(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be positive");
        }
        char[] code = new char[length];
        for (int i = 0; i < length; i++) {
            code[i] = (char) ('0' + RANDOM.nextInt(10));
        }
        return new String(code);
    }
}
