package io.phoneotp.keycloak.delivery;

import org.keycloak.provider.Provider;

/**
 * Delivers a text to a phone. One instance serves one realm-level provider setting (a component
 * of this type); the SPI is {@code phone-otp-sender}, and a provider joins it by listing its
 * {@link PhoneOtpSenderFactory} in {@code META-INF/services}.
 */
public interface PhoneOtpSender extends Provider {

    /**
     * Sends a text message.
     *
     * @param to   destination in E.164
     * @param text the full message text
     * @param validitySeconds how long the message is worth delivering; a provider may drop it after that
     * @return the provider's id for the message
     */
    String sendSms(String to, String text, int validitySeconds) throws DeliveryException;

    /**
     * Places a call that reads the script aloud.
     *
     * @param to destination in E.164
     * @return the provider's id for the call
     */
    String call(String to, VoiceScript script) throws DeliveryException;

    @Override
    default void close() {
    }
}
