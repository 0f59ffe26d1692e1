package io.phoneotp.keycloak.user;

import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.CredentialTypeMetadata;
import org.keycloak.credential.CredentialTypeMetadataContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** Describes the {@code phone-otp} credential to the Account Console: set up, change and remove through the registration action. */
public class PhoneCredentialProvider implements CredentialProvider<CredentialModel> {

    private final KeycloakSession session;

    public PhoneCredentialProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public String getType() {
        return PhoneCredential.TYPE;
    }

    @Override
    public CredentialModel createCredential(RealmModel realm, UserModel user, CredentialModel credentialModel) {
        return user.credentialManager().createStoredCredential(credentialModel);
    }

    /** Removing the credential removes the number with it: a number that is not the user's any more must not receive codes. */
    @Override
    public boolean deleteCredential(RealmModel realm, UserModel user, String credentialId) {
        boolean removed = user.credentialManager().removeStoredCredentialById(credentialId);
        PhoneNumberRegistry.forget(user);
        return removed;
    }

    @Override
    public CredentialModel getCredentialFromModel(CredentialModel model) {
        return model;
    }

    /** One number per user: "Set up" while there is none, "Update" (change the number) once there is. */
    @Override
    public CredentialTypeMetadata getCredentialTypeMetadata(CredentialTypeMetadataContext metadataContext) {
        boolean registered = metadataContext.getUser() != null && PhoneCredential.exists(metadataContext.getUser());
        return CredentialTypeMetadata.builder()
                .type(getType())
                .category(CredentialTypeMetadata.Category.TWO_FACTOR)
                .displayName("phone-otp-display-name")
                .helpText("phone-otp-help-text")
                .iconCssClass("kcAuthenticatorPhoneOtpClass")
                .createAction(registered ? null : PhoneNumberRegistry.REGISTRATION_ACTION)
                .updateAction(registered ? PhoneNumberRegistry.REGISTRATION_ACTION : null)
                .removeable(true)
                .build(session);
    }
}
