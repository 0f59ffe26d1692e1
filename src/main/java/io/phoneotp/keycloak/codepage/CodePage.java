package io.phoneotp.keycloak.codepage;

import io.phoneotp.keycloak.challenge.CodeChallenge;
import io.phoneotp.keycloak.challenge.CodeSettings;
import io.phoneotp.keycloak.challenge.Verification;
import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.DeliveryFailure;
import io.phoneotp.keycloak.delivery.DeliveryPool;
import io.phoneotp.keycloak.delivery.SenderSettingsStore;
import io.phoneotp.keycloak.events.OtpEventDetails;
import io.phoneotp.keycloak.link.DeliveryMode;
import io.phoneotp.keycloak.link.SignInLink;
import io.phoneotp.keycloak.metrics.OtpMetrics;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.common.util.Time;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The controller of a page with a code field, shared by the sign-in steps and the registration
 * action: it keeps the login's challenge, sends and resends under the login's limits (sends,
 * doubling cooldown), and turns each outcome into an event and the page's message. The caller keeps
 * what is its own: who the recipient is, and what a right or wrong code means for it.
 * <p>
 * The counts hold for the whole login attempt, and parallel requests cannot exceed them: each send
 * and each try on a code takes a numbered claim in Keycloak's cluster-wide single-use store, which
 * has one winner per claim.
 */
public final class CodePage {

    /** Longer than any login attempt lives. */
    private static final long CLAIM_LIFESPAN_SECONDS = 24 * 3600;

    private final KeycloakSession session;
    private static final Logger LOG = Logger.getLogger(CodePage.class);
    private final AuthenticationSessionModel authSession;
    private final Purpose purpose;
    private final CodeSettings settings;
    private final Channel defaultChannel;
    private final Supplier<EventBuilder> errorEvent;
    private final CodeChallenge challenge;
    private DeliveryMode mode = DeliveryMode.CODE;

    /**
     * @param defaultChannel the channel of a page that has sent nothing yet
     * @param errorEvent     the caller's error event (its type, user and own details); this page adds channel, number and error
     */
    public CodePage(KeycloakSession session, AuthenticationSessionModel authSession, Purpose purpose, CodeSettings settings,
                    Channel defaultChannel, Supplier<EventBuilder> errorEvent) {
        this.session = session;
        this.authSession = authSession;
        this.purpose = purpose;
        this.settings = settings;
        this.defaultChannel = defaultChannel;
        this.errorEvent = errorEvent;
        Map<String, String> notes = new HashMap<>();
        CodeChallenge.NOTE_KEYS.forEach(key -> notes.put(key, authSession.getAuthNote(AuthNotes.of(purpose, key))));
        this.challenge = CodeChallenge.fromNotes(notes);
    }

    /**
     * What this page's text messages carry (a code by default); a link only where the server fixes
     * its host name ({@link SignInLink#hostIsFixed}).
     */
    public CodePage deliveredAs(DeliveryMode mode) {
        if (mode.link() && !SignInLink.hostIsFixed(authSession.getRealm())) {
            LOG.errorf("Realm '%s': a step or action is set to send links, but neither the realm's Frontend URL nor the server's"
                    + " hostname is set, so a link could name any host a request claims; a code is sent instead", authSession.getRealm().getName());
            this.mode = DeliveryMode.CODE;
        } else {
            this.mode = mode;
        }
        return this;
    }

    /** What the last text (or call) of this page carried. */
    public DeliveryMode delivery() {
        return mode.by(channel());
    }

    /**
     * The phone's answer to this page's current link, taken once; empty while nobody has answered.
     * A confirmed link also ends the code: the step is done either way.
     */
    public Optional<SignInLink.Answer> takeLinkAnswer() {
        if (!mode.link()) {
            return Optional.empty();
        }
        Optional<SignInLink.Answer> answer = SignInLink.takeAnswer(session, authSession, purpose.id);
        if (answer.isPresent()) {
            challenge.dropCode();
            save();
        }
        return answer;
    }

