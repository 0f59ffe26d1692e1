package io.phoneotp.keycloak.delivery;

import java.util.Locale;

/**
 * Why a message could not be handed to the provider, in terms the user can act on. Each reason
 * names the message shown on the page; the provider's own code goes to the event.
 */
public enum DeliveryFailure {
    /** The provider says the destination is not a valid number. */
    INVALID_NUMBER("phoneOtpDeliveryInvalidNumber", 400),
    /** The recipient opted out (replied STOP). */
    NUMBER_BLOCKED("phoneOtpDeliveryNumberBlocked", 400),
    /** The provider account may not send to that country. */
    COUNTRY_NOT_SUPPORTED("phoneOtpDeliveryCountryNotSupported", 400),
    /** The number cannot receive text messages (landline). */
    NOT_MOBILE("phoneOtpDeliveryNotMobile", 400),
    /**
     * Text messages cannot reach the number from the sender chosen for it (the region is not enabled, the sender
     * cannot reach it, the sender is not the account's): a call may. 400 for the admin test: the settings must change.
     */
    SMS_UNREACHABLE("phoneOtpDeliverySmsUnreachable", 400),
    /** The provider may not call this destination (geographic permissions, blocked destination). */
    CANNOT_CALL("phoneOtpDeliveryCannotCall", 400),
    /** The provider asks us to slow down. */
    PROVIDER_BUSY("phoneOtpDeliveryBusy", 502),
    /** Our side is misconfigured: bad credentials, missing settings. */
    NOT_CONFIGURED("phoneOtpDeliveryUnavailable", 502),
    /** The provider failed or could not be reached in time. */
    UNAVAILABLE("phoneOtpDeliveryUnavailable", 502);

    private final String messageKey;
    private final int httpStatus;

    DeliveryFailure(String messageKey, int httpStatus) {
        this.messageKey = messageKey;
        this.httpStatus = httpStatus;
    }

    /** The failure class in metrics: {@code invalid_number}, {@code unavailable}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String messageKey() {
        return messageKey;
    }

    /** Status for the admin test endpoint: 400 for a bad destination, 502 for a provider problem. */
    public int httpStatus() {
        return httpStatus;
    }
}
