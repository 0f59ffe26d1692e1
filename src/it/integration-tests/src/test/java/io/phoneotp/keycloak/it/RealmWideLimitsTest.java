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
        sentBefore += twilio == null ? 0 : twilio.requests().size();
        super.startFresh();
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
}
