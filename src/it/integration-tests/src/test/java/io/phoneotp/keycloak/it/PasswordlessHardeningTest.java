package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an attacker tried against sign-in by phone: telling real accounts from unknown ones by a
 * refused send, sharing one limit between different numbers, and capturing another user's
 * sign-in with a username that is that user's number or email address.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class PasswordlessHardeningTest extends PhoneOtpTestBase {

    private static final String LOGIN = RawVisitor.LOGIN;
    private static final String TINA = "+14155552682";

    @BeforeEach
    void bindPasswordless() {
        bindBrowserFlow("passwordless-phone");
    }

    private static RawVisitor identify(String clientAddress, String identifier) {
        return new RawVisitor(clientAddress).open(LOGIN).submit("phone-otp-identify-form", Map.of("username", identifier));
    }

    @Test
    void aSendRefusedByALimitLooksExactlyLikeASend() {
        policy(Map.of("maxSendsPerNumberPerHour", 1));
        stepConfig("passwordless-phone code", "phone-otp-sms", Map.of("resendCooldownSeconds", "0"));
        RawVisitor sent = identify(null, "tina");
        twilio.awaitText(TINA, 1);
        RawVisitor refused = identify(null, "tina"); // the number's limit is spent

        assertEquals(SamePage.comparable(sent.page()), SamePage.comparable(refused.page()));
        assertEquals("rate_limited", lastEvent("tina", EventType.LOGIN_ERROR).getDetails().get("phone_otp_error"), "the event tells the truth");
        // and so are the next pages: the resend, and a wrong code
        Map<String, String> resend = Map.of("resend", "true");
        assertEquals(SamePage.comparable(sent.submit("phone-otp-form", resend).page()),
                SamePage.comparable(refused.submit("phone-otp-form", resend).page()));
        Map<String, String> wrong = Map.of("code", "000000".equals(twilio.lastMessageTo(TINA).code()) ? "111111" : "000000");
        assertEquals(SamePage.comparable(sent.submit("phone-otp-form", wrong).page()),
                SamePage.comparable(refused.submit("phone-otp-form", wrong).page()));
        assertEquals(1, twilio.messagesTo(TINA).size());
    }

    /**
     * An attacker with an account of his own in a number range probes a number of that range; his
     * own second-factor sign-in would be refused by the range's limit only if the probed number had
     * an account, unless a number without an account spends the range's count too.
     */
    @Test
    void aProbedNumberSpendsItsRangesCountWhetherOrNotItHasAnAccount() {
        createUser("attacker-a", "+12025550101"); // range +1202555, where the probed number has no account
        createUser("attacker-b", "+13035550101"); // range +1303555, where the probed number has one
        createUser("probed", "+13035550177");
        setAttribute("probed", "phoneNumberVerified", "true");
        policy(Map.of("maxSendsPerPrefixPerHour", 1));

        identify("198.51.100.7", "+12025550177");
        identify("198.51.100.7", "+13035550177");
        twilio.awaitText("+13035550177", 1);

        bindBrowserFlow("browser-phone-otp");
        RawVisitor a = new RawVisitor().open(LOGIN).submit("kc-form-login", Map.of("username", "attacker-a", "password", "attacker-a-password"));
        RawVisitor b = new RawVisitor().open(LOGIN).submit("kc-form-login", Map.of("username", "attacker-b", "password", "attacker-b-password"));
        assertTrue(twilio.messagesTo("+12025550101").isEmpty(), "the unknown number's probe spent its range's count");
        assertTrue(twilio.messagesTo("+13035550101").isEmpty(), "the real account's probe spent its range's count");
        assertEquals(a.page().contains("Too many codes were requested"), b.page().contains("Too many codes were requested"));
    }

    @Test
    void differentUnknownNumbersAreCountedApartEvenWhenTheyEndAlike() {
        policy(Map.of("maxSendsPerNumberPerHour", 1));
        String address = "192.0.2.21"; // this test's own client, to find its events
        identify(address, "+14155550101");
        identify(address, "+14155550201"); // masked, both are +*********01

        List<EventRepresentation> refused = eventsFrom(address).stream()
                .filter(e -> "rate_limited".equals(e.getDetails().get("phone_otp_error"))).toList();
        assertTrue(refused.isEmpty(), "each number has its own count: " + refused);
        assertTrue(eventsFrom(address).stream().anyMatch(e -> "unknown_user".equals(e.getDetails().get("phone_otp_reason"))),
                "the sign-ins were seen: " + eventsFrom(address));
        assertTrue(twilio.requests().isEmpty());
    }

    @Test
    void aUsernameThatIsAnotherUsersNumberCannotCaptureTheirSignIn() {
        createSquatter("+14155552681", "+14155550177"); // rita's verified number as a username
        RawVisitor visitor = identify(null, "+14155552681");

        visitor.submit("phone-otp-form", Map.of("code", twilio.awaitText("+14155552681", 1).code()));
        assertTrue(visitor.signedIn(), visitor.page());
        assertTrue(twilio.messagesTo("+14155550177").isEmpty(), "nothing to the squatter: " + twilio.requests());
    }

    @Test
    void aUsernameThatIsAnotherUsersEmailCannotCaptureTheirSignIn() {
        int created = createSquatter("wendy@example.org", "+14155550178"); // wendy's email as a username
        assertTrue(created == 201 || created == 409, "Keycloak may refuse the squat itself: " + created);
        RawVisitor visitor = identify(null, "wendy@example.org");

        visitor.submit("phone-otp-form", Map.of("code", twilio.awaitText("+14155552683", 1).code()));
        assertTrue(visitor.signedIn(), visitor.page());
        assertTrue(twilio.messagesTo("+14155550178").isEmpty(), "nothing to the squatter: " + twilio.requests());
    }

    /** A user whose username is someone else's identifier, with a verified number of its own; the HTTP status of the creation. */
    private int createSquatter(String username, String ownNumber) {
        UserRepresentation squatter = new UserRepresentation();
        squatter.setUsername(username);
        squatter.setEnabled(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue("squatter-password");
        squatter.setCredentials(List.of(password));
        try (var response = realm.admin().users().create(squatter)) {
            if (response.getStatus() == 201) {
                String id = response.getLocation().getPath().replaceAll(".*/", "");
                var user = realm.admin().users().get(id);
                UserRepresentation rep = user.toRepresentation();
                rep.singleAttribute("phoneNumber", ownNumber);
                user.update(rep);
                rep = user.toRepresentation();
                rep.singleAttribute("phoneNumberVerified", "true");
                user.update(rep);
            }
            return response.getStatus();
        }
    }

    private List<EventRepresentation> eventsFrom(String address) {
        return realm.admin().getEvents(List.of("LOGIN_ERROR"), null, null, null, null, address, 0, 100);
    }

    @Test
    void theCodePageOfARealAccountIsNotInItsHoldersLanguage() {
        setAttribute("hans", "phoneNumberVerified", "true"); // hans chose German
        String real = SamePage.comparable(identify(null, "hans").page());
        String unknown = SamePage.comparable(identify(null, "no-such-account-4711").page());

        assertEquals(unknown, real, "the language would tell that the account exists");
    }

    @Test
    void forgotPasswordsCodePageOfARealAccountIsNotInItsHoldersLanguage() {
        setAttribute("hans", "phoneNumberVerified", "true");
        bindBrowserFlow("browser-phone-otp"); // its login page links to forgot-password
        var rep = realm.admin().toRepresentation();
        rep.setResetCredentialsFlow("reset-with-sms");
        realm.admin().update(rep);
        String real = SamePage.comparable(forgotPassword("hans").page());
        String unknown = SamePage.comparable(forgotPassword("no-such-account-4712").page());

        assertTrue(unknown.contains("phone-otp-form"), unknown);
        assertEquals(unknown, real, "the language would tell that the account exists");
    }

    private static RawVisitor forgotPassword(String identifier) {
        RawVisitor visitor = new RawVisitor().open(LOGIN);
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("href=\"([^\"]*login-actions/reset-credentials[^\"]*)\"").matcher(visitor.page());
        assertTrue(link.find(), "the login page links to forgot-password: " + visitor.page());
        String href = link.group(1).replace("&amp;", "&");
        return visitor.open(href.startsWith("/") ? AdminRest.SERVER + href : href)
                .submit("kc-reset-password-form", Map.of("username", identifier));
    }

    @Test
    void aNumberTypedWithNoBreakSpacesFindsItsAccountAndIsNeverRecordedInFull() throws Exception {
        String address = "192.0.2.22";
        long logStart = java.nio.file.Files.size(PhoneOtpServerConfig.SERVER_LOG);
        RawVisitor visitor = identify(address, "+1\u00a0415\u00a0555\u00a02682"); // tina's number, copied from a contact card

        visitor.submit("phone-otp-form", Map.of("code", twilio.awaitText(TINA, 1).code()));
        assertTrue(visitor.signedIn(), visitor.page());
        byte[] bytes = java.nio.file.Files.readAllBytes(PhoneOtpServerConfig.SERVER_LOG);
        String log = new String(java.util.Arrays.copyOfRange(bytes, (int) logStart, bytes.length), java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(java.util.regex.Pattern.compile("415\\D{0,3}555\\D{0,3}2682").matcher(log).find(), "the full number in the log");
        for (EventRepresentation event : realm.admin().getEvents(null, null, null, null, null, address, 0, 100)) {
            assertFalse(String.valueOf(event.getDetails()).replaceAll("\\D", "").contains("4155552682"), "the full number in " + event.getDetails());
        }
    }
}
