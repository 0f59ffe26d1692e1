package io.phoneotp.keycloak.flow;

import io.phoneotp.keycloak.delivery.Channel;

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

    @Override
    public String getDisplayType() {
        return "SMS OTP";
    }

    @Override
    public String getHelpText() {
        return "Sends a one-time code by text message to the user's phone number and checks it.";
    }
}
