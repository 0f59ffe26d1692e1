package io.phoneotp.keycloak.delivery.twilio;

import io.phoneotp.keycloak.delivery.DeliveryFailure;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TwilioErrorsTest {

    @Test
    void mapsTwiliosCodesToWhatTheUserCanDo() {
        assertEquals(DeliveryFailure.INVALID_NUMBER, TwilioErrors.failureFor(21211));
        assertEquals(DeliveryFailure.NOT_CONFIGURED, TwilioErrors.failureFor(20003));
        assertEquals(DeliveryFailure.NUMBER_BLOCKED, TwilioErrors.failureFor(21610));
        assertEquals(DeliveryFailure.SMS_UNREACHABLE, TwilioErrors.failureFor(21408), "region not enabled for text messages");
        assertEquals(DeliveryFailure.SMS_UNREACHABLE, TwilioErrors.failureFor(21612), "the To cannot be reached from this From");
        assertEquals(DeliveryFailure.SMS_UNREACHABLE, TwilioErrors.failureFor(21606), "the From is not the account's or cannot text");
        assertEquals(DeliveryFailure.NOT_MOBILE, TwilioErrors.failureFor(21614));
        assertEquals(DeliveryFailure.NOT_MOBILE, TwilioErrors.failureFor(21635));
        assertEquals(DeliveryFailure.PROVIDER_BUSY, TwilioErrors.failureFor(20429));
        assertEquals(DeliveryFailure.UNAVAILABLE, TwilioErrors.failureFor(null), "network failures carry no code");
        assertEquals(DeliveryFailure.UNAVAILABLE, TwilioErrors.failureFor(30001));
    }

    @Test
    void answersAboutASenderTellTheAdministratorWhatToChangeWithoutANumber() {
        assertTrue(TwilioErrors.senderFix(21408, "from", "DE").contains("enable DE under Messaging > Settings > Geo permissions"));
        assertTrue(TwilioErrors.senderFix(21612, "fromByCountry.DE", "DE").contains("the sender in fromByCountry.DE cannot reach"));
        assertTrue(TwilioErrors.senderFix(21612, "from", "DE").contains("in fromByCountry.DE"));
        assertTrue(TwilioErrors.senderFix(21606, "messagingServiceSid", "US").contains("or change messagingServiceSid"));
        assertEquals(null, TwilioErrors.senderFix(21211, "from", "US"), "not about the sender");
    }

    @Test
    void onlyTwilioFailingItselfCountsAsDownNeverAnAnswerAboutTheNumber() {
        assertTrue(TwilioErrors.providerDown(null, null), "no answer: network or timeout");
        assertTrue(TwilioErrors.providerDown(null, 500), "a bare server error");
        assertTrue(TwilioErrors.providerDown(20500, 500));
        assertTrue(TwilioErrors.providerDown(20429, 429));
        assertFalse(TwilioErrors.providerDown(21612, 400), "'To' number not reachable: an answer, and the sender picks the number");
        assertFalse(TwilioErrors.providerDown(21266, 400), "'To' and 'From' are the same");
        assertFalse(TwilioErrors.providerDown(21211, 400));
        assertFalse(TwilioErrors.providerDown(20003, 401));
    }
}
