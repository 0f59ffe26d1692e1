package io.phoneotp.keycloak.flow;

import io.phoneotp.keycloak.challenge.ChallengeNotes;
import io.phoneotp.keycloak.challenge.CodeChallenge;
import io.phoneotp.keycloak.challenge.Verification;
import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.OtpText;
import io.phoneotp.keycloak.delivery.PhoneOtpSender;
import io.phoneotp.keycloak.delivery.PhoneOtpSenders;
import io.phoneotp.keycloak.limits.GuessCeiling;
import io.phoneotp.keycloak.limits.SendLimits;
import io.phoneotp.keycloak.phone.Destination;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import io.phoneotp.keycloak.settings.PhonePolicy;
import io.phoneotp.keycloak.settings.PhonePolicyStore;
import io.phoneotp.keycloak.settings.SenderSettingsStore;
import io.phoneotp.keycloak.user.PhoneAttributes;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sends a code to the user's phone and checks the code typed back. Reloading the page never sends
 * again; only the resend button does. Wrong codes also count toward the realm's brute-force
 * detection, under Keycloak's {@code otp} category (the only way Keycloak counts them).
 */
public class PhoneOtpAuthenticator implements Authenticator {

    static final String TEMPLATE = "phone-otp-code.ftl";
    private static final String PROVIDER_ID_NOTE = "phone-otp.provider-id";
    /** The channel the outstanding code went by; the user may switch it on the code page. */
    private static final String CHANNEL_NOTE = "phone-otp.channel";
    /** The step (execution) that sent the outstanding code; another phone step reached by "Try another way" sends its own. */
    private static final String EXECUTION_NOTE = "phone-otp.execution";
    private static final Set<String> BRUTE_FORCE_CATEGORY = Set.of("otp");

    private final Channel channel;

