package io.phoneotp.keycloak.flow;

import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.link.DeliveryMode;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.ArrayList;
import java.util.List;

/** The flow step {@code phone-otp-sms}. */
public class SmsOtpAuthenticatorFactory extends PhoneOtpAuthenticatorFactory {

    public static final String ID = "phone-otp-sms";

    public SmsOtpAuthenticatorFactory() {
        super(Channel.SMS);
    }

    @Override
    public String getId() {
        return ID;
    }

    /** Only a text message can carry a link: the SMS step alone has {@code deliveryMode}. */
    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        List<ProviderConfigProperty> properties = new ArrayList<>(super.getConfigProperties());
        properties.addAll(DeliveryMode.properties());
        return properties;
    }

    @Override
    public String getDisplayType() {
        return "SMS OTP";
    }

    @Override
    public String getHelpText() {
        return "Sends a one-time code by text message to the user's phone number and checks it.";
    }
}
