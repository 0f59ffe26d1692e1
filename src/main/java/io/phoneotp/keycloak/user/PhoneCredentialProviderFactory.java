package io.phoneotp.keycloak.user;

import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

public class PhoneCredentialProviderFactory implements CredentialProviderFactory<PhoneCredentialProvider> {

    @Override
    public String getId() {
        return PhoneCredential.TYPE;
    }

    @Override
    public PhoneCredentialProvider create(KeycloakSession session) {
        return new PhoneCredentialProvider(session);
    }
}