    public PhoneOtpAuthenticator(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        if (refusedAsLockedOut(context)) {
            return;
        }
        CodeChallenge challenge = ChallengeNotes.load(context.getAuthenticationSession());
        if (!challenge.anySent()) {
            send(context, challenge, channel, null);
        } else if (context.getExecution().getId().equals(context.getAuthenticationSession().getAuthNote(EXECUTION_NOTE))) {
            context.challenge(page(context, challenge).createForm(TEMPLATE)); // a reload: never send again
        } else {
            // chosen with "Try another way": this step owns the page from now on (so a reload never
            // sends), and its code goes out under the same limits as any resend
            context.getAuthenticationSession().setAuthNote(EXECUTION_NOTE, context.getExecution().getId());
            context.getAuthenticationSession().setAuthNote(CHANNEL_NOTE, channel.id());
            resend(context, challenge, channel);
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        if (refusedAsLockedOut(context)) {
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        CodeChallenge challenge = ChallengeNotes.load(context.getAuthenticationSession());
        Channel requested = Channel.fromId(form.getFirst("channel")).orElse(null);
        if (requested != null) {
            resend(context, challenge, requested);
        } else if (form.containsKey("resend")) {
            resend(context, challenge, currentChannel(context));
        } else {
            verify(context, challenge, form.getFirst("code"));
        }
    }

    /** A new code, on the same channel or the other one: both count toward the same limits. */
    private void resend(AuthenticationFlowContext context, CodeChallenge challenge, Channel via) {
        StepConfig config = config(context);
        if (challenge.sendsExhausted(config.maxSends())) {
            event(context).detail(OtpEventDetails.ERROR, OtpEventDetails.RATE_LIMITED).error(OtpEventDetails.RATE_LIMITED);
            context.challenge(page(context, challenge).setError("phoneOtpNoMoreSends").createForm(TEMPLATE));
            return;
        }
        long wait = challenge.secondsUntilResend(config.resendCooldownSeconds(), now());
        if (wait > 0) {
            context.challenge(page(context, challenge).setError("phoneOtpResendWait", Long.toString(wait)).createForm(TEMPLATE));
            return;
        }
        send(context, challenge, via, via == Channel.VOICE ? "phoneOtpCallPlaced" : "phoneOtpCodeResent");
    }

    /** Issues a code, delivers it, and shows the code page with the outcome. */
    private void send(AuthenticationFlowContext context, CodeChallenge challenge, Channel via, String successMessage) {
        StepConfig config = config(context);
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.setAuthNote(CHANNEL_NOTE, via.id());
        authSession.setAuthNote(EXECUTION_NOTE, context.getExecution().getId());
        if (refusedByPolicy(context, challenge)) {
            return;
        }
        String code = challenge.issue(config.codeLength(), config.codeTtlSeconds(), now());
        ChallengeNotes.save(authSession, challenge); // counted before sending: a crash mid-send still counts
        try {
            authSession.setAuthNote(PROVIDER_ID_NOTE, deliver(context, via, code, config));
            LoginFormsProvider page = page(context, challenge);
            context.challenge((successMessage == null ? page : page.setInfo(successMessage)).createForm(TEMPLATE));
        } catch (DeliveryException e) {
            challenge.discardCode();
            ChallengeNotes.save(authSession, challenge);
            EventBuilder event = event(context).detail(OtpEventDetails.ERROR, OtpEventDetails.GATEWAY_ERROR);
            if (e.providerCode() != null) {
                event.detail(OtpEventDetails.PROVIDER_CODE, e.providerCode().toString());
            }
            event.error(OtpEventDetails.GATEWAY_ERROR);
            context.challenge(page(context, challenge).setError(e.failure().messageKey()).createForm(TEMPLATE));
        }
    }

    /** The realm's destination policy and cross-session limits, before anything is sent or counted in this login. */
    private boolean refusedByPolicy(AuthenticationFlowContext context, CodeChallenge challenge) {
        PhonePolicy policy = PhonePolicyStore.load(context.getRealm());
        String phone = phoneOf(context.getUser());
        Optional<Destination.Refusal> destination = Destination.refusal(policy, phone);
        if (destination.isPresent()) {
            event(context).detail(OtpEventDetails.ERROR, OtpEventDetails.NUMBER_NOT_ALLOWED)
                    .detail(OtpEventDetails.REASON, destination.get().name().toLowerCase())
                    .error(OtpEventDetails.NUMBER_NOT_ALLOWED);
            context.challenge(page(context, challenge).setError("phoneOtpNumberNotAllowed").createForm(TEMPLATE));
            return true;
        }
        Optional<SendLimits.Refusal> limit = SendLimits.take(context.getSession(), context.getRealm(), policy, phone,
                context.getUser().getId(), context.getConnection().getRemoteAddr());
        if (limit.isPresent()) {
            event(context).detail(OtpEventDetails.ERROR, OtpEventDetails.RATE_LIMITED)
                    .detail(OtpEventDetails.REASON, limit.get().scope().name().toLowerCase())
                    .error(OtpEventDetails.RATE_LIMITED);
            context.challenge(page(context, challenge)
                    .setError("phoneOtpTooManyCodes", Long.toString(limit.get().retryAfterMinutes())).createForm(TEMPLATE));
            return true;
        }
        return false;
    }

    private String deliver(AuthenticationFlowContext context, Channel via, String code, StepConfig config) throws DeliveryException {
        KeycloakSession session = context.getSession();
        PhoneOtpSender sender = PhoneOtpSenders.forChannel(session, context.getRealm(), via);
        String phone = phoneOf(context.getUser());
        if (via == Channel.VOICE) {
            return sender.call(phone, OtpText.voice(session, context.getRealm(), context.getUser(), code, config.voiceRepeat()));
        }
        return sender.sendSms(phone, OtpText.sms(session, context.getRealm(), context.getUser(), code, config.codeTtlSeconds()),
                config.codeTtlSeconds());
    }

    private void verify(AuthenticationFlowContext context, CodeChallenge challenge, String typed) {
        StepConfig config = config(context);
        Verification result = challenge.verify(typed, config.maxAttempts(), now());
        ChallengeNotes.save(context.getAuthenticationSession(), challenge);
        switch (result) {
            case VALID -> {
                GuessCeiling.clear(context.getSession().loginFailures(), context.getRealm(), context.getUser());
                PhoneAttributes.markVerified(context.getUser());
                event(context).detail(OtpEventDetails.PROVIDER_ID, context.getAuthenticationSession().getAuthNote(PROVIDER_ID_NOTE));
                context.success();
            }
            case INVALID -> {
                countFailureForBruteForce(context);
                event(context).detail(OtpEventDetails.ERROR, OtpEventDetails.INVALID_CODE).error(Errors.INVALID_CODE);
                int left = challenge.attemptsLeft(config.maxAttempts());
                LoginFormsProvider page = left > 0
                        ? page(context, challenge).addError(codeError("phoneOtpInvalidCode", Integer.toString(left)))
                        : page(context, challenge).addError(codeError("phoneOtpTooManyAttempts"));
                context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS, page.createForm(TEMPLATE));
            }
            case EXPIRED -> {
                event(context).detail(OtpEventDetails.ERROR, OtpEventDetails.EXPIRED_CODE).error(Errors.EXPIRED_CODE);
                context.failureChallenge(AuthenticationFlowError.EXPIRED_CODE,
                        page(context, challenge).addError(codeError("phoneOtpExpiredCode")).createForm(TEMPLATE));
            }
            case ATTEMPTS_EXHAUSTED -> {
                event(context).detail(OtpEventDetails.ERROR, OtpEventDetails.TOO_MANY_ATTEMPTS).error(OtpEventDetails.TOO_MANY_ATTEMPTS);
                context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                        page(context, challenge).addError(codeError("phoneOtpTooManyAttempts")).createForm(TEMPLATE));
            }
            case NO_CODE -> context.challenge(page(context, challenge).addError(codeError("phoneOtpNoCode")).createForm(TEMPLATE));
        }
    }

