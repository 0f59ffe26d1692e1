package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.openqa.selenium.By;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Removing the phone is guarded like changing it: Keycloak lets a password alone delete a
 * credential, and a number registered after that would be a first number, with no guard. So a
 * removal without a recent second factor is undone, and a stolen password cannot move the phone
 * factor to the thief's phone by way of deleting it first. (Found by an adversarial review.)
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class PhoneFactorRemovalTest extends PhoneOtpTestBase {

    @Test
    void aPasswordOnlySignInCannotRemoveThePhoneAndThenRegisterAnother() {
        assertEquals("true", userAttribute("quinn", "phoneNumberVerified"), "quinn's phone is a second factor");
        requirement(FORMS_FLOW, SECOND_FACTOR_FLOW, "DISABLED"); // a sign-in with the password alone
        signInWithPassword("quinn");
        assertTrue(signedIn(), pageText());

        oauth.loginForm().kcAction("delete_credential:" + phoneCredentialId("quinn")).open();
        driver.findElement(By.id("kc-accept")).click();
        startPhoneAction();

        assertFalse(registrationPage.isCurrent(), "the removal did not hold, so this is a change: " + pageText());
        assertTrue(pageText().contains("To change your phone number, sign in again with your second factor"), pageText());
        assertEquals("+14155552680", userAttribute("quinn", "phoneNumber"));
        assertEquals("true", userAttribute("quinn", "phoneNumberVerified"));
        assertTrue(storedCredentialTypes("quinn").contains("phone-otp"), "the Account Console still lists the phone");
    }

    @Test
    void aStolenPasswordCannotRemoveThePhoneThroughTheAccountApi() throws Exception {
        ClientRepresentation cli = new ClientRepresentation(); // say a command-line tool with direct access grants
        cli.setClientId("password-app");
        cli.setPublicClient(true);
        cli.setStandardFlowEnabled(false);
        cli.setDirectAccessGrantsEnabled(true);
        realm.admin().clients().create(cli).close();
        String token = userToken("wendy", "password-app"); // the password alone

        AdminRest.delete("/realms/" + REALM + "/account/credentials/" + phoneCredentialId("wendy"), token);

        assertEquals("+14155552683", userAttribute("wendy", "phoneNumber"));
        assertEquals("true", userAttribute("wendy", "phoneNumberVerified"));
        assertTrue(storedCredentialTypes("wendy").contains("phone-otp"), "the phone credential is back");
        signInWithPassword("wendy");
        assertTrue(codePage.isCurrent(), "the phone is still wendy's second factor: " + pageText());
    }

    private String phoneCredentialId(String username) {
        return realm.admin().users().get(userId(username)).credentials().stream()
                .filter(c -> "phone-otp".equals(c.getType())).findFirst().orElseThrow().getId();
    }
}
