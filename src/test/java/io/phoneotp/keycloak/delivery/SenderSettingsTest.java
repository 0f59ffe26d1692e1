package io.phoneotp.keycloak.delivery;

import org.junit.jupiter.api.Test;
import org.keycloak.vault.VaultCharSecret;
import org.keycloak.vault.VaultRawSecret;
import org.keycloak.vault.VaultStringSecret;
import org.keycloak.vault.VaultTranscriber;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SenderSettingsTest {

    static final String SID = "AC0123456789abcdef0123456789abcdef";

    /** Keycloak's file vault as the transcriber sees it: a plain value passes, a reference resolves or is empty. */
    static final VaultTranscriber FILE_VAULT = vault(value -> SenderSettings.vaultKey(value)
            .map(key -> Optional.ofNullable(Map.of("twilio-token", "from-the-vault").get(key)))
            .orElse(Optional.of(value)));

    @Test
    void aPlainTokenIsUsedAsStoredAndAReferenceAsTheVaultResolvesIt() {
        assertEquals(Optional.of("plain"), settings("plain").resolvedAuthToken(FILE_VAULT));
        assertEquals(Optional.of("from-the-vault"), settings("${vault.twilio-token}").resolvedAuthToken(FILE_VAULT));
    }

    @Test
    void aReferenceTheVaultCannotResolveIsNoTokenAtAll() {
        assertEquals(Optional.empty(), settings("${vault.missing-key}").resolvedAuthToken(FILE_VAULT));
        assertEquals(Optional.empty(), settings(null).resolvedAuthToken(FILE_VAULT));
        VaultTranscriber echoing = vault(Optional::of);
        assertEquals(Optional.empty(), settings("${vault.missing-key}").resolvedAuthToken(echoing), "never the reference itself");
    }

    @Test
    void theKeyOfAReferenceIsWhatMayBeLogged() {
        assertEquals(Optional.of("missing-key"), SenderSettings.vaultKey("${vault.missing-key}"));
        assertEquals(Optional.empty(), SenderSettings.vaultKey("plain-secret"));
        assertEquals(Optional.empty(), SenderSettings.vaultKey(null));
    }

    private static SenderSettings settings(String authToken) {
        return new SenderSettings("twilio", SID, authToken, "+16175551212", null);
    }

    private static VaultTranscriber vault(Function<String, Optional<String>> lookup) {
        return new VaultTranscriber() {
            @Override
            public VaultStringSecret getStringSecret(String value) {
                return new VaultStringSecret() {
                    @Override
                    public Optional<String> get() {
                        return lookup.apply(value);
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public VaultRawSecret getRawSecret(String value) {
                throw new UnsupportedOperationException();
            }

            @Override
            public VaultCharSecret getCharSecret(String value) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
