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
        Integer code = e instanceof ApiException api ? api.getCode() : null;
        Integer status = e instanceof ApiException api ? api.getStatusCode() : null;
        return new DeliveryException(failureFor(code), code, providerDown(code, status),
                "Twilio refused the request" + (code == null ? "" : " with code " + code), e);
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
            case 21408 -> DeliveryFailure.COUNTRY_NOT_SUPPORTED;
            case 21215, 21216 -> DeliveryFailure.CANNOT_CALL;
            case 20429 -> DeliveryFailure.PROVIDER_BUSY;
            // credentials, account or sender number wrong: the administrator has to act
            case 20003, 20404, 21212, 21606, 21659 -> DeliveryFailure.NOT_CONFIGURED;
            default -> DeliveryFailure.UNAVAILABLE;
        };
    }
}
