package io.phoneotp.keycloak.flow;

import org.keycloak.common.util.Time;
import io.phoneotp.keycloak.challenge.ChallengeNotes;
import io.phoneotp.keycloak.challenge.CodeChallenge;
import io.phoneotp.keycloak.challenge.CodeControls;
import io.phoneotp.keycloak.challenge.CodeDispatch;
import io.phoneotp.keycloak.challenge.CodeSettings;
import io.phoneotp.keycloak.challenge.Verification;
import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.events.OtpEventDetails;
import io.phoneotp.keycloak.limits.GuessCeiling;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import io.phoneotp.keycloak.registration.PhoneNumberConfigAction;
import io.phoneotp.keycloak.policy.PhonePolicyStore;
import io.phoneotp.keycloak.user.PhoneNumberRegistry;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends a code to the user's phone and checks the code typed back. Reloading the page never sends
 * again; only the resend button does. Wrong codes also count toward the realm's brute-force
 * detection, under Keycloak's {@code otp} category (the only way Keycloak counts them).
 * <p>
 * In a sign-in that has only been told who the user claims to be (after the identify step, or in
 * the forgot-password flow), the step answers alike for every identifier: an identifier without an
 * account, without a verified number, disabled or locked gets the same page, a code that goes
 * nowhere and fails, and the same limits; the real account's code is handed to the provider after
 * the response, so that the time to answer does not tell them apart either.
 */
public class PhoneOtpAuthenticator implements Authenticator {

    static final String TEMPLATE = "phone-otp-code.ftl";
    private static final String PROVIDER_ID_NOTE = "phone-otp.provider-id";
    /** The channel the outstanding code went by; the user may switch it on the code page. */
    private static final String CHANNEL_NOTE = "phone-otp.channel";
    /** The step (execution) that sent the outstanding code; another phone step reached by "Try another way" sends its own. */
    private static final String EXECUTION_NOTE = "phone-otp.execution";
    private static final Set<String> BRUTE_FORCE_CATEGORY = Set.of("otp");

    private static final Logger LOG = Logger.getLogger(PhoneOtpAuthenticator.class);

    private final Channel channel;
    /** This instance serves a flow that reached the step with no identified user (see the factory). */
    private final boolean withoutUser;

    public PhoneOtpAuthenticator(Channel channel, boolean withoutUser) {
        this.channel = channel;
        this.withoutUser = withoutUser;
    }

