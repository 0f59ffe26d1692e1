package io.phoneotp.keycloak.delivery.log;

import io.phoneotp.keycloak.delivery.PhoneOtpSender;
import io.phoneotp.keycloak.delivery.PhoneOtpSenderFactory;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;

/** Provider {@code log}: development delivery, the message goes to the server log. */
public class LogSenderFactory implements PhoneOtpSenderFactory {

    public static final String ID = "log";

    @Override
    public PhoneOtpSender create(KeycloakSession session, ComponentModel model) {
        return new LogSender(session.getContext().getRealm() == null ? "" : session.getContext().getRealm().getName());
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "Development only: writes each message, code included, to the server log instead of sending it.";
    }
}