    /**
     * What "Continue" on the waiting page says while the phone has not answered: to tap the link,
     * or nothing once the link has expired (the page then says so itself, beside "Send a new link").
     */
    public Answer linkNotAnswered() {
        return linkExpired() ? Answer.of(Answer.Result.SHOWN, null) : Answer.of(Answer.Result.SHOWN, Answer.info("phoneOtpLinkNotYet"));
    }

    /** Whether the link of the last text has outlived its lifetime without an answer: nothing can answer it any more. */
    private boolean linkExpired() {
        return delivery().link() && challenge.hasCode() && SignInLink.status(session, authSession) == SignInLink.Status.EXPIRED;
    }

    /** True once this login has sent a code on this page: a reload must then not send again. */
    public boolean anySent() {
        return challenge.anySent();
    }

    /** The channel the last code went by (the user may switch it), else the page's own. */
    public Channel channel() {
        return Channel.fromId(authSession.getAuthNote(AuthNotes.of(purpose, AuthNotes.CHANNEL))).orElse(defaultChannel);
    }

    /** The provider's id of the last code, for the success event; null when unknown. */
    public String providerId() {
        return authSession.getAuthNote(AuthNotes.of(purpose, AuthNotes.PROVIDER_ID));
    }

    /**
     * Sends a code by {@code via}, within the login's limits: {@code maxSends}, and a cooldown that
     * doubles with each send.
     *
     * @param resend whether the user asked for it (the page then says that a new code went out)
     */
    public Answer send(Recipient to, Channel via, boolean resend) {
        if (challenge.sendsExhausted(settings.maxSends())) {
            return noMoreSends(to, via);
        }
        long wait = challenge.secondsUntilResend(settings.resendCooldownSeconds(), Time.currentTimeMillis());
        if (wait > 0) {
            return Answer.of(Answer.Result.SHOWN, Answer.error("phoneOtpResendWait", Long.toString(wait)));
        }
        if (!claim("send:" + authSession.getParentSession().getId() + "." + authSession.getTabId(), challenge.sends())) {
            return noMoreSends(to, via); // a parallel request took this send
        }
        CodeDispatch.Outcome outcome = new CodeDispatch(session, authSession.getRealm()).send(challenge, to, via, settings, purpose, mode, authSession);
        if (!(outcome instanceof CodeDispatch.Refused) || to.unproven()) {
            // a send refused before anything went out leaves the page as it was: its channel, and the link still valid
            authSession.setAuthNote(AuthNotes.of(purpose, AuthNotes.CHANNEL), via.id());
        }
        Answer.Message sentInfo = Answer.info(!resend ? null : via == Channel.VOICE ? "phoneOtpCallPlaced"
                : mode.by(via) == DeliveryMode.LINK ? "phoneOtpLinkResent" : "phoneOtpCodeResent");
        Answer answer;
        setNote(AuthNotes.LATE_OUTCOME, null); // an earlier send's outcome no longer matters
        if (outcome instanceof CodeDispatch.Sent sent) {
            setNote(AuthNotes.PROVIDER_ID, sent.providerId());
            answer = Answer.of(Answer.Result.SENT, sentInfo);
        } else if (outcome instanceof CodeDispatch.Refused refused) {
            refusedEvent(to.phone(), via, refused.eventError(), refused.reason());
            if (to.unproven()) {
                // counted and answered like a send: a refusal would tell real accounts from unknown ones
                challenge.issueUndelivered(settings.codeLength(), settings.codeTtlSeconds(), Time.currentTimeMillis());
                setNote(AuthNotes.PROVIDER_ID, null);
                answer = Answer.of(Answer.Result.SENT, sentInfo);
            } else {
                String key = OtpEventDetails.NUMBER_NOT_ALLOWED.equals(refused.eventError()) ? purpose.numberNotAllowedKey : refused.messageKey();
                answer = Answer.of(Answer.Result.NOT_SENT, Answer.error(key, (Object[]) refused.messageArgs()));
            }
        } else if (outcome instanceof CodeDispatch.Pending pending) {
            setNote(AuthNotes.PROVIDER_ID, null);
            setNote(AuthNotes.LATE_OUTCOME, pending.lateOutcomeId());
            answer = Answer.of(Answer.Result.SENT, sentInfo);
        } else {
            answer = failed(to.phone(), via, ((CodeDispatch.Failed) outcome).exception());
        }
        save();
        return answer;
    }

