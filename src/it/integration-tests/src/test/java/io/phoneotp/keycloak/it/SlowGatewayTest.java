package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.remote.timeoffset.InjectTimeOffSet;
import org.keycloak.testframework.remote.timeoffset.TimeOffSet;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A provider that answers slowly or keeps failing: the page does not wait for it (beyond a moment),
 * a failure learned later is told on the login's next request, and a provider that keeps failing
 * is left alone for a while instead of making every user wait for its timeout.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class SlowGatewayTest extends PhoneOtpTestBase {

    static final String ERIN = "+14155552673";

    @InjectTimeOffSet
    TimeOffSet timeOffSet;

    @AfterEach
    void providerAnswersAgain() {
        timeOffSet.set(0);
    }

    @Test
    void aSlowProviderDoesNotHoldThePageAndItsCodeWorks() {
        twilio.delayNext(1_500); // longer than the page waits, shorter than the server's read timeout (2 s)
        signInWithPassword("erin");

        assertTrue(codePage.isCurrent(), pageText());
        assertFalse(pageText().contains("could not send"), pageText());
        codePage.submitCode(twilio.lastMessageTo(ERIN).code());

        assertTrue(signedIn(), pageText());
        assertEquals(1, twilio.requests().size(), "exactly one request to Twilio");
    }

    @Test
    void aFailureLearnedAfterThePageAnsweredIsToldOnTheNextRequest() {
        twilio.delayNext(3_000); // the server gives up after its read timeout of 2 s
        signInWithPassword("erin");
        assertTrue(codePage.isCurrent(), pageText());
        assertFalse(pageText().contains("could not send"), "the page answered before the provider: " + pageText());

        Poll.until(Duration.ofSeconds(10), "the failure is told on a later request", () -> {
            reload();
            return pageText().contains("We could not send a code right now.") ? Optional.of(true) : Optional.empty();
        });

        assertEquals(1, twilio.requests().size(), "exactly one request to Twilio");
        EventRepresentation event = lastEvent("erin", EventType.LOGIN_ERROR);
        assertEquals("gateway_error", event.getDetails().get("phone_otp_error"));
        codePage.submitCode(twilio.lastMessageTo(ERIN).code());
        assertFalse(signedIn(), "the code of a failed send is void: " + pageText());
    }

    @Test
    void aProviderThatKeepsFailingIsNotCalledUntilItMayHaveRecovered() {
        smsStepConfig(Map.of("resendCooldownSeconds", "0", "maxSends", "10"));
        signInWithPassword("erin"); // delivered: the provider answers
        for (int i = 0; i < 5; i++) {
            twilio.serverErrorNext();
            codePage.resend();
        }
        assertEquals(6, twilio.requests().size(), "five failed sends reached Twilio");

        codePage.resend();
        assertEquals(6, twilio.requests().size(), "the next send fails at once, without a request to Twilio");
        assertTrue(pageText().contains("We could not send a code right now."), pageText());

        timeOffSet.set(31);
        codePage.resend();
        assertEquals(7, twilio.requests().size(), "after 30 s one send is tried again");
        codePage.submitCode(twilio.lastMessageTo(ERIN).code());
        assertTrue(signedIn(), pageText());
    }

    /**
     * The sender of a sign-in picks the number: answers of Twilio about that number (21612 "not
     * reachable", 21266 "To and From are the same" ...) must not open the circuit for everyone else.
     */
    @Test
    void numbersTwilioRefusesDoNotOpenTheCircuitForOtherUsers() {
        smsStepConfig(Map.of("resendCooldownSeconds", "0", "maxSends", "10"));
        RawVisitor attacker = new RawVisitor().open(RawVisitor.LOGIN)
                .submit("kc-form-login", Map.of("username", "erin", "password", "erin-password"));
        for (int i = 0; i < 6; i++) {
            twilio.failNext(21612, 400);
            attacker.submit("phone-otp-form", Map.of("resend", "true"));
        }

        signInWithPassword("carol");
        assertEquals(1, twilio.messagesTo("+14155552672").size(), "another user's code after six 21612 answers to the attacker's number");
        assertFalse(pageText().contains("could not send"), pageText());
    }
}
