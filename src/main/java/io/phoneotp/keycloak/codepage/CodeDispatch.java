package io.phoneotp.keycloak.codepage;

import io.phoneotp.keycloak.challenge.CodeChallenge;
import io.phoneotp.keycloak.challenge.CodeSettings;
import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.DeliveryPool;
import io.phoneotp.keycloak.delivery.PhoneOtpSender;
import io.phoneotp.keycloak.delivery.PhoneOtpSenders;
import io.phoneotp.keycloak.events.OtpEventDetails;
import io.phoneotp.keycloak.limits.SendLimits;
import io.phoneotp.keycloak.link.DeliveryMode;
import io.phoneotp.keycloak.link.SignInLink;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import io.phoneotp.keycloak.policy.Destination;
import io.phoneotp.keycloak.policy.PhonePolicy;
import io.phoneotp.keycloak.policy.PhonePolicyStore;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one code: the realm's destination policy and hourly limits first (a refused send is not
 * issued), then the code is issued, delivered (now, later or nowhere), and forgotten again if
 * delivery fails. Also the one answer to "may a message go to this number now", for the notice to
 * a replaced number.
 */
public final class CodeDispatch {

    private static final Logger LOG = Logger.getLogger(CodeDispatch.class);

    sealed interface Outcome permits Sent, Pending, Refused, Failed {
    }

    /** Handed over; {@code providerId} is the provider's message or call id, null when not known yet (or nothing went out). */
    record Sent(String providerId) implements Outcome {
    }

    /** Handed to the provider, whose answer the page did not wait for: it is kept as the {@link LateOutcome} {@code lateOutcomeId}. */
    record Pending(String lateOutcomeId) implements Outcome {
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
    record Failed(DeliveryException exception) implements Outcome {
    }

    private final KeycloakSession session;
    private final RealmModel realm;

    public CodeDispatch(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** Issues a code into {@code challenge} and sends it to {@code to}, unless the policy or a limit refuses. */
    Outcome send(CodeChallenge challenge, Recipient to, Channel via, CodeSettings settings, Purpose purpose) {
        return send(challenge, to, via, settings, purpose, DeliveryMode.CODE, null);
    }

    /**
     * The same, for a text that may carry a sign-in link instead of the code or with it ({@code mode});
     * the link is bound to {@code signIn}. A link-only text still counts as a code sent, and its
     * code, told to nobody, is never accepted.
     */
    Outcome send(CodeChallenge challenge, Recipient to, Channel via, CodeSettings settings, Purpose purpose, DeliveryMode mode,
                 AuthenticationSessionModel signIn) {
        Optional<Refused> refused = to.delivery() == Recipient.Delivery.NOWHERE ? nothingSentRefusal(to.limitKey()) : refusal(to.user(), to.phone());
        if (refused.isPresent()) {
            return refused.get();
        }
        DeliveryMode carries = mode.by(via);
        long now = Time.currentTimeMillis();
        if (to.delivery() == Recipient.Delivery.NOWHERE) {
            challenge.issueUndelivered(settings.codeLength(), settings.codeTtlSeconds(), now);
            // composed and dropped: the work a real send does before it hands over, so both answers take as long
            OtpMessage.compose(session, realm, null, Channel.SMS, carries.code() ? "000000" : null,
                    carries.link() ? SignInLink.unstored(session, signIn, settings.codeTtlSeconds()) : null, settings, purpose);
            return new Sent(null);
        }
        String code; // counted before sending: a crash mid-send still counts
        if (carries.code()) {
            code = challenge.issue(settings.codeLength(), settings.codeTtlSeconds(), now);
        } else {
            challenge.issueUndelivered(settings.codeLength(), settings.codeTtlSeconds(), now);
            code = null;
        }
        String link = null;
        if (carries.link()) {
            link = SignInLink.issue(session, signIn, to.user(), to.phone(), settings.codeTtlSeconds(), purpose.id);
        } else if (signIn != null) {
            SignInLink.forget(session, signIn); // a call replaces the text, and its link with it
        }
        OtpMessage message = OtpMessage.compose(session, realm, to.user(), via, code, link, settings, purpose);
        if (to.delivery() == Recipient.Delivery.LATER) {
            later(message, to.phone());
            return new Sent(null);
        }
        try {
            PhoneOtpSender sender = sender(via);
            CompletableFuture<DeliveryPool.Outcome> pending = DeliveryPool.instance()
                    .submit(circuit(via), to.phone(), () -> message.sendWith(sender, to.phone()));
            Optional<DeliveryPool.Outcome> known = DeliveryPool.instance().awaitBriefly(pending);
            if (known.isEmpty()) {
                return new Pending(LateOutcome.keep(session, to.phone(), pending, settings.codeTtlSeconds() + 60L));
            }
            if (known.get().sent()) {
                return new Sent(known.get().providerId());
            }
            throw known.get().failure();
        } catch (DeliveryException e) {
            challenge.discardCode();
            if (link != null) {
                SignInLink.forget(session, signIn);
            }
            return new Failed(e);
        }
    }

    /**
     * Hands the message over without waiting for anything, not even for the sender's setup, which
     * runs on the delivery thread in a session of its own: this request must take as long as one
     * for an identifier without an account. Failures go to the log, masked.
     */
    private void later(OtpMessage message, String phone) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        String realmId = realm.getId();
        try {
            DeliveryPool.instance().submit(circuit(message.channel()), phone, () -> {
                DeliveryPool.Outcome outcome = KeycloakModelUtils.runJobInTransactionWithResult(factory, own -> {
                    RealmModel ownRealm = own.realms().getRealm(realmId);
                    own.getContext().setRealm(ownRealm);
                    try {
                        return new DeliveryPool.Outcome(message.sendWith(PhoneOtpSenders.forChannel(own, ownRealm, message.channel()), phone), null);
                    } catch (DeliveryException e) {
                        return new DeliveryPool.Outcome(null, e);
                    }
                });
                if (!outcome.sent()) {
                    throw outcome.failure();
                }
                return outcome.providerId();
            }).thenAccept(outcome -> {
                if (!outcome.sent()) {
                    logLost(message, phone, outcome.failure());
                }
            });
        } catch (DeliveryException e) {
            logLost(message, phone, e);
        }
    }

