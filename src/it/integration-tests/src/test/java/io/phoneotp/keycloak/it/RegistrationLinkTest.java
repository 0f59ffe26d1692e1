package io.phoneotp.keycloak.it;

import io.phoneotp.keycloak.delivery.SmsLength;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.RequiredActionConfigRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deliveryMode on the registration action phone-number-config: the text carries a link that
 * confirms the new number. The waiting browser and the phone are independent clients, each with
 * its own cookies; nothing is saved until the link is confirmed.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class RegistrationLinkTest extends PhoneOtpTestBase {

    private static final String INVALID = "This sign-in link is invalid, used or expired.";

    /** The administrator's setting, where the action keeps its other code settings: its configuration. */
    private void registrationConfig(String deliveryMode) {
        RequiredActionConfigRepresentation config = new RequiredActionConfigRepresentation();
        config.setConfig(Map.of("deliveryMode", deliveryMode));
        realm.admin().flows().updateRequiredActionConfig("phone-number-config", config);
    }

    /** Links go out only under a host the server fixes: this server has no hostname option, so the realm gets a Frontend URL. */
    @org.junit.jupiter.api.BeforeEach
    void fixedHost() {
        frontendUrl("http://localhost:8080");
    }

    @AfterEach
    void defaultConfig() {
        realm.admin().flows().removeRequiredActionConfig("phone-number-config");
        frontendUrl(null);
    }

    /** A user without a number whom the administrator asked to register one: after the password, the number page. */
    private RawVisitor numberPage(String username) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEnabled(true);
        // a complete profile: the realm's user profile would ask for these first
        user.setEmail(username + "@example.org");
        user.setEmailVerified(true);
        user.setFirstName("Reg");
        user.setLastName("Link");
        user.setRequiredActions(List.of("phone-number-config"));
        var password = new org.keycloak.representations.idm.CredentialRepresentation();
        password.setType("password");
        password.setValue(username + "-password");
        user.setCredentials(List.of(password));
        realm.admin().users().create(user).close();
        RawVisitor browser = new RawVisitor().open(RawVisitor.LOGIN)
                .submit("kc-form-login", Map.of("username", username, "password", username + "-password"));
        assertTrue(browser.hasForm("phone-otp-register-form") && browser.page().contains("name=\"phoneNumber\""), browser.page());
        return browser;
    }

    private static RawVisitor enterNumber(RawVisitor browser, String number) {
        return browser.submit("phone-otp-register-form", Map.of("phoneNumber", number));
    }

    private static RawVisitor pressContinue(RawVisitor browser) {
        return browser.submit("phone-otp-register-form", Map.of("linkContinue", "true"));
    }

    /** What the waiting page's script learns, asked with the browser's own cookies; the browser's page stays. */
    private static String status(RawVisitor browser) {
        String page = browser.page();
        Matcher url = Pattern.compile("data-status-url=\"([^\"]+)\"").matcher(page);
        assertTrue(url.find(), "the waiting page asks for its link's status: " + page);
        String json = browser.open(url.group(1).replace("&amp;", "&")).page();
        browser.restore(page);
        Matcher status = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"").matcher(json);
        assertTrue(status.find(), json);
        return status.group(1);
    }

    @Test
    void theAdministratorFindsTheSettingWithTheActionsOtherCodeSettings() {
        var described = realm.admin().flows().getRequiredActionConfigDescription("phone-number-config");
        var mode = described.getProperties().stream().filter(p -> p.getName().equals("deliveryMode")).findFirst().orElseThrow();
        assertEquals(List.of("code", "link", "both"), mode.getOptions());
        assertEquals("code", String.valueOf(mode.getDefaultValue()));
        assertTrue(described.getProperties().stream().anyMatch(p -> p.getName().equals("codeTtlSeconds")), "beside the code settings");
    }

    @Test
    void theTextCarriesALinkAndTappingItInTheRegisteringBrowserSavesTheNumberAtOnce() {
        registrationConfig("link");
        RawVisitor browser = enterNumber(numberPage("reglink-amy"), "+14155552751");

        String text = twilio.lastMessageTo("+14155552751").body();
        assertTrue(text.startsWith("Tap to confirm your number for Phone OTP Test: http://localhost:8080/realms/" + REALM + "/phone-otp/link/"), text);
        assertEquals(1, SmsLength.of(text).segments(), text);
        assertTrue(browser.page().contains("We sent a link by text message to"), browser.page());
        assertFalse(browser.page().contains("id=\"code\""), "no code field in link mode");
        assertTrue(browser.page().contains("Send a new link"), browser.page());
        assertNull(userAttribute("reglink-amy", "phoneNumber"), "nothing is saved before the link is confirmed");

        browser.open(twilio.lastMessageTo("+14155552751").link());

        assertTrue(browser.signedIn(), "the same browser continues at once: " + browser.location() + " " + browser.page());
        assertEquals("+14155552751", userAttribute("reglink-amy", "phoneNumber"));
        assertEquals("true", userAttribute("reglink-amy", "phoneNumberVerified"));
        EventRepresentation saved = lastEvent("reglink-amy", EventType.CUSTOM_REQUIRED_ACTION);
        assertEquals("same_device", saved.getDetails().get("phone_otp_link"));
        assertEquals("+*********51", saved.getDetails().get("phone_otp_phone"));
    }

    @Test
    void onAnotherDeviceOnlyThePhonesConfirmationSavesTheNumber() {
        registrationConfig("link");
        RawVisitor browser = enterNumber(numberPage("reglink-ben"), "+14155552752");
        String link = twilio.lastMessageTo("+14155552752").link();

        RawVisitor previewer = new RawVisitor().open(link);
        assertTrue(previewer.page().contains("Are you adding this phone number?"), previewer.page());
        assertTrue(new RawVisitor().open(link).page().contains("Adding this number to your account in Phone OTP Test from "),
                "a GET consumes nothing");
        assertEquals("waiting", status(browser));
        assertTrue(pressContinue(browser).page().contains("The link has not been confirmed yet."), browser.page());
        assertNull(userAttribute("reglink-ben", "phoneNumber"));

        RawVisitor phone = new RawVisitor().open(link).submit("phone-otp-link-form", Map.of("confirm", "true"));
        assertTrue(phone.page().contains("Number confirmed."), phone.page());
        assertFalse(phone.signedIn());

        assertEquals("confirmed", status(browser));
        assertTrue(pressContinue(browser).signedIn(), browser.page());
        assertEquals("+14155552752", userAttribute("reglink-ben", "phoneNumber"));
        assertEquals("other_device", lastEvent("reglink-ben", EventType.CUSTOM_REQUIRED_ACTION).getDetails().get("phone_otp_link"));
        RawVisitor again = new RawVisitor().open(link);
        assertTrue(again.status() == 400 && again.page().contains(INVALID), "used once: " + again.page());
    }

    @Test
    void denyingOnThePhoneEndsTheAttemptWithAMessageAndAnEventAndSavesNothing() {
        registrationConfig("link");
        RawVisitor browser = enterNumber(numberPage("reglink-cleo"), "+14155552753");
        String link = twilio.lastMessageTo("+14155552753").link();

        RawVisitor phone = new RawVisitor().open(link).submit("phone-otp-link-form", Map.of("deny", "true"));

        assertTrue(phone.page().contains("Adding this number was denied on the phone that received the link. Nothing was saved."), phone.page());
        String cleo = userId("reglink-cleo");
        EventRepresentation denied = lastEvent(e -> cleo.equals(e.getUserId()) && "CUSTOM_REQUIRED_ACTION_ERROR".equals(e.getType())
                && "link_denied".equals(e.getError()), "link_denied of reglink-cleo");
        assertEquals("link_denied", denied.getDetails().get("phone_otp_error"));
        assertEquals("phone-number-config", denied.getDetails().get("custom_required_action"));
        assertEquals("+*********53", denied.getDetails().get("phone_otp_phone"));
        assertEquals("denied", status(browser));

        pressContinue(browser);
        assertTrue(browser.page().contains("Adding this number was denied on the phone that received the link. Nothing was saved."), browser.page());
        assertTrue(browser.page().contains("name=\"phoneNumber\""), "back at the number: the attempt is over " + browser.page());
        assertFalse(browser.signedIn());
        assertNull(userAttribute("reglink-cleo", "phoneNumber"));
        assertNull(userAttribute("reglink-cleo", "phoneNumberVerified"));
        assertEquals(400, new RawVisitor().open(link).status(), "a denied link is used");
    }

    @Test
    void inBothModeTheCodeAlsoConfirmsAndThenTheLinkIsDead() {
        registrationConfig("both");
        RawVisitor browser = enterNumber(numberPage("reglink-dan"), "+14155552754");
        FakeTwilio.Recorded sms = twilio.lastMessageTo("+14155552754");
        Matcher code = Pattern.compile("^Phone OTP Test: the code for your number is (\\d{6}), or tap http://localhost:8080/realms/").matcher(sms.body());
        assertTrue(code.find(), sms.body());
        assertEquals(1, SmsLength.of(sms.body()).segments());
        assertTrue(browser.page().contains("We sent a code and a link by text message to"), browser.page());

        browser.submit("phone-otp-register-form", Map.of("code", code.group(1)));

        assertTrue(browser.signedIn(), browser.page());
        assertEquals("+14155552754", userAttribute("reglink-dan", "phoneNumber"));
        RawVisitor late = new RawVisitor().open(sms.link());
        assertTrue(late.status() == 400 && late.page().contains(INVALID), "the number is proved: the link does nothing more");
    }
}
