package io.phoneotp.keycloak.challenge;

import org.keycloak.common.util.Time;
import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.PhoneOtpSenders;
import io.phoneotp.keycloak.events.OtpEventDetails;
import io.phoneotp.keycloak.limits.SendLimits;
import io.phoneotp.keycloak.policy.Destination;
import io.phoneotp.keycloak.policy.PhonePolicy;
import io.phoneotp.keycloak.policy.PhonePolicyStore;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.Optional;

/**
 * Sends one code, the same way for the flow steps and the registration action: the realm's
 * destination policy and hourly limits first (a refused send is neither issued nor counted in the
 * login), then the code is issued, saved, delivered, and forgotten again if delivery fails.
 */
public final class CodeDispatch {

    /** What the code is for; it decides the wording of the text message. */
    public enum Purpose {
        SIGN_IN("phoneOtpSmsText"), REGISTRATION("phoneOtpRegistrationSmsText");

        final String smsMessageKey;

        Purpose(String smsMessageKey) {
            this.smsMessageKey = smsMessageKey;
        }
    }

    public sealed interface Outcome permits Sent, Refused, Failed {
    }

    /** Delivered; {@code providerId} is the provider's message or call id. */
    public record Sent(String providerId) implements Outcome {
    }

    /**
     * Stopped by the policy or a limit before anything was sent.
     *
     * @param eventError {@code number_not_allowed} or {@code rate_limited}
     * @param reason     which rule, for the event only
     * @param messageKey what the page says, with {@code messageArgs}
     */
    public record Refused(String eventError, String reason, String messageKey, String... messageArgs) implements Outcome {
    }

    /** The provider refused or could not be reached; the code was forgotten. */
    public record Failed(DeliveryException exception) implements Outcome {
    }

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AuthenticationSessionModel authSession;
    private final ChallengeNotes notes;

    public CodeDispatch(KeycloakSession session, AuthenticationSessionModel authSession, ChallengeNotes notes) {
        this.session = session;
        this.realm = authSession.getRealm();
        this.authSession = authSession;
        this.notes = notes;
    }

    /**
     * @param user  whose limits count and whose language the message uses
     * @param phone where the code goes, in E.164
     */
    public Outcome send(CodeChallenge challenge, UserModel user, String phone, Channel via, CodeSettings settings, Purpose purpose) {
        Optional<Refused> refused = refusal(user, phone);
        if (refused.isPresent()) {
            return refused.get();
        }
        String code = issue(challenge, settings); // counted before sending: a crash mid-send still counts
        try {
            OtpMessage message = OtpMessage.compose(session, realm, user, via, code, settings, purpose);
            return new Sent(message.sendWith(PhoneOtpSenders.forChannel(session, realm, via), phone));
        } catch (DeliveryException e) {
            challenge.discardCode();
            notes.save(authSession, challenge);
            return new Failed(e);
        }
    }

    /**
     * The same, with the provider called after the response, on another thread: for sign-ins
     * that must not reveal whether the account exists, a page that waits for Twilio would take
     * measurably longer than one for an unknown account. Delivery failures are then only logged.
     */
    public Outcome sendLater(CodeChallenge challenge, UserModel user, String phone, Channel via, CodeSettings settings) {
        Optional<Refused> refused = refusal(user, phone);
        if (refused.isPresent()) {
            return refused.get();
        }
        String code = issue(challenge, settings);
        DeferredDelivery.submit(session, realm, phone, OtpMessage.compose(session, realm, user, via, code, settings, Purpose.SIGN_IN));
        return new Sent(null);
    }

    /**
     * What {@link #sendLater} does for an identifier without an account (or without a verified
     * number): the same limits and the same counting, keyed by what was typed, and a code that
     * goes nowhere, so the pages and their timing are the same as for a real account.
     */
    public Outcome pretend(CodeChallenge challenge, String identifierKey, CodeSettings settings) {
        Optional<Refused> refused = limited(PhonePolicyStore.load(realm), "id:" + identifierKey, "id:" + identifierKey);
        if (refused.isPresent()) {
            return refused.get();
        }
        String code = issue(challenge, settings);
        // composed and dropped: the work a real send does before it hands over, so both answers take as long
        OtpMessage.compose(session, realm, null, Channel.SMS, code, settings, Purpose.SIGN_IN);
        return new Sent(null);
    }

    private String issue(CodeChallenge challenge, CodeSettings settings) {
        String code = challenge.issue(settings.codeLength(), settings.codeTtlSeconds(), Time.currentTimeMillis());
        notes.save(authSession, challenge);
        return code;
    }

    private Optional<Refused> refusal(UserModel user, String phone) {
        PhonePolicy policy = PhonePolicyStore.load(realm);
        Optional<Destination.Refusal> destination = Destination.refusal(policy, phone);
        if (destination.isPresent()) {
            return Optional.of(new Refused(OtpEventDetails.NUMBER_NOT_ALLOWED, destination.get().name().toLowerCase(),
                    "phoneOtpNumberNotAllowed"));
        }
        return limited(policy, phone, user == null ? null : user.getId());
    }

    /** The hourly limits, counted for this send when they have room. */
    private Optional<Refused> limited(PhonePolicy policy, String numberKey, String userKey) {
        return SendLimits.take(session, realm, policy, numberKey, userKey, session.getContext().getConnection().getRemoteAddr())
                .map(limit -> new Refused(OtpEventDetails.RATE_LIMITED, limit.scope().name().toLowerCase(),
                        "phoneOtpTooManyCodes", Long.toString(limit.retryAfterMinutes())));
    }
}