    /** The realm's sender for the channel; a channel without one fails, counted as the pool counts its own failures. */
    private PhoneOtpSender sender(Channel via) throws DeliveryException {
        try {
            return PhoneOtpSenders.forChannel(session, realm, via);
        } catch (DeliveryException e) {
            throw DeliveryPool.instance().notSent(circuit(via), e);
        }
    }

    private DeliveryPool.Circuit circuit(Channel via) {
        return new DeliveryPool.Circuit(realm.getId(), realm.getName(), via);
    }

    private void logLost(OtpMessage message, String phone, DeliveryException e) {
        LOG.warnf("Realm '%s': a code to %s could not be delivered by %s (%s, provider code %s)", realm.getName(),
                PhoneNumbers.mask(phone), message.channel().id(), e.failure(), e.providerCode());
    }

    /**
     * May a message go to {@code phone} now: the destination policy, then the hourly limits, which
     * count this send when they have room.
     */
    public Optional<Refused> refusal(UserModel user, String phone) {
        PhonePolicy policy = PhonePolicyStore.load(realm);
        Optional<Destination.Refusal> destination = Destination.refusal(policy, phone);
        if (destination.isPresent()) {
            return Optional.of(new Refused(OtpEventDetails.NUMBER_NOT_ALLOWED, destination.get().name().toLowerCase(),
                    "phoneOtpNumberNotAllowed"));
        }
        return SendLimits.takeForSend(session, realm, policy, phone, user == null ? null : user.getId(), clientAddress())
                .map(CodeDispatch::rateLimited);
    }

    private Optional<Refused> nothingSentRefusal(String identifierKey) {
        return SendLimits.takeForNothingSent(session, realm, PhonePolicyStore.load(realm), identifierKey, clientAddress())
                .map(CodeDispatch::rateLimited);
    }

    private String clientAddress() {
        return session.getContext().getConnection().getRemoteAddr();
    }

    private static Refused rateLimited(SendLimits.Refusal limit) {
        return new Refused(OtpEventDetails.RATE_LIMITED, limit.scope().name().toLowerCase(), "phoneOtpTooManyCodes",
                Long.toString(limit.retryAfterMinutes()));
    }
}
