package io.phoneotp.keycloak.delivery;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** The {@code phone-otp-sender} SPI: server options such as {@code --spi-phone-otp-sender--twilio--api-base-url}. */
public class PhoneOtpSenderSpi implements Spi {

    public static final String NAME = "phone-otp-sender";

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return PhoneOtpSender.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return PhoneOtpSenderFactory.class;
    }
}
