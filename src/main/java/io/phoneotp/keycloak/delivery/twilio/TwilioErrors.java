package io.phoneotp.keycloak.delivery.twilio;

import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.DeliveryFailure;

/** Turns Twilio's errors into reasons the user can act on, keeping Twilio's code for the event. */
final class TwilioErrors {

    private TwilioErrors() {
    }

    static DeliveryException translate(TwilioException e) {
        return translate(e, null, null);
    }

    /**
     * @param senderField the setting that chose the text message's sender ({@code from}, {@code fromByCountry.DE} ...),
     *                    null for a call
     * @param region      the destination's region, null when unknown: with the field, what an administrator must change
     */
    static DeliveryException translate(TwilioException e, String senderField, String region) {
        Integer code = e instanceof ApiException api ? api.getCode() : null;
        Integer status = e instanceof ApiException api ? api.getStatusCode() : null;
        String message = "Twilio refused the request" + (code == null ? "" : " with code " + code);
        String fix = code == null || senderField == null ? null : senderFix(code, senderField, region == null ? "the destination's region" : region);
        return new DeliveryException(failureFor(code), code, providerDown(code, status), fix == null ? message : message + ": " + fix, e);
    }

    /**
     * What the administrator changes in Twilio, or in the sender settings, for Twilio's answers about a sender and a
     * region. Names settings and the region, never a number: the message is shown in the console and may be logged.
     */
    static String senderFix(int code, String senderField, String region) {
        return switch (code) {
            case 21408 -> "this Twilio account may not send text messages to " + region + "; in the Twilio Console, enable " + region
                    + " under Messaging > Settings > Geo permissions";
            case 21612 -> "the sender in " + senderField + " cannot reach this number in " + region + "; set a sender that Twilio"
                    + " accepts for " + region + " (see Twilio's SMS guidelines for the country) in fromByCountry." + region;
            case 21606 -> "the sender in " + senderField + " is not a number, short code or sender ID of this Twilio account that can"
                    + " send text messages; in the Twilio Console, check its SMS capability under Phone Numbers (or register the"
                    + " sender ID), or change " + senderField;
            default -> null;
        };
    }

    /**
     * Twilio itself failing: no answer (network, timeout), a server error, or "too many requests".
     * A 4xx with an error code is an answer about this message, whatever the code: the sender picks
     * the number, so such answers must never count toward opening the circuit for everyone.
     */
    static boolean providerDown(Integer code, Integer httpStatus) {
        if (Integer.valueOf(20429).equals(code) || Integer.valueOf(429).equals(httpStatus)) {
            return true;
        }
        return httpStatus == null || httpStatus >= 500 || code == null;
    }

    static DeliveryFailure failureFor(Integer code) {
        if (code == null) {
            return DeliveryFailure.UNAVAILABLE;
        }
        return switch (code) {
            case 21211, 21217, 21421 -> DeliveryFailure.INVALID_NUMBER;
            case 21614, 21635 -> DeliveryFailure.NOT_MOBILE;
            case 21610 -> DeliveryFailure.NUMBER_BLOCKED;
            // text messages cannot go to this number from the sender chosen for it: a call may still reach it
            case 21408, 21612, 21606 -> DeliveryFailure.SMS_UNREACHABLE;
            case 21215, 21216 -> DeliveryFailure.CANNOT_CALL;
            case 20429 -> DeliveryFailure.PROVIDER_BUSY;
            // credentials, account or sender number wrong: the administrator has to act
            case 20003, 20404, 21212, 21659 -> DeliveryFailure.NOT_CONFIGURED;
            default -> DeliveryFailure.UNAVAILABLE;
        };
    }
}
