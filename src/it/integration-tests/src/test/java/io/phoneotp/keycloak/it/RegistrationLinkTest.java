package io.phoneotp.keycloak.it;

import io.phoneotp.keycloak.delivery.SmsLength;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.keycloak.events.EventType;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.RequiredActionConfigRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.remote.timeoffset.InjectTimeOffSet;
import org.keycloak.testframework.remote.timeoffset.TimeOffSet;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deliveryMode on the registration action phone-number-config: the text carries a link that
 * confirms the new number. The waiting browser and the phone are independent clients, each with
 * its own cookies; nothing is saved until the link is confirmed.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class RegistrationLinkTest extends PhoneOtpTestBase {

    private static final String INVALID = "This link is invalid, used or expired.";
    private static final String QUESTION = "Are you adding this phone number?";
    private static final String CONFIRMED = "Number confirmed.";
    private static final String NOT_YET = "The link has not been confirmed yet.";

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    @InjectTimeOffSet
    TimeOffSet timeOffSet;

    /** The administrator's setting, where the action keeps its other code settings: its configuration. */
    private void registrationConfig(String deliveryMode) {
        registrationConfig(Map.of("deliveryMode", deliveryMode));
    }

    private void registrationConfig(Map<String, String> settings) {
        RequiredActionConfigRepresentation config = new RequiredActionConfigRepresentation();
        config.setConfig(settings);
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
        createRegisteringUser(username, null);
        RawVisitor browser = signIn(username);
        assertTrue(browser.hasForm("phone-otp-register-form") && browser.page().contains("name=\"phoneNumber\""), browser.page());
        return browser;
    }

    /** A browser that has signed in with the user's password, at whatever page comes next. */
    private static RawVisitor signIn(String username) {
        return new RawVisitor().open(RawVisitor.LOGIN)
                .submit("kc-form-login", Map.of("username", username, "password", username + "-password"));
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
        assertTrue(new RawVisitor().open(link).page().contains("Adding this number to the account reglink-ben in Phone OTP Test from "),
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

    // ---- the edges: dead links, other attempts, other purposes, resends, limits, the real browser ----

    private String linkTo(String number) {
        return twilio.lastMessageTo(number).link();
    }

    private static RawVisitor confirm(RawVisitor phone) {
        return phone.submit("phone-otp-link-form", Map.of("confirm", "true"));
    }

    /** One neutral answer for every dead link, whatever its purpose: the phone learns nothing from it. */
    private static void assertNeutral(RawVisitor phone, String what) {
        assertEquals(400, phone.status(), what + ": " + phone.page());
        assertTrue(phone.page().contains(INVALID), what + ": " + phone.page());
        assertFalse(phone.hasForm("phone-otp-link-form"), what + ": no question to answer");
    }

    /** The registering browser still waits, at its own page, and the account has no number. */
    private void assertStillWaiting(RawVisitor browser, String username) {
        assertEquals("waiting", status(browser));
        assertTrue(pressContinue(browser).page().contains(NOT_YET), browser.page());
        assertFalse(browser.signedIn());
        assertNull(userAttribute(username, "phoneNumber"), "nothing is saved");
        assertNull(userAttribute(username, "phoneNumberVerified"));
    }

    /** The number is saved verified, by exactly one CUSTOM_REQUIRED_ACTION event of this user, which says how the link was answered. */
    private void assertSavedOnce(String username, String number, String where) {
        assertEquals(number, userAttribute(username, "phoneNumber"));
        assertEquals("true", userAttribute(username, "phoneNumberVerified"));
        EventRepresentation saved = lastEvent(username, EventType.CUSTOM_REQUIRED_ACTION);
        assertEquals(where, saved.getDetails().get("phone_otp_link"));
        String id = userId(username);
        assertEquals(1, eventsOfThisTest().stream().filter(e -> id.equals(e.getUserId()) && "CUSTOM_REQUIRED_ACTION".equals(e.getType())).count(),
                "saved once: " + eventsOfThisTest());
    }

    /** The link with one character of its token changed. */
    private static String tampered(String link) {
        int at = link.length() - 11;
        char c = link.charAt(at);
        return link.substring(0, at) + (c == 'x' ? 'y' : 'x') + link.substring(at + 1);
    }

    @Test
    void aTamperedLinkAndAnExpiredLinkGetTheNeutralAnswerAndSaveNothing() {
        registrationConfig("link");
        RawVisitor browser = enterNumber(numberPage("reglink-fay"), "+14155552756");
        String link = linkTo("+14155552756");
        String forged = tampered(link);
        RawVisitor earlyPhone = new RawVisitor().open(link); // the question, shown while the link was alive
        assertTrue(earlyPhone.page().contains(QUESTION), earlyPhone.page());

        assertNeutral(new RawVisitor().open(forged), "tampered");
        String token = link.substring(link.lastIndexOf('/') + 1);
        RawVisitor forger = new RawVisitor().open(link);
        forger.restore(forger.page().replace(token, forged.substring(forged.lastIndexOf('/') + 1)));
        assertNeutral(confirm(forger), "a Yes posted to the tampered link");
        assertStillWaiting(browser, "reglink-fay");

        timeOffSet.set(301); // the code's lifetime, and the link's, is 300 seconds
        assertNeutral(new RawVisitor().open(link), "expired");
        assertNeutral(confirm(earlyPhone), "a Yes to a question shown before the link expired");
        String waiting = browser.page();
        browser.open(link);
        assertFalse(browser.signedIn(), "not even in the registering browser: " + browser.location());
        assertNeutral(browser, "expired, in the registering browser");
        assertFalse(pressContinue(browser.restore(waiting)).signedIn(), browser.page());
        assertNull(userAttribute("reglink-fay", "phoneNumber"));
        String fay = userId("reglink-fay");
        assertTrue(eventsOfThisTest().stream().noneMatch(e -> fay.equals(e.getUserId()) && "CUSTOM_REQUIRED_ACTION".equals(e.getType())));
    }

    /**
     * A used link: one denied (the user then types the same number again) and one confirmed. Neither
     * does anything a second time: not for the new attempt, and no second save.
     */
    @Test
    void aUsedLinkGetsTheNeutralAnswerAndNeverAdvancesTheNextAttempt() {
        // no cooldown: typing the number again after the No is a send like any resend, and waits as one
        registrationConfig(Map.of("deliveryMode", "link", "resendCooldownSeconds", "0"));
        String number = "+14155552755";
        RawVisitor browser = enterNumber(numberPage("reglink-eva"), number);
        String denied = linkTo(number);
        RawVisitor earlyPhone = new RawVisitor().open(denied);
        new RawVisitor().open(denied).submit("phone-otp-link-form", Map.of("deny", "true"));
        pressContinue(browser);
        assertTrue(browser.page().contains("name=\"phoneNumber\""), "back at the number: " + browser.page());

        enterNumber(browser, number);
        String second = linkTo(number);
        assertNotEquals(denied, second);
        assertNeutral(new RawVisitor().open(denied), "a denied link, opened again");
        assertNeutral(confirm(earlyPhone), "a Yes to the denied link's question, shown before the No");
        String waiting = browser.page();
        browser.open(denied);
        assertNeutral(browser, "the denied link in the registering browser");
        browser.restore(waiting); // back to the waiting page, as the browser's back button would go
        assertStillWaiting(browser, "reglink-eva");

        String secondQuestion = new RawVisitor().open(second).page();
        RawVisitor phone = confirm(new RawVisitor().open(second));
        assertTrue(phone.page().contains(CONFIRMED), phone.page());
        assertNeutral(new RawVisitor().open(second), "used");
        assertNeutral(confirm(new RawVisitor().restore(secondQuestion)), "a second Yes to the same question");
        assertTrue(pressContinue(browser).signedIn(), browser.page());
        assertSavedOnce("reglink-eva", number, "other_device");
    }

    @Test
    void aLinkOfAnotherUsersRegistrationNeverSavesANumberInTheBrowserThatOpensIt() {
        registrationConfig("link");
        RawVisitor gil = enterNumber(numberPage("reglink-gil"), "+14155552757");
        String gilsLink = linkTo("+14155552757");
        RawVisitor hal = enterNumber(numberPage("reglink-hal"), "+14155552758");
        String halsPage = hal.page();

        hal.open(gilsLink);
        assertFalse(hal.signedIn(), "another attempt's link is only a question in this browser");
        assertTrue(hal.page().contains(QUESTION), hal.page());
        assertTrue(confirm(hal).page().contains(CONFIRMED), hal.page());

        hal.restore(halsPage);
        assertStillWaiting(hal, "reglink-hal");
        assertEquals("confirmed", status(gil), "the Yes belongs to the link's own attempt");
        assertTrue(pressContinue(gil).signedIn(), gil.page());
        assertSavedOnce("reglink-gil", "+14155552757", "other_device");
        assertNull(userAttribute("reglink-hal", "phoneNumber"));
        hal.open(linkTo("+14155552758"));
        assertTrue(hal.signedIn(), "hal's own link still saves hal's own number");
        assertSavedOnce("reglink-hal", "+14155552758", "same_device");
    }

    @Test
    void aLinkOfTheSameUsersRegistrationInAnotherBrowserIsOnlyAQuestionThere() {
        registrationConfig("link");
        createRegisteringUser("reglink-ida", null);
        RawVisitor first = enterNumber(signIn("reglink-ida"), "+14155552759");
        String firstLink = linkTo("+14155552759");
        RawVisitor second = enterNumber(signIn("reglink-ida"), "+14155552760");
        String secondsPage = second.page();

        second.open(firstLink);
        assertFalse(second.signedIn());
        assertTrue(second.page().contains(QUESTION), second.page());
        second.restore(secondsPage);
        assertStillWaiting(second, "reglink-ida");

        first.open(firstLink);
        assertTrue(first.signedIn(), "the link's own browser saves at once: " + first.page());
        assertSavedOnce("reglink-ida", "+14155552759", "same_device");
        assertEquals("waiting", status(second), "the other browser's attempt still waits for its own link");
        assertFalse(pressContinue(second).signedIn());
    }

    /** A user with an unverified number whom the administrator asked to register one: the SMS sign-in step asks them first. */
    private RawVisitor smsSignIn(String username) {
        RawVisitor browser = signIn(username);
        assertTrue(browser.hasForm("phone-otp-form"), "at the SMS step's code page: " + browser.page());
        return browser;
    }

    private static String codeIn(String text) {
        Matcher code = Pattern.compile("code is (\\d{6})").matcher(text);
        assertTrue(code.find(), text);
        return code.group(1);
    }

    /** What the sign-in's waiting page asks with its own cookies (the code page's form is phone-otp-form). */
    private static RawVisitor continueSignIn(RawVisitor browser) {
        return browser.submit("phone-otp-form", Map.of("linkContinue", "true"));
    }

    @Test
    void aRegistrationLinkNeverCompletesASignInStepOfTheSameUserAndNumber() {
        String number = "+14155552761";
        smsStepConfig(Map.of("deliveryMode", "both"));
        registrationConfig("link");
        createRegisteringUser("reglink-jo", number);
        RawVisitor signingIn = smsSignIn("reglink-jo");
        String signInCode = codeIn(twilio.lastMessageTo(number).body());
        String signInPage = signingIn.page();

        RawVisitor registering = smsSignIn("reglink-jo");
        registering.submit("phone-otp-form", Map.of("code", codeIn(twilio.lastMessageTo(number).body())));
        enterNumber(registering, number);
        String registrationLink = linkTo(number);
        assertTrue(twilio.lastMessageTo(number).body().startsWith("Tap to confirm your number"), twilio.lastMessageTo(number).body());

        signingIn.open(registrationLink);
        assertTrue(signingIn.page().contains(QUESTION), "the phone is asked about a number, not a sign-in: " + signingIn.page());
        assertTrue(confirm(signingIn).page().contains(CONFIRMED), signingIn.page());

        signingIn.restore(signInPage);
        assertEquals("waiting", status(signingIn), "the sign-in still waits for its own code or link");
        assertTrue(continueSignIn(signingIn).page().contains("The link has not been confirmed yet."), signingIn.page());
        assertFalse(signingIn.signedIn());
        assertTrue(signingIn.hasForm("phone-otp-form") && signingIn.page().contains("id=\"code\""), "still at the code page");

        assertTrue(pressContinue(registering).signedIn(), "the registration link did its own work: " + registering.page());
        assertSavedOnce("reglink-jo", number, "other_device");
        assertTrue(signingIn.submit("phone-otp-form", Map.of("code", signInCode)).signedIn(), "the sign-in's own code still works");
    }

    @Test
    void aSignInLinkNeverConfirmsARegistrationOfTheSameUserAndNumber() {
        String number = "+14155552762";
        smsStepConfig(Map.of("deliveryMode", "link"));
        registrationConfig("link");
        createRegisteringUser("reglink-kit", number);
        RawVisitor registering = smsSignIn("reglink-kit");
        registering.open(linkTo(number)); // its own sign-in link, in its own browser: the SMS step is done
        enterNumber(registering, number);
        assertTrue(twilio.lastMessageTo(number).body().startsWith("Tap to confirm your number"), twilio.lastMessageTo(number).body());
        String registeringPage = registering.page();

        RawVisitor signingIn = smsSignIn("reglink-kit");
        String signInLink = linkTo(number);
        assertTrue(twilio.lastMessageTo(number).body().startsWith("Tap to sign in"), twilio.lastMessageTo(number).body());

        registering.open(signInLink);
        assertTrue(registering.page().contains("Is this you signing in?"), "a sign-in link asks about a sign-in: " + registering.page());
        assertTrue(confirm(registering).page().contains("Sign-in confirmed."), registering.page());

        registering.restore(registeringPage);
        assertEquals("waiting", status(registering), "the registration still waits for its own link");
        assertTrue(pressContinue(registering).page().contains(NOT_YET), registering.page());
        assertFalse(registering.signedIn());
        String kit = userId("reglink-kit");
        assertTrue(eventsOfThisTest().stream().noneMatch(e -> kit.equals(e.getUserId()) && "CUSTOM_REQUIRED_ACTION".equals(e.getType())),
                "no registration was saved: " + eventsOfThisTest());
        // the sign-in link did its own work: past the SMS step, the sign-in reaches the registration it was asked for
        assertTrue(continueSignIn(signingIn).hasForm("phone-otp-register-form"), signingIn.page());
    }

    @Test
    void aResentRegistrationLinkReplacesTheFirst() {
        registrationConfig(Map.of("deliveryMode", "link", "resendCooldownSeconds", "0"));
        String number = "+14155552763";
        RawVisitor browser = enterNumber(numberPage("reglink-lea"), number);
        String first = linkTo(number);
        RawVisitor earlyPhone = new RawVisitor().open(first);

        browser.submit("phone-otp-register-form", Map.of("resend", "true"));

        assertTrue(browser.page().contains("A new link is on its way. Only the newest link works."), browser.page());
        String second = linkTo(number);
        assertNotEquals(first, second);
        assertEquals(2, twilio.textsTo(number).size());
        assertNeutral(new RawVisitor().open(first), "the first link died with the resend");
        assertNeutral(confirm(earlyPhone), "a Yes to the first link's question");
        assertStillWaiting(browser, "reglink-lea");
        browser.open(second);
        assertTrue(browser.signedIn(), browser.page());
        assertSavedOnce("reglink-lea", number, "same_device");
    }

    private static final String NO_MORE_SENDS = "No more codes can be sent in this sign-in. Start the sign-in again to get a new code.";

    @Test
    void linksCountUnderTheActionsMaxSendsAsCodesDo() {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("maxSends", "2", "resendCooldownSeconds", "0"));
        for (String mode : List.of("code", "link")) {
            settings.put("deliveryMode", mode);
            registrationConfig(settings);
            String number = mode.equals("code") ? "+14155552764" : "+14155552765";
            String username = "reglink-max-" + mode;
            RawVisitor browser = enterNumber(numberPage(username), number);
            browser.submit("phone-otp-register-form", Map.of("resend", "true"));
            assertEquals(2, twilio.textsTo(number).size(), mode);

            browser.submit("phone-otp-register-form", Map.of("resend", "true"));

            assertTrue(browser.page().contains(NO_MORE_SENDS), mode + ": " + browser.page());
            assertEquals(2, twilio.textsTo(number).size(), mode + ": nothing more is sent");
            String id = userId(username);
            EventRepresentation refused = lastEvent(e -> id.equals(e.getUserId()) && "CUSTOM_REQUIRED_ACTION_ERROR".equals(e.getType())
                    && "rate_limited".equals(e.getError()), "rate_limited of " + username);
            assertEquals("max_sends", refused.getDetails().get("phone_otp_reason"));
            assertEquals("phone-number-config", refused.getDetails().get("custom_required_action"));
            assertFalse(refused.getDetails().toString().contains(number), "masked: " + refused.getDetails());
            // the count is the attempt's: typing the number again starts no new one
            browser.submit("phone-otp-register-form", Map.of("edit", "true"));
            enterNumber(browser, number);
            assertTrue(browser.page().contains(NO_MORE_SENDS), mode + ": " + browser.page());
            assertEquals(2, twilio.textsTo(number).size());
            assertNull(userAttribute(username, "phoneNumber"));
        }
    }

    @Test
    void linksAndCodesShareTheHourlyLimitOfTheNumber() {
        policy(Map.of("maxSendsPerNumberPerHour", 2));
        String number = "+14155552766";
        registrationConfig(Map.of("deliveryMode", "link", "resendCooldownSeconds", "0"));
        RawVisitor ned = enterNumber(numberPage("reglink-ned"), number);
        registrationConfig(Map.of("deliveryMode", "code", "resendCooldownSeconds", "0"));
        RawVisitor ola = enterNumber(numberPage("reglink-ola"), number);
        assertFalse(twilio.lastMessageTo(number).body().contains("http"), "a code: " + twilio.lastMessageTo(number).body());
        assertEquals(2, twilio.textsTo(number).size());

        ola.submit("phone-otp-register-form", Map.of("resend", "true"));
        Matcher forCode = SendLimitsTest.TOO_MANY.matcher(ola.page());
        assertTrue(forCode.find(), "a code beyond the number's hourly limit: " + ola.page());
        registrationConfig(Map.of("deliveryMode", "link", "resendCooldownSeconds", "0"));
        ned.submit("phone-otp-register-form", Map.of("resend", "true"));

        Matcher forLink = SendLimitsTest.TOO_MANY.matcher(ned.page());
        assertTrue(forLink.find(), "a link beyond it, with the same message: " + ned.page());
        assertEquals(2, twilio.textsTo(number).size(), "no text went out");
        String id = userId("reglink-ned");
        EventRepresentation refused = lastEvent(e -> id.equals(e.getUserId()) && "CUSTOM_REQUIRED_ACTION_ERROR".equals(e.getType())
                && "rate_limited".equals(e.getError()), "rate_limited of reglink-ned");
        assertEquals("number", refused.getDetails().get("phone_otp_reason"));
        assertEquals("+*********66", refused.getDetails().get("phone_otp_phone"));
        assertNull(userAttribute("reglink-ned", "phoneNumber"));
    }

    private static final String EXPIRED = "The link has expired. Ask for a new one below.";

    /**
     * Once the registration link's lifetime (the action's codeTtlSeconds) is over, the waiting page
     * is told so: expired, no "tap it", no Continue and no waiting; a new link starts over. Its
     * resend countdown speaks of a link.
     */
    @Test
    void anExpiredRegistrationLinkIsToldAsExpiredAndANewOneSaves() {
        registrationConfig(Map.of("deliveryMode", "link", "codeTtlSeconds", "60", "resendCooldownSeconds", "30"));
        String number = "+14155552791";
        RawVisitor browser = enterNumber(numberPage("reglink-expired"), number);
        assertTrue(browser.page().contains("You can ask for a new link in "), browser.page());
        assertTrue(browser.page().contains("data-template=\"You can ask for a new link in {0} seconds.\""), browser.page());
        assertEquals("waiting", status(browser));

        timeOffSet.set(61);

        assertEquals("expired", status(browser));
        pressContinue(browser);
        assertTrue(browser.page().contains(EXPIRED), browser.page());
        assertFalse(browser.page().contains(NOT_YET), browser.page());
        assertFalse(browser.page().contains("data-status-url"), "nothing left to wait for: " + browser.page());
        assertFalse(browser.page().contains("id=\"phone-otp-link-continue\""), browser.page());
        assertFalse(browser.page().contains("id=\"code\""), "no field for a code that was never told: " + browser.page());
        assertNull(userAttribute("reglink-expired", "phoneNumber"));

        browser.submit("phone-otp-register-form", Map.of("resend", "true"));
        assertTrue(browser.page().contains("A new link is on its way."), browser.page());
        assertEquals("waiting", status(browser));
        confirm(new RawVisitor().open(linkTo(number)));
        assertTrue(pressContinue(browser).signedIn(), browser.page());
        assertEquals(number, userAttribute("reglink-expired", "phoneNumber"));
    }

    /** The phone's question names the account the number would go to: the one the link was issued for. */
    @Test
    void thePhonesQuestionNamesTheAccount() {
        registrationConfig("link");
        String number = "+14155552792";
        enterNumber(numberPage("reglink-named"), number);
        RawVisitor phone = new RawVisitor().open(linkTo(number));
        assertTrue(phone.page().contains("Adding this number to the account reglink-named in Phone OTP Test from "), phone.page());
    }

    /** Chromium at the registration's waiting page: once the link expires, the page says so by itself. */
    @Test
    void theWaitingRegistrationPageInChromiumTellsByItselfThatTheLinkExpired() {
        registrationConfig(Map.of("deliveryMode", "link", "codeTtlSeconds", "60"));
        String number = "+14155552793";
        createRegisteringUser("reglink-chrome-expired", null);
        WebDriver chrome = chromeAtTheWaitingPage("reglink-chrome-expired", number, null);

        timeOffSet.set(61);

        new WebDriverWait(chrome, Duration.ofSeconds(15)).until(d -> !d.findElements(By.id("phone-otp-link-expired")).isEmpty());
        Chromium.screenshot(chrome, "registration-link-2-expired-page");
        String text = chrome.findElement(By.tagName("body")).getText();
        assertTrue(text.contains(EXPIRED), text);
        assertTrue(chrome.findElements(By.id("phone-otp-link-continue")).isEmpty(), "no Continue for a dead link");
    }

    /** Chromium, the registering browser: signs in, types the number, and waits at the page that runs phone-otp-link.js. */
    private WebDriver chromeAtTheWaitingPage(String username, String number, String locale) {
        WebDriver chrome = CHROMIUM.driver();
        chrome.get("http://localhost:8080/realms/" + REALM + "/");
        chrome.manage().deleteAllCookies();
        chrome.get(RawVisitor.LOGIN + (locale == null ? "" : "&ui_locales=" + locale));
        chrome.findElement(By.id("username")).sendKeys(username);
        chrome.findElement(By.id("password")).sendKeys(username + "-password");
        chrome.findElement(By.id("kc-login")).click();
        new WebDriverWait(chrome, Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("phoneNumber")).isEmpty());
        chrome.findElement(By.id("phoneNumber")).sendKeys(number);
        chrome.findElement(By.id("phone-otp-send-code")).click();
        new WebDriverWait(chrome, Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("phone-otp-link-waiting")).isEmpty());
        return chrome;
    }

    @Test
    void theWaitingRegistrationPageInChromiumContinuesByItselfOnceThePhoneConfirms() {
        registrationConfig("link");
        String number = "+14155552767";
        createRegisteringUser("reglink-pia", null);
        WebDriver chrome = chromeAtTheWaitingPage("reglink-pia", number, null);
        Chromium.screenshot(chrome, "registration-link-1-waiting-page");
        assertTrue(chrome.findElement(By.tagName("body")).getText().contains("We sent a link by text message to +14155552767."),
                chrome.findElement(By.tagName("body")).getText());

        RawVisitor phone = new RawVisitor().open(linkTo(number));
        assertTrue(phone.page().contains("Chrome") && phone.page().contains("Linux"), "the waiting browser is named: " + phone.page());
        assertTrue(confirm(phone).page().contains(CONFIRMED), phone.page());

        new WebDriverWait(chrome, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().startsWith(FakeTwilio.BASE_URL + "/callback"));
        assertTrue(chrome.getCurrentUrl().contains("code="), chrome.getCurrentUrl());
        assertSavedOnce("reglink-pia", number, "other_device");
    }

    /** The page's visible text, with the problems a reader would see: a message key where a text belongs, or Keycloak's ??? for one it lacks. */
    private static void checkPage(WebDriver chrome, String page, String theme, List<String> expectedTexts, List<String> problems) {
        String where = theme + ", " + page + ": ";
        String text = chrome.findElement(By.tagName("body")).getText();
        if (!chrome.getPageSource().contains("/login/" + theme + "/")) {
            problems.add(where + "not rendered by the theme");
        }
        if (!"rtl".equals(((JavascriptExecutor) chrome).executeScript("return document.documentElement.dir"))) {
            problems.add(where + "not right to left");
        }
        for (String expected : expectedTexts) {
            if (!text.contains(expected)) {
                problems.add(where + "lacks \"" + expected + "\" in: " + text);
            }
        }
        Matcher raw = Pattern.compile("phoneOtp\\w+|\\?\\?\\?").matcher(text);
        if (raw.find()) {
            problems.add(where + "shows a raw message key " + raw.group() + " in: " + text);
        }
    }

    /** A bundle text up to its first placeholder: what the page shows before the number or the realm's name. */
    private static String lead(Properties bundle, String key) {
        String text = bundle.getProperty(key);
        int placeholder = text.indexOf('{');
        return (placeholder < 0 ? text : text.substring(0, placeholder)).trim();
    }

    @Test
    void theRegistrationLinkPagesWorkUnderBothThemesAndRightToLeft() {
        registrationConfig("link");
        var rep = realm.admin().toRepresentation();
        var locales = rep.getSupportedLocales();
        rep.setSupportedLocales(new TreeSet<>(List.of("en", "de", "ar", "fa")));
        realm.admin().update(rep);
        Properties arabic = LanguagesTest.bundle("ar");
        List<String> problems = new ArrayList<>();
        try {
            int user = 0;
            for (String theme : List.of("keycloak.v2", "keycloak")) {
                rep = realm.admin().toRepresentation();
                rep.setLoginTheme(theme);
                realm.admin().update(rep);
                realm.admin().logoutAll();
                String username = "reglink-rtl-" + (++user);
                String number = "+1415555277" + user;
                createRegisteringUser(username, null);

                WebDriver chrome = chromeAtTheWaitingPage(username, number, "ar");
                Chromium.screenshot(chrome, "registration-link-" + theme + "-ar-waiting-page");
                checkPage(chrome, "the waiting page", theme, List.of(lead(arabic, "phoneOtpNumberToSave"),
                        lead(arabic, "phoneOtpRegistrationLinkSent"), arabic.getProperty("phoneOtpLinkWaiting")), problems);

                String link = linkTo(number);
                chrome.manage().deleteAllCookies(); // from here on the browser is the phone
                chrome.get(link + "?kc_locale=ar"); // the language menu's choice
                new WebDriverWait(chrome, Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("phone-otp-link-form")).isEmpty());
                Chromium.screenshot(chrome, "registration-link-" + theme + "-ar-phone-page");
                checkPage(chrome, "the phone's question", theme, List.of(arabic.getProperty("phoneOtpRegistrationLinkTitle"),
                        lead(arabic, "phoneOtpRegistrationLinkFor")), problems);
                var yes = chrome.findElement(By.id("phone-otp-link-confirm"));
                String label = "input".equals(yes.getTagName()) ? yes.getDomAttribute("value") : yes.getText();
                if (!arabic.getProperty("phoneOtpLinkConfirm").equals(label.trim())) {
                    problems.add(theme + ", the phone's question: the Yes button reads " + label);
                }

                chrome.findElement(By.id("phone-otp-link-confirm")).click();
                new WebDriverWait(chrome, Duration.ofSeconds(10)).until(d -> d.findElements(By.id("phone-otp-link-form")).isEmpty());
                Chromium.screenshot(chrome, "registration-link-" + theme + "-ar-confirmed");
                checkPage(chrome, "the phone's confirmation", theme, List.of(lead(arabic, "phoneOtpRegistrationLinkConfirmed").substring(0, 10)),
                        problems);
                twilio.reset();
            }
        } finally {
            rep = realm.admin().toRepresentation();
            rep.setLoginTheme(null);
            rep.setSupportedLocales(locales);
            realm.admin().update(rep);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
