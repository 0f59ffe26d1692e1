package io.phoneotp.keycloak.admin;

import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.OtpText;
import io.phoneotp.keycloak.delivery.PhoneOtpSender;
import io.phoneotp.keycloak.delivery.PhoneOtpSenders;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import io.phoneotp.keycloak.events.OtpEventDetails;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminEventBuilder;

import java.util.Optional;
import org.keycloak.models.RealmModel;

/**
 * An administrator's test message or test call with the realm's stored settings, for the admin REST
 * resource and the console's tab alike. Its outcome names the destination only masked.
 */
record TestSend(Channel channel, String maskedTo, String sid, DeliveryException error) {

    /** The message that refuses a destination, starting with the field's name as every validation message does. */
    static final String BAD_DESTINATION = "must be a valid phone number in E.164 format, such as +14155552671";

    /** Sends (or calls) now; {@code to} must be E.164 ({@link PhoneNumbers#isE164}). */
    static TestSend run(KeycloakSession session, RealmModel realm, Channel channel, String to) {
        try {
            PhoneOtpSender sender = PhoneOtpSenders.forChannel(session, realm, channel);
            String sid = channel == Channel.VOICE
                    ? sender.call(to, OtpText.voiceTest(session, realm))
                    : sender.sendSms(to, OtpText.smsTest(session, realm), 600);
            return new TestSend(channel, PhoneNumbers.mask(to), sid, null);
        } catch (DeliveryException e) {
            return new TestSend(channel, PhoneNumbers.mask(to), null, e);
        }
    }

    /**
     * Records the test as an ACTION admin event (when the realm records admin events): a message or call costs
     * money and reaches a person. The destination masked, the outcome, the provider's id or error code.
     */
    void record(AdminEventBuilder adminEvent, KeycloakSession session) {
        PhoneOtpAdminResource.TestSendRecord record = PhoneOtpAdminResource.TestSendRecord.of(this);
        adminEvent.operation(OperationType.ACTION).resourcePath(session.getContext().getUri())
                .detail(OtpEventDetails.CHANNEL, record.channel())
                .detail(OtpEventDetails.PHONE, record.to())
                .detail(OtpEventDetails.PROVIDER_ID, record.sid())
                .detail(OtpEventDetails.PROVIDER_CODE, record.providerCode() == null ? null : record.providerCode().toString())
                .representation(record);
        if (record.sid() == null) {
            // AdminEventBuilder has no error(); the event's own error field is stored and listed like a login error's.
            adminEvent.detail(OtpEventDetails.ERROR, OtpEventDetails.GATEWAY_ERROR).getEvent().setError(OtpEventDetails.GATEWAY_ERROR);
        }
        adminEvent.success();
    }

    /**
     * The admin event builder of the admin request this runs in (a save in the console goes through Keycloak's
     * component API, which gives its hooks no builder): the administrator from the request's bearer token.
     */
    static Optional<AdminEventBuilder> adminEventOfThisRequest(KeycloakSession session, RealmModel realm) {
        if (!(session.getContext().getBearerToken() instanceof AccessToken token) || token.getIssuer() == null) {
            return Optional.empty();
        }
        String issuer = token.getIssuer();
        RealmModel adminRealm = session.realms().getRealmByName(issuer.substring(issuer.lastIndexOf('/') + 1));
        UserModel admin = adminRealm == null || token.getSubject() == null ? null : session.users().getUserById(adminRealm, token.getSubject());
        ClientModel client = adminRealm == null || token.getIssuedFor() == null ? null : adminRealm.getClientByClientId(token.getIssuedFor());
        if (admin == null || client == null) {
            return Optional.empty();
        }
        return Optional.of(new AdminEventBuilder(realm, new AdminAuth(adminRealm, token, admin, client), session,
                session.getContext().getConnection()).resource(ResourceType.COMPONENT));
    }

    boolean sent() {
        return error == null;
    }

    /** One line for the console: what happened, to whom (masked), and the provider's id or error code and message. */
    String summary() {
        String what = channel == Channel.VOICE ? "Test call" : "Test message";
        if (sent()) {
            return what + " to " + maskedTo + ": sent, id " + sid;
        }
        return what + " to " + maskedTo + ": failed"
                + (error.providerCode() == null ? "" : ", provider error " + error.providerCode())
                + ": " + error.getMessage();
    }
}
