package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;
import org.keycloak.representations.idm.AdminEventRepresentation;
import org.keycloak.testframework.annotations.InjectAdminEvents;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.events.AdminEvents;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limits every sign-in of the realm shares: per client IP, and the realm's hourly budget.
 * Each test sets its limit just above what this realm copy has already sent (counted from the
 * fake Twilio's record since the class started), since the counts last an hour.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class RealmWideLimitsTest extends PhoneOtpTestBase {

    /** Sends of this realm copy so far; the limits count them too. */
    static int sentBefore;

    @InjectAdminEvents
    AdminEvents adminEvents;

    @Override
    @org.junit.jupiter.api.BeforeEach
    void startFresh() {
        sentBefore += twilio == null ? 0 : twilio.requests().size(); // null in a new test's instance: counted after the last test
        super.startFresh();
    }

    @org.junit.jupiter.api.AfterEach
    void countSends() {
        sentBefore += twilio.requests().size();
    }

    @Test
    void theIpLimitStopsSignInsOfDifferentUsersFromOneAddress() {
        int limit = sentBefore + 2;
        policy(Map.of("maxSendsPerIpPerHour", limit));
        for (String user : List.of("alice", "carol")) {
            startFresh();
            signInWithPassword(user);
            assertEquals(1, twilio.requests().size(), user + " gets a code");
        }
        startFresh();
        signInWithPassword("erin");

        assertTrue(pageText().matches("(?s).*Too many codes were requested\\. Try again in \\d+ minutes\\..*"), pageText());
        assertTrue(twilio.requests().isEmpty());
        assertEquals("ip", lastEvent("erin", EventType.LOGIN_ERROR).getDetails().get("phone_otp_reason"));
    }

    @Test
    void whenTheRealmBudgetIsSpentSendsStopAndAdministratorsAreWarnedOnce() throws Exception {
        int budget = sentBefore + 1;
        policy(Map.of("maxSendsPerRealmPerHour", budget));
        startFresh();
        signInWithPassword("alice");
        assertEquals(1, twilio.requests().size());

        for (String user : List.of("carol", "erin")) {
            startFresh();
            signInWithPassword(user);
            assertTrue(pageText().matches("(?s).*Too many codes were requested\\. Try again in \\d+ minutes\\..*"), pageText());
            assertTrue(twilio.requests().isEmpty());
            assertEquals("realm", lastEvent(user, EventType.LOGIN_ERROR).getDetails().get("phone_otp_reason"));
        }

        long warnings = Files.readAllLines(PhoneOtpServerConfig.SERVER_LOG).stream()
                .filter(l -> l.contains("Realm 'phone-otp-test' has sent its " + budget + " phone codes for this hour")).count();
        assertEquals(1, warnings, "one WARN per window, not one per refused send");
        List<AdminEventRepresentation> budgetEvents = new ArrayList<>();
        for (AdminEventRepresentation e = adminEvents.poll(); e != null; e = adminEvents.poll()) {
            if ("phone-otp/policy".equals(e.getResourcePath()) && "ACTION".equals(e.getOperationType())) {
                budgetEvents.add(e);
            }
        }
        assertEquals(1, budgetEvents.size(), "one admin event per window");
        assertEquals("phone_otp_realm_budget_spent", budgetEvents.get(0).getError());
    }

    private static final String LOGIN = RawVisitor.LOGIN;

    private static RawVisitor signIn(String clientAddress, String username) {
        return new RawVisitor(clientAddress).open(LOGIN).submit("kc-form-login", Map.of("username", username, "password", username + "-password"));
    }

    @Test
    void identifiersWithoutAnAccountDoNotSpendTheRealmBudget() {
        policy(Map.of("maxSendsPerRealmPerHour", sentBefore + 1));
        bindBrowserFlow("passwordless-phone");
        for (int i = 0; i < 5; i++) {
            new RawVisitor().open(LOGIN).submit("phone-otp-identify-form", Map.of("username", "made-up-user-" + i));
        }
        new RawVisitor().open(LOGIN).submit("phone-otp-identify-form", Map.of("username", "rita"));

        twilio.awaitText("+14155552681", 1); // the real user still gets the code the budget has room for
        assertEquals(1, twilio.requests().size(), "and the made-up users got nothing: " + twilio.requests());
    }

    @Test
    void oneIpv6HostCannotRotateThroughItsOwnNetwork() {
        policy(Map.of("maxSendsPerIpPerHour", 2));
        signIn("2001:db8:7:1::1", "alice");
        signIn("2001:db8:7:1::2", "carol");
        RawVisitor third = signIn("2001:db8:7:1:ffff::3", "erin"); // the same /64
        RawVisitor elsewhere = signIn("2001:db8:7:2::1", "ivan"); // another network

        assertEquals(1, twilio.messagesTo("+14155552671").size());
        assertEquals(1, twilio.messagesTo("+14155552672").size());
        assertTrue(twilio.messagesTo("+14155552673").isEmpty(), "a third code to the same /64: " + twilio.requests());
        assertTrue(third.page().matches("(?s).*Too many codes were requested\\. Try again in \\d+ minutes\\..*"), third.page());
        assertEquals("ip", lastEvent("erin", EventType.LOGIN_ERROR).getDetails().get("phone_otp_reason"));
        assertEquals(1, twilio.messagesTo("+14155552677").size(), "another network has its own count: " + elsewhere.page());
    }

    @Test
    void sendsToOneNumberRangeAreCountedTogether() {
        policy(Map.of("maxSendsPerPrefixPerHour", 2));
        List<String> numbers = List.of("+14155560101", "+14155560102", "+14155560103"); // one range of 10,000: +1415556....
        for (int i = 0; i < numbers.size(); i++) {
            createUser("range-" + i, numbers.get(i));
        }
        signIn(null, "range-0");
        signIn(null, "range-1");
        RawVisitor third = signIn(null, "range-2");

        assertEquals(1, twilio.messagesTo(numbers.get(0)).size());
        assertEquals(1, twilio.messagesTo(numbers.get(1)).size());
        assertTrue(twilio.messagesTo(numbers.get(2)).isEmpty(), "a third code to the range: " + twilio.requests());
        assertTrue(third.page().matches("(?s).*Too many codes were requested\\. Try again in \\d+ minutes\\..*"), third.page());
        assertEquals("prefix", lastEvent("range-2", EventType.LOGIN_ERROR).getDetails().get("phone_otp_reason"));
    }
}