    /** A wrong code counts as Keycloak's brute-force detection would count a wrong OTP, or toward our ceiling when it is off. */
    private void countFailureForBruteForce(AuthenticationFlowContext context) {
        RealmModel realm = context.getRealm();
        if (realm.isBruteForceProtected()) {
            context.getProtector().failedLogin(realm, context.getUser(), context.getConnection(),
                    context.getSession().getContext().getUri(), BRUTE_FORCE_CATEGORY);
        } else {
            GuessCeiling.countFailure(context.getSession().loginFailures(), realm, context.getUser());
        }
    }

    /** When brute-force detection (or, with it off, the guessing ceiling) has locked the user, says so and accepts no code. */
    private boolean refusedAsLockedOut(AuthenticationFlowContext context) {
        String message;
        if (GuessCeiling.reached(context.getSession().loginFailures(), context.getRealm(), context.getUser())) {
            event(context).detail(OtpEventDetails.ERROR, OtpEventDetails.TOO_MANY_ATTEMPTS).error(OtpEventDetails.TOO_MANY_ATTEMPTS);
            message = "phoneOtpAccountLocked";
        } else {
            String error = AuthenticatorUtils.getDisabledByBruteForceEventError(context, context.getUser());
            if (error == null) {
                return false;
            }
            event(context).error(error);
            message = Errors.USER_TEMPORARILY_DISABLED.equals(error) ? "phoneOtpAccountTemporarilyLocked" : "phoneOtpAccountLocked";
        }
        CodeChallenge challenge = ChallengeNotes.load(context.getAuthenticationSession());
        context.forceChallenge(page(context, challenge).setError(message).createForm(TEMPLATE));
        return true;
    }

    private EventBuilder event(AuthenticationFlowContext context) {
        return context.getEvent().user(context.getUser())
                .detail(OtpEventDetails.CHANNEL, currentChannel(context).id())
                .detail(OtpEventDetails.PHONE, PhoneNumbers.mask(phoneOf(context.getUser())));
    }

    private Channel currentChannel(AuthenticationFlowContext context) {
        return Channel.fromId(context.getAuthenticationSession().getAuthNote(CHANNEL_NOTE)).orElse(channel);
    }

    private StepConfig config(AuthenticationFlowContext context) {
        return StepConfig.of(context.getAuthenticatorConfig(), channel);
    }

    private LoginFormsProvider page(AuthenticationFlowContext context, CodeChallenge challenge) {
        StepConfig config = config(context);
        Channel current = currentChannel(context);
        Channel other = current == Channel.SMS ? Channel.VOICE : Channel.SMS;
        // offer the other channel only where the realm has a provider for it
        boolean otherAvailable = SenderSettingsStore.find(context.getRealm(), other).isPresent();
        Map<String, Object> model = Map.of(
                "maskedPhone", PhoneNumbers.mask(phoneOf(context.getUser())),
                "channel", current.id(),
                "codeSent", challenge.hasCode(),
                "otherChannel", otherAvailable ? other.id() : "",
                "codeLength", config.codeLength(),
                "resendWaitSeconds", challenge.secondsUntilResend(config.resendCooldownSeconds(), now()),
                "canResend", !challenge.sendsExhausted(config.maxSends()));
        return context.form().setAttribute("phoneOtp", model);
    }

    private static FormMessage codeError(String key, Object... args) {
        return new FormMessage("code", key, args);
    }

    private static String phoneOf(UserModel user) {
        return PhoneAttributes.phoneNumber(user).orElse("");
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return PhoneAttributes.phoneNumber(user).isPresent();
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