    /**
     * The outcome of a send that the page answered without waiting for, once it is known: a failure
     * voids the code and is told now, with its event. Null when there is nothing to tell.
     *
     * @param phone where the code went, for the event
     */
    public Answer lateOutcome(String phone) {
        String id = authSession.getAuthNote(AuthNotes.of(purpose, AuthNotes.LATE_OUTCOME));
        Optional<DeliveryPool.Outcome> outcome = id == null ? Optional.empty() : LateOutcome.take(session, id);
        if (outcome.isEmpty()) {
            return null;
        }
        setNote(AuthNotes.LATE_OUTCOME, null);
        if (outcome.get().sent()) {
            setNote(AuthNotes.PROVIDER_ID, outcome.get().providerId());
            return null;
        }
        challenge.discardCode();
        SignInLink.forget(session, authSession);
        save();
        return failed(phone, channel(), outcome.get().failure());
    }

    /** Checks a typed code; {@code phone} names the number in the events. A failed delivery learned only now is told instead. */
    public Answer verify(String phone, String typed) {
        Answer late = lateOutcome(phone);
        if (late != null) {
            return late;
        }
        Verification result = challenge.verify(typed, settings.maxAttempts(), Time.currentTimeMillis(),
                (codeId, index) -> claim("try:" + codeId, index));
        save();
        return switch (result) {
            case VALID -> {
                SignInLink.forget(session, authSession); // the step is done: its link must not do it again
                metrics().verification(realmName(), channel().id(), OtpMetrics.VALID);
                yield Answer.of(Answer.Result.VERIFIED, null);
            }
            case INVALID -> {
                wrongCodeEvent(phone, OtpEventDetails.INVALID_CODE).error(Errors.INVALID_CODE);
                int left = challenge.attemptsLeft(settings.maxAttempts());
                yield left > 0
                        ? Answer.rejected(Answer.Result.WRONG_CODE, AuthenticationFlowError.INVALID_CREDENTIALS, "phoneOtpInvalidCode", Integer.toString(left))
                        : Answer.rejected(Answer.Result.WRONG_CODE, AuthenticationFlowError.INVALID_CREDENTIALS, "phoneOtpTooManyAttempts");
            }
            case EXPIRED -> {
                wrongCodeEvent(phone, OtpEventDetails.EXPIRED_CODE).error(Errors.EXPIRED_CODE);
                yield Answer.rejected(Answer.Result.CODE_DEAD, AuthenticationFlowError.EXPIRED_CODE, "phoneOtpExpiredCode");
            }
            case ATTEMPTS_EXHAUSTED -> {
                wrongCodeEvent(phone, OtpEventDetails.TOO_MANY_ATTEMPTS).error(OtpEventDetails.TOO_MANY_ATTEMPTS);
                yield Answer.rejected(Answer.Result.CODE_DEAD, AuthenticationFlowError.INVALID_CREDENTIALS, "phoneOtpTooManyAttempts");
            }
            case NO_CODE -> new Answer(Answer.Result.SHOWN, null, new Answer.Message(true, "code", "phoneOtpNoCode"));
        };
    }

    /** Forgets the outstanding code and keeps the counts, for another number or a cancel. */
    public void forgetCode() {
        challenge.dropCode();
        SignInLink.forget(session, authSession);
        setNote(AuthNotes.PROVIDER_ID, null);
        save();
    }

    /** Adds the channel and the masked number to an event. */
    public EventBuilder describe(EventBuilder event, String phone) {
        return event.detail(OtpEventDetails.CHANNEL, channel().id()).detail(OtpEventDetails.PHONE, PhoneNumbers.mask(phone));
    }