    /**
     * Who gets the code in this request: an account's number, or nobody ({@code ghostReason} says
     * why) for an identifier that has no account with a verified number in an unproven sign-in.
     */
    private record Recipient(UserModel user, String phone, String ghostReason, boolean unproven) {
        boolean ghost() {
            return ghostReason != null;
        }
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        if (misconfigured(context)) {
            return;
        }
        Recipient recipient = recipient(context);
        if (!recipient.unproven() && refusedAsLockedOut(context)) {
            return;
        }
        CodeChallenge challenge = ChallengeNotes.SIGN_IN.load(context.getAuthenticationSession());
        if (!challenge.anySent()) {
            send(context, recipient, challenge, channel, null);
        } else if (context.getExecution().getId().equals(context.getAuthenticationSession().getAuthNote(EXECUTION_NOTE))) {
            context.challenge(page(context, recipient, challenge).createForm(TEMPLATE)); // a reload: never send again
        } else {
            // chosen with "Try another way": this step owns the page from now on (so a reload never
            // sends), and its code goes out under the same limits as any resend
            context.getAuthenticationSession().setAuthNote(EXECUTION_NOTE, context.getExecution().getId());
            context.getAuthenticationSession().setAuthNote(CHANNEL_NOTE, channel.id());
            resend(context, recipient, challenge, channel);
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        if (misconfigured(context)) {
            return;
        }
        Recipient recipient = recipient(context);
        if (!recipient.unproven() && refusedAsLockedOut(context)) {
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        CodeChallenge challenge = ChallengeNotes.SIGN_IN.load(context.getAuthenticationSession());
        if (form.containsKey("anotherNumber") && offersAnotherNumber(context, recipient)) {
            anotherNumber(context, recipient, challenge, !options(context).showInfoBeforeRegistration() || form.containsKey("confirmed"));
            return;
        }
        Channel requested = Channel.fromId(form.getFirst("channel")).orElse(null);
        if (requested != null) {
            resend(context, recipient, challenge, requested);
        } else if (form.containsKey("back")) {
            context.challenge(page(context, recipient, challenge).createForm(TEMPLATE));
        } else if (form.containsKey("resend")) {
            resend(context, recipient, challenge, currentChannel(context));
        } else {
            verify(context, recipient, challenge, form.getFirst("code"));
        }
    }

    private Recipient recipient(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        boolean unproven = Identification.unproven(authSession);
        UserModel user = context.getUser();
        if (user == null) {
            return new Recipient(null, "", Identification.ghostReason(authSession), true);
        }
        String phone = phoneOf(context);
        if (!unproven) {
            return new Recipient(user, phone, null, false);
        }
        String reason = !user.isEnabled() ? "user_disabled"
                : phone.isEmpty() ? "no_verified_number"
                : options(context).phoneNumberNote() == null && !PhoneNumberRegistry.verifiedNumber(user).isPresent() ? "no_verified_number"
                : lockedOut(context) ? "locked"
                : null;
        return new Recipient(user, phone, reason, true);
    }

    /**
     * A step that cannot know where to send: placed before any step that identifies the user, or
     * told to read a session note that no earlier step set. The administrator's mistake is named
     * in the log; the user gets Keycloak's error page.
     */
    private boolean misconfigured(AuthenticationFlowContext context) {
        String problem = null;
        String note = options(context).phoneNumberNote();
        if (withoutUser && !Identification.unproven(context.getAuthenticationSession())) {
            problem = "it runs before any step that identifies the user; put it after one (for example 'Username or phone number')";
        } else if (note != null && context.getAuthenticationSession().getAuthNote(note) == null) {
            problem = "its phoneNumberNote '" + note + "' is not set by an earlier step (the setting is invalid in a first step)";
        }
        if (problem == null) {
            return false;
        }
        LOG.errorf("Realm '%s', flow step %s (execution %s) is not set up correctly: %s", context.getRealm().getName(),
                context.getExecution().getAuthenticator(), context.getExecution().getId(), problem);
        context.getEvent().error(Errors.INVALID_CONFIG);
        context.failure(AuthenticationFlowError.INTERNAL_ERROR, context.form().setError("phoneOtpMisconfigured")
                .createErrorPage(Response.Status.INTERNAL_SERVER_ERROR));
        return true;
    }

    /** A new code, on the same channel or the other one: both count toward the same limits. */
    private void resend(AuthenticationFlowContext context, Recipient recipient, CodeChallenge challenge, Channel via) {
        CodeSettings config = config(context);
        if (challenge.sendsExhausted(config.maxSends())) {
            event(context, recipient).detail(OtpEventDetails.ERROR, OtpEventDetails.RATE_LIMITED).error(OtpEventDetails.RATE_LIMITED);
            context.challenge(page(context, recipient, challenge).setError("phoneOtpNoMoreSends").createForm(TEMPLATE));
            return;
        }
        long wait = challenge.secondsUntilResend(config.resendCooldownSeconds(), now());
        if (wait > 0) {
            context.challenge(page(context, recipient, challenge).setError("phoneOtpResendWait", Long.toString(wait)).createForm(TEMPLATE));
            return;
        }
        send(context, recipient, challenge, via, via == Channel.VOICE ? "phoneOtpCallPlaced" : "phoneOtpCodeResent");
    }

    /** Issues a code, delivers it, and shows the code page with the outcome. */
    private void send(AuthenticationFlowContext context, Recipient recipient, CodeChallenge challenge, Channel via, String successMessage) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.setAuthNote(CHANNEL_NOTE, via.id());
        authSession.setAuthNote(EXECUTION_NOTE, context.getExecution().getId());
        CodeDispatch dispatch = new CodeDispatch(context.getSession(), authSession, ChallengeNotes.SIGN_IN);
        CodeDispatch.Outcome outcome = recipient.ghost() ? dispatch.pretend(challenge, Identification.attempted(authSession), config(context))
                : recipient.unproven() ? dispatch.sendLater(challenge, recipient.user(), recipient.phone(), via, config(context))
                : dispatch.send(challenge, recipient.user(), recipient.phone(), via, config(context), CodeDispatch.Purpose.SIGN_IN);
        LoginFormsProvider page = page(context, recipient, challenge);
        if (outcome instanceof CodeDispatch.Sent sent) {
            if (sent.providerId() != null) {
                authSession.setAuthNote(PROVIDER_ID_NOTE, sent.providerId());
            }
            context.challenge((successMessage == null ? page : page.setInfo(successMessage)).createForm(TEMPLATE));
        } else if (outcome instanceof CodeDispatch.Refused refused) {
            event(context, recipient).detail(OtpEventDetails.ERROR, refused.eventError()).detail(OtpEventDetails.REASON, refused.reason())
                    .error(refused.eventError());
            if (recipient.unproven()) { // the same page as a send: the refusal would tell which identifiers are real
                context.challenge((successMessage == null ? page : page.setInfo(successMessage)).createForm(TEMPLATE));
            } else {
                context.challenge(page.setError(refused.messageKey(), (Object[]) refused.messageArgs()).createForm(TEMPLATE));
            }
        } else if (outcome instanceof CodeDispatch.Failed failed) {
            EventBuilder event = event(context, recipient).detail(OtpEventDetails.ERROR, OtpEventDetails.GATEWAY_ERROR);
            if (failed.exception().providerCode() != null) {
                event.detail(OtpEventDetails.PROVIDER_CODE, failed.exception().providerCode().toString());
            }
            event.error(OtpEventDetails.GATEWAY_ERROR);
            context.challenge(page.setError(failed.exception().failure().messageKey()).createForm(TEMPLATE));
        }
    }

