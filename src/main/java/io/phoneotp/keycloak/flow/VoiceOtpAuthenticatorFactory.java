package io.phoneotp.keycloak.flow;

import io.phoneotp.keycloak.delivery.Channel;

/** The flow step {@code phone-otp-voice}. */
public class VoiceOtpAuthenticatorFactory extends PhoneOtpAuthenticatorFactory {

    public static final String ID = "phone-otp-voice";

    public VoiceOtpAuthenticatorFactory() {
        super(Channel.VOICE);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Voice OTP";
    }

    @Override
    public String getHelpText() {
        return "Calls the user's phone number, reads a one-time code aloud and checks it.";
    }
}