    /** What every page with a code field shows (the code field, resend with its countdown, the other channel), by the names phone-otp-commons.ftl reads. */
    public Map<String, Object> controls() {
        Map<String, Object> model = new HashMap<>();
        model.put("channel", channel().id());
        model.put("otherChannel", otherChannel().map(Channel::id).orElse(""));
        model.put("codeLength", settings.codeLength());
        model.put("resendWaitSeconds", challenge.secondsUntilResend(settings.resendCooldownSeconds(), Time.currentTimeMillis()));
        model.put("canResend", !challenge.sendsExhausted(settings.maxSends()));
        model.put("codeSent", challenge.hasCode());
        DeliveryMode carried = delivery();
        model.put("delivery", carried.id());
        model.put("linkStatusUrl", carried.link() && challenge.hasCode() ? SignInLink.statusUrl(session, authSession) : "");
        model.put("linkExpired", linkExpired());
        return model;
    }

    /** The channel the page offers to switch to: the other one, where the realm has a provider for it. */
    private Optional<Channel> otherChannel() {
        Channel other = channel() == Channel.SMS ? Channel.VOICE : Channel.SMS;
        return SenderSettingsStore.find(authSession.getRealm(), other).isPresent() ? Optional.of(other) : Optional.empty();
    }

    /** A provider's refusal, worded for this page; "try a call" only where the page offers one. */
    private String deliveryMessage(DeliveryFailure failure) {
        if (failure == DeliveryFailure.SMS_UNREACHABLE
                && (otherChannel().isEmpty() || challenge.sendsExhausted(settings.maxSends()))) {
            return "phoneOtpDeliverySmsUnreachableNoCall";
        }
        return purpose.deliveryMessage(failure.messageKey());
    }

    private Answer failed(String phone, Channel via, DeliveryException failure) {
        EventBuilder event = event(phone, via).detail(OtpEventDetails.ERROR, OtpEventDetails.GATEWAY_ERROR);
        if (failure.providerCode() != null) {
            event.detail(OtpEventDetails.PROVIDER_CODE, failure.providerCode().toString());
        }
        event.error(OtpEventDetails.GATEWAY_ERROR);
        return Answer.of(Answer.Result.NOT_SENT, Answer.error(deliveryMessage(failure.failure())));
    }

    private Answer noMoreSends(Recipient to, Channel via) {
        refusedEvent(to.phone(), via, OtpEventDetails.RATE_LIMITED, OtpEventDetails.MAX_SENDS);
        return Answer.of(Answer.Result.SHOWN, Answer.error("phoneOtpNoMoreSends"));
    }

    /** A send refused by a limit or the policy: its event, and the same error and reason counted in the metrics. */
    private void refusedEvent(String phone, Channel via, String eventError, String reason) {
        event(phone, via).detail(OtpEventDetails.ERROR, eventError).detail(OtpEventDetails.REASON, reason).error(eventError);
        metrics().refused(realmName(), via.id(), reason);
    }

    /** A code typed back that did not sign in: the event's error is also the outcome counted in the metrics. */
    private EventBuilder wrongCodeEvent(String phone, String eventError) {
        metrics().verification(realmName(), channel().id(), eventError);
        return event(phone, channel()).detail(OtpEventDetails.ERROR, eventError);
    }

    private String realmName() {
        return authSession.getRealm().getName();
    }

    private static OtpMetrics metrics() {
        return OtpMetrics.instance();
    }

    private EventBuilder event(String phone, Channel via) {
        return errorEvent.get().detail(OtpEventDetails.CHANNEL, via.id()).detail(OtpEventDetails.PHONE, PhoneNumbers.mask(phone));
    }

    private boolean claim(String what, int index) {
        return session.singleUseObjects().putIfAbsent("phone-otp:" + purpose.id + ":" + what + ":" + index, CLAIM_LIFESPAN_SECONDS);
    }

    private void setNote(String what, String value) {
        if (value == null) {
            authSession.removeAuthNote(AuthNotes.of(purpose, what));
        } else {
            authSession.setAuthNote(AuthNotes.of(purpose, what), value);
        }
    }

    private void save() {
        challenge.toNotes().forEach(this::setNote);
    }
}