    /**
     * "Use another phone number": the new number is registered right after this sign-in, which
     * still needs this code or another second factor (so a stolen password cannot move the account
     * to the thief's phone). With {@code showInfoBeforeRegistration}, a page explains that first.
     */
    private void anotherNumber(AuthenticationFlowContext context, Recipient recipient, CodeChallenge challenge, boolean confirmed) {
        if (!confirmed) {
            Map<String, Object> notice = new HashMap<>();
            notice.put("title", "phoneOtpAnotherNumberTitle");
            notice.put("text", "phoneOtpAnotherNumberInfo");
            notice.put("continueField", "anotherNumber");
            notice.put("backField", "back");
            context.challenge(context.form().setAttribute("phoneOtpNotice", notice).createForm(PhoneNumberConfigAction.NOTICE_TEMPLATE));
            return;
        }
        context.getAuthenticationSession().addRequiredAction(PhoneNumberRegistry.REGISTRATION_ACTION);
        context.getAuthenticationSession().setAuthNote(PhoneNumberConfigAction.OPTIONAL_NOTE, "true");
        context.challenge(page(context, recipient, challenge).setInfo("phoneOtpAnotherNumberQueued").createForm(TEMPLATE));
    }

    private void verify(AuthenticationFlowContext context, Recipient recipient, CodeChallenge challenge, String typed) {
        CodeSettings config = config(context);
        Verification result = challenge.verify(typed, config.maxAttempts(), now());
        ChallengeNotes.SIGN_IN.save(context.getAuthenticationSession(), challenge);
        if (result == Verification.VALID && recipient.ghost()) {
            result = Verification.INVALID; // a code nobody received signs nobody in, even when guessed
        }
        switch (result) {
            case VALID -> {
                GuessCeiling.clear(context.getSession().loginFailures(), context.getRealm(), context.getUser());
                if (options(context).phoneNumberNote() == null) {
                    PhoneNumberRegistry.confirmAtSignIn(context.getSession(), context.getRealm(), context.getUser(),
                            recipient.phone(), PhonePolicyStore.load(context.getRealm()).uniqueNumbers());
                }
                event(context, recipient).detail(OtpEventDetails.PROVIDER_ID, context.getAuthenticationSession().getAuthNote(PROVIDER_ID_NOTE));
                context.success();
            }
            case INVALID -> {
                if (!recipient.ghost()) {
                    countFailureForBruteForce(context);
                }
                event(context, recipient).detail(OtpEventDetails.ERROR, OtpEventDetails.INVALID_CODE).error(Errors.INVALID_CODE);
                int left = challenge.attemptsLeft(config.maxAttempts());
                LoginFormsProvider page = left > 0
                        ? page(context, recipient, challenge).addError(codeError("phoneOtpInvalidCode", Integer.toString(left)))
                        : page(context, recipient, challenge).addError(codeError("phoneOtpTooManyAttempts"));
                context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS, page.createForm(TEMPLATE));
            }
            case EXPIRED -> {
                event(context, recipient).detail(OtpEventDetails.ERROR, OtpEventDetails.EXPIRED_CODE).error(Errors.EXPIRED_CODE);
                context.failureChallenge(AuthenticationFlowError.EXPIRED_CODE,
                        page(context, recipient, challenge).addError(codeError("phoneOtpExpiredCode")).createForm(TEMPLATE));
            }
            case ATTEMPTS_EXHAUSTED -> {
                event(context, recipient).detail(OtpEventDetails.ERROR, OtpEventDetails.TOO_MANY_ATTEMPTS).error(OtpEventDetails.TOO_MANY_ATTEMPTS);
                context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                        page(context, recipient, challenge).addError(codeError("phoneOtpTooManyAttempts")).createForm(TEMPLATE));
            }
            case NO_CODE -> context.challenge(page(context, recipient, challenge).addError(codeError("phoneOtpNoCode")).createForm(TEMPLATE));
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

    private static boolean lockedOut(AuthenticationFlowContext context) {
        return GuessCeiling.reached(context.getSession().loginFailures(), context.getRealm(), context.getUser())
                || AuthenticatorUtils.getDisabledByBruteForceEventError(context, context.getUser()) != null;
    }

