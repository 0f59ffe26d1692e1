package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When Twilio refuses or fails, the user reads a clear message on the code page, the event says
 * what happened, and exactly one request reached Twilio: a failed send is never repeated.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class TwilioErrorsTest extends PhoneOtpTestBase {

    static final String ERIN = "+14155552673";

    @Test
    void invalidNumber21211() {
        twilio.failNext(21211, 400);
        signInWithPassword("erin");

        assertTrue(pageText().contains("the phone number on your account is not valid"), pageText());
        assertOneRequestAndEvent("21211");
    }

    @Test
    void authenticationFailed20003() {
        twilio.failNext(20003, 401);
        signInWithPassword("erin");

        assertTrue(pageText().contains("We could not send a code right now. Try again later or contact your administrator."), pageText());
        assertOneRequestAndEvent("20003");
    }

    @Test
    void recipientOptedOut21610() {
        twilio.failNext(21610, 400);
        signInWithPassword("erin");

        assertTrue(pageText().contains("this number has blocked our messages"), pageText());
        assertOneRequestAndEvent("21610");
    }

    @Test
    void serverErrorIsNotRetriedAndTheUserCanTryAgain() {
        smsStepConfig(Map.of("resendCooldownSeconds", "0"));
        twilio.serverErrorNext();
        signInWithPassword("erin");

        assertTrue(pageText().contains("We could not send a code right now."), pageText());
        assertOneRequestAndEvent(null);

        codePage.resend();
        assertEquals(2, twilio.messagesTo(ERIN).size());
        codePage.submitCode(twilio.lastMessageTo(ERIN).code());
        assertTrue(signedIn(), pageText());
    }

    @Test
    void aCodeTypedAfterAFailedSendIsRefusedWithAPromptToResend() {
        twilio.failNext(21211, 400);
        signInWithPassword("erin");

        codePage.submitCode("123456");

        assertTrue(pageText().contains("There is no valid code for this sign-in. Ask for a new code."), pageText());
        assertFalse(signedIn());
    }

    private void assertOneRequestAndEvent(String providerCode) {
        assertEquals(1, twilio.requests().size(), "exactly one request to Twilio");
        EventRepresentation event = lastEvent("erin", EventType.LOGIN_ERROR);
        assertEquals("gateway_error", event.getDetails().get("phone_otp_error"));
        assertEquals("sms", event.getDetails().get("phone_otp_channel"));
        assertEquals(providerCode, event.getDetails().get("phone_otp_provider_code"), "Twilio's error code, when Twilio answered with one");
    }
}
