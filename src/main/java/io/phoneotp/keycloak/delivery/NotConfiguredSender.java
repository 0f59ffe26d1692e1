package io.phoneotp.keycloak.delivery;

/**
 * The sender of a setting that cannot be used as stored: every send fails with
 * {@link DeliveryFailure#NOT_CONFIGURED}, so nothing half-configured ever reaches the provider.
 */
public final class NotConfiguredSender implements PhoneOtpSender {

    private final String reason;

    /** @param reason for the administrator (the admin test answer); names no secret */
    public NotConfiguredSender(String reason) {
        this.reason = reason;
    }

    @Override
    public String sendSms(String to, String text, int validitySeconds) throws DeliveryException {
        throw new DeliveryException(DeliveryFailure.NOT_CONFIGURED, reason);
    }

    @Override
    public String call(String to, VoiceScript script) throws DeliveryException {
        throw new DeliveryException(DeliveryFailure.NOT_CONFIGURED, reason);
    }
}