    /** When brute-force detection (or, with it off, the guessing ceiling) has locked the user, says so and accepts no code. */
    private boolean refusedAsLockedOut(AuthenticationFlowContext context) {
        String message;
        if (GuessCeiling.reached(context.getSession().loginFailures(), context.getRealm(), context.getUser())) {
            event(context, recipient(context)).detail(OtpEventDetails.ERROR, OtpEventDetails.TOO_MANY_ATTEMPTS).error(OtpEventDetails.TOO_MANY_ATTEMPTS);
            message = "phoneOtpAccountLocked";
        } else {
            String error = AuthenticatorUtils.getDisabledByBruteForceEventError(context, context.getUser());
            if (error == null) {
                return false;
            }
            event(context, recipient(context)).error(error);
            message = Errors.USER_TEMPORARILY_DISABLED.equals(error) ? "phoneOtpAccountTemporarilyLocked" : "phoneOtpAccountLocked";
        }
        CodeChallenge challenge = ChallengeNotes.SIGN_IN.load(context.getAuthenticationSession());
        context.forceChallenge(page(context, recipient(context), challenge).setError(message).createForm(TEMPLATE));
        return true;
    }

    private EventBuilder event(AuthenticationFlowContext context, Recipient recipient) {
        EventBuilder event = context.getEvent().user(recipient.user())
                .detail(OtpEventDetails.CHANNEL, currentChannel(context).id())
                .detail(OtpEventDetails.PHONE, PhoneNumbers.mask(recipient.phone()));
        return recipient.ghost() ? event.detail(OtpEventDetails.REASON, recipient.ghostReason()) : event;
    }

    private Channel currentChannel(AuthenticationFlowContext context) {
        return Channel.fromId(context.getAuthenticationSession().getAuthNote(CHANNEL_NOTE)).orElse(channel);
    }

    private CodeSettings config(AuthenticationFlowContext context) {
        return CodeSettings.of(context.getAuthenticatorConfig(), channel);
    }

    private static StepOptions options(AuthenticationFlowContext context) {
        return StepOptions.of(context.getAuthenticatorConfig());
    }

    /**
     * The link is offered where the step allows it and the realm has the registration action
     * enabled, and never in an unproven sign-in (it would differ between real and unknown accounts).
     */
    private static boolean offersAnotherNumber(AuthenticationFlowContext context, Recipient recipient) {
        if (recipient.unproven() || !options(context).allowRegistrationDuringLogin()) {
            return false;
        }
        RequiredActionProviderModel action = context.getRealm().getRequiredActionProviderByAlias(PhoneNumberRegistry.REGISTRATION_ACTION);
        return action != null && action.isEnabled();
    }

    private LoginFormsProvider page(AuthenticationFlowContext context, Recipient recipient, CodeChallenge challenge) {
        if (recipient.unproven()) {
            // Keycloak shows the username above the form for known users only, unless told to show what was typed
            context.getAuthenticationSession().setAuthNote(AbstractUsernameFormAuthenticator.USERNAME_HIDDEN, "true");
        }
        Map<String, Object> model = CodeControls.model(context.getRealm(), config(context), challenge, currentChannel(context));
        model.put("maskedPhone", recipient.unproven() ? "" : PhoneNumbers.mask(recipient.phone()));
        model.put("unproven", recipient.unproven());
        model.put("codeSent", challenge.hasCode());
        model.put("anotherNumber", offersAnotherNumber(context, recipient)
                && !context.getAuthenticationSession().getRequiredActions().contains(PhoneNumberRegistry.REGISTRATION_ACTION));
        return context.form().setAttribute("phoneOtp", model);
    }

    private static FormMessage codeError(String key, Object... args) {
        return new FormMessage("code", key, args);
    }

    /** The number from the session note named by {@code phoneNumberNote}, else the user's attribute; "" when there is none. */
    private static String phoneOf(AuthenticationFlowContext context) {
        String note = options(context).phoneNumberNote();
        if (note != null) {
            return PhoneNumbers.toE164(context.getAuthenticationSession().getAuthNote(note), null).orElse("");
        }
        return PhoneNumberRegistry.number(context.getUser()).orElse("");
    }

    private static long now() {
        return Time.currentTimeMillis();
    }

    @Override
    public boolean requiresUser() {
        return !withoutUser;
    }

    /** In an unproven sign-in every account counts as set up: skipping the step, or asking to register a number, would tell. */
    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return Identification.unproven(session.getContext().getAuthenticationSession()) || PhoneNumberRegistry.number(user).isPresent();
    }

    /** A REQUIRED step met by a user without a number (user setup): register one right after this sign-in. */
    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
        user.addRequiredAction(PhoneNumberRegistry.REGISTRATION_ACTION);
    }

    @Override
    public List<RequiredActionFactory> getRequiredActions(KeycloakSession session) {
        return List.of((RequiredActionFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(RequiredActionProvider.class, PhoneNumberRegistry.REGISTRATION_ACTION));
    }

    @Override
    public void close() {
    }
}
