package io.phoneotp.keycloak.flow;

import io.phoneotp.keycloak.challenge.CodeSettings;
import io.phoneotp.keycloak.codepage.Answer;
import io.phoneotp.keycloak.codepage.AuthNotes;
import io.phoneotp.keycloak.codepage.CodePage;
import io.phoneotp.keycloak.codepage.Notice;
import io.phoneotp.keycloak.codepage.Purpose;
import io.phoneotp.keycloak.codepage.Recipient;
import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.events.OtpEventDetails;
import io.phoneotp.keycloak.link.DeliveryMode;
import io.phoneotp.keycloak.link.SignInLink;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import io.phoneotp.keycloak.policy.PhonePolicyStore;
import io.phoneotp.keycloak.user.PhoneNumberRegistry;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SMS and voice steps: send a code to the user's phone, check the code typed back. The code
 * page itself (sends, limits, messages, events) is {@link CodePage}; this class decides who gets the
 * code and what a right or wrong code means for the sign-in; wrong codes count across sign-ins
 * ({@link Lockout}).
 * <p>
 * In a sign-in that has only been told who the user claims to be (after the identify step, or in
 * the forgot-password flow), the step answers alike for every identifier: one without an account,
 * without a verified number, disabled or locked gets the same page, a code that goes nowhere and
 * fails, and the same limits; the real account's code is handed to the provider after the response.
 */
public class PhoneOtpAuthenticator implements Authenticator {

    static final String TEMPLATE = "phone-otp-code.ftl";

    private static final Logger LOG = Logger.getLogger(PhoneOtpAuthenticator.class);

    private final Channel channel;
    /** This instance serves a flow that reached the step with no identified user (see the factory). */
    private final boolean withoutUser;

    public PhoneOtpAuthenticator(Channel channel, boolean withoutUser) {
        this.channel = channel;
        this.withoutUser = withoutUser;
    }

    /** Who gets the code in this request; {@code noCode} says why nobody does, in an unproven sign-in. */
    private record Target(Recipient recipient, NoCodeReason noCode) {
        UserModel user() {
            return recipient.user();
        }

        String phone() {
            return recipient.phone();
        }

        boolean unproven() {
            return recipient.unproven();
        }
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        if (misconfigured(context)) {
            return;
        }
        Target target = target(context);
        CodePage page = codePage(context, target);
        if (!target.unproven() && refusedAsLockedOut(context, target, page)) {
            return;
        }
        if (linkAnswered(context, target, page)) {
            return; // the link was tapped in this browser, or the page's "Continue" was reached again
        }
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String execution = context.getExecution().getId();
        if (page.anySent() && execution.equals(authSession.getAuthNote(AuthNotes.SIGN_IN_EXECUTION))) {
            show(context, target, page, page.lateOutcome(target.phone())); // a reload: never send again
            return;
        }
        // the first code, or this step chosen with "Try another way": it owns the page from now on
        // (so a reload never sends), and its code goes out under the same limits as any resend
        boolean resend = page.anySent();
        authSession.setAuthNote(AuthNotes.SIGN_IN_EXECUTION, execution);
        show(context, target, page, page.send(target.recipient(), channel, resend));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        if (misconfigured(context)) {
            return;
        }
        Target target = target(context);
        CodePage page = codePage(context, target);
        if (!target.unproven() && refusedAsLockedOut(context, target, page)) {
            return;
        }
        if (linkAnswered(context, target, page)) {
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        if (form.containsKey("linkContinue")) {
            show(context, target, page, page.linkNotAnswered());
            return;
        }
        if (form.containsKey("anotherNumber") && offersAnotherNumber(context, target)) {
            anotherNumber(context, target, page, !options(context).showInfoBeforeRegistration() || form.containsKey("confirmed"));
            return;
        }
        Channel requested = Channel.fromId(form.getFirst("channel")).orElse(null);
        if (requested != null) {
            show(context, target, page, page.send(target.recipient(), requested, true));
        } else if (form.containsKey("back")) {
            show(context, target, page, page.lateOutcome(target.phone()));
        } else if (form.containsKey("resend")) {
            show(context, target, page, page.send(target.recipient(), page.channel(), true));
        } else {
            verify(context, target, page, form.getFirst("code"));
        }
    }

    private Target target(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        UserModel user = context.getUser();
        if (user == null) {
            return new Target(Recipient.nowhere(null, "", Identification.limitKey(authSession)), Identification.recordedReason(authSession));
        }
        String phone = phoneOf(context);
        if (!Identification.unproven(authSession)) {
            return new Target(Recipient.now(user, phone), null);
        }
        NoCodeReason reason = NoCodeReason.of(user).orElse(Lockout.of(context).isPresent() ? NoCodeReason.LOCKED : null);
        return reason == null
                ? new Target(Recipient.later(user, phone), null)
                : new Target(Recipient.nowhere(user, phone, Identification.limitKey(authSession)), reason);
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

    /**
     * "Use another phone number": the new number is registered right after this sign-in, which
     * still needs this code or another second factor (so a stolen password cannot move the account
     * to the thief's phone). With {@code showInfoBeforeRegistration}, a page explains that first.
     */
    private void anotherNumber(AuthenticationFlowContext context, Target target, CodePage page, boolean confirmed) {
        if (!confirmed) {
            context.challenge(context.form().setAttribute(Notice.ATTRIBUTE, Notice.beforeAnotherNumber()).createForm(Notice.TEMPLATE));
            return;
        }
        context.getAuthenticationSession().addRequiredAction(PhoneNumberRegistry.REGISTRATION_ACTION);
        context.getAuthenticationSession().setAuthNote(AuthNotes.REGISTRATION_OPTIONAL, "true");
        context.challenge(form(context, target, page).setInfo("phoneOtpAnotherNumberQueued").createForm(TEMPLATE));
    }

    private void verify(AuthenticationFlowContext context, Target target, CodePage page, String typed) {
        Answer answer = page.verify(target.phone(), typed);
        switch (answer.result()) {
            case VERIFIED -> proven(context, target, page, null);
            case WRONG_CODE -> {
                if (target.noCode() == null) {
                    Lockout.countWrongCode(context);
                }
                context.failureChallenge(answer.flowError(), answer.applyTo(form(context, target, page)).createForm(TEMPLATE));
            }
            case CODE_DEAD -> context.failureChallenge(answer.flowError(), answer.applyTo(form(context, target, page)).createForm(TEMPLATE));
            default -> show(context, target, page, answer);
        }
    }

    /** The phone proved: the number is confirmed (unless the step reads another one) and the step succeeds. */
    private void proven(AuthenticationFlowContext context, Target target, CodePage page, SignInLink.Where byLink) {
        Lockout.clear(context);
        if (options(context).phoneNumberNote() == null) {
            PhoneNumberRegistry.confirmAtSignIn(context.getSession(), context.getRealm(), context.getUser(),
                    target.phone(), PhonePolicyStore.load(context.getRealm()).uniqueNumbers());
        }
        EventBuilder event = page.describe(baseEvent(context, target), target.phone()).detail(OtpEventDetails.PROVIDER_ID, page.providerId());
        if (byLink != null) {
            event.detail(OtpEventDetails.LINK, byLink.id());
        }
        context.success();
    }

    /**
     * Whether the text message's link has decided this step: confirmed (the step succeeds) or denied
     * on the phone (the sign-in ends here, now and on every later request). An answer counts only for
     * the number this sign-in sent its link to; none ever for an identifier that got no link.
     */
    private boolean linkAnswered(AuthenticationFlowContext context, Target target, CodePage page) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (authSession.getAuthNote(AuthNotes.LINK_DENIED) != null) {
            context.forceChallenge(context.form().setAttribute(Notice.ATTRIBUTE, Notice.linkDenied()).createForm(Notice.TEMPLATE));
            return true;
        }
        if (target.noCode() != null) {
            return false;
        }
        Optional<SignInLink.Answer> answer = page.takeLinkAnswer();
        if (answer.isEmpty() || !answer.get().phone().equals(target.phone())) {
            return false;
        }
        if (answer.get().status() == SignInLink.Status.CONFIRMED) {
            proven(context, target, page, answer.get().where());
            return true;
        }
        // the event was told when the phone denied
        authSession.setAuthNote(AuthNotes.LINK_DENIED, "true");
        context.forceChallenge(context.form().setAttribute(Notice.ATTRIBUTE, Notice.linkDenied()).createForm(Notice.TEMPLATE));
        return true;
    }

    /** When brute-force detection (or, with it off, the guessing ceiling) has locked the user, says so and accepts no code. */
    private boolean refusedAsLockedOut(AuthenticationFlowContext context, Target target, CodePage page) {
        Optional<Lockout.Refusal> lock = Lockout.of(context);
        if (lock.isEmpty()) {
            return false;
        }
        EventBuilder event = page.describe(baseEvent(context, target), target.phone());
        if (lock.get().eventError() == null) {
            event.detail(OtpEventDetails.ERROR, OtpEventDetails.TOO_MANY_ATTEMPTS).error(OtpEventDetails.TOO_MANY_ATTEMPTS);
        } else {
            event.error(lock.get().eventError());
        }
        context.forceChallenge(form(context, target, page).setError(lock.get().messageKey()).createForm(TEMPLATE));
        return true;
    }

    private CodePage codePage(AuthenticationFlowContext context, Target target) {
        var config = context.getAuthenticatorConfig();
        return new CodePage(context.getSession(), context.getAuthenticationSession(), Purpose.SIGN_IN,
                CodeSettings.of(config, channel), channel, () -> baseEvent(context, target))
                .deliveredAs(DeliveryMode.of(config == null ? null : config.getConfig()));
    }

    /** The sign-in's event with the user; for an identifier that gets no code, the real reason. */
    private static EventBuilder baseEvent(AuthenticationFlowContext context, Target target) {
        EventBuilder event = context.getEvent().user(target.user());
        return target.noCode() == null ? event : event.detail(OtpEventDetails.REASON, target.noCode().id);
    }

    private static StepOptions options(AuthenticationFlowContext context) {
        return StepOptions.of(context.getAuthenticatorConfig());
    }

    /**
     * The link is offered where the step allows it and the realm has the registration action
     * enabled, and never in an unproven sign-in (it would differ between real and unknown accounts).
     */
    private static boolean offersAnotherNumber(AuthenticationFlowContext context, Target target) {
        if (target.unproven() || !options(context).allowRegistrationDuringLogin()) {
            return false;
        }
        RequiredActionProviderModel action = context.getRealm().getRequiredActionProviderByAlias(PhoneNumberRegistry.REGISTRATION_ACTION);
        return action != null && action.isEnabled();
    }

    private void show(AuthenticationFlowContext context, Target target, CodePage page, Answer answer) {
        var form = form(context, target, page);
        context.challenge((answer == null ? form : answer.applyTo(form)).createForm(TEMPLATE));
    }

    private org.keycloak.forms.login.LoginFormsProvider form(AuthenticationFlowContext context, Target target, CodePage page) {
        var form = context.form();
        if (target.unproven()) {
            // Keycloak shows the username above the form for known users only, unless told to show what was typed
            context.getAuthenticationSession().setAuthNote(AbstractUsernameFormAuthenticator.USERNAME_HIDDEN, "true");
            // and renders a known user's page in that user's language: the page would tell that the account exists
            form.setUser(null);
        }
        Map<String, Object> model = page.controls();
        model.put("maskedPhone", target.unproven() ? "" : PhoneNumbers.mask(target.phone()));
        model.put("unproven", target.unproven());
        model.put("anotherNumber", offersAnotherNumber(context, target)
                && !context.getAuthenticationSession().getRequiredActions().contains(PhoneNumberRegistry.REGISTRATION_ACTION));
        return form.setAttribute("phoneOtp", model);
    }

    /** The number from the session note named by {@code phoneNumberNote}, else the user's attribute; "" when there is none. */
    private static String phoneOf(AuthenticationFlowContext context) {
        String note = options(context).phoneNumberNote();
        if (note != null) {
            return PhoneNumbers.toE164(context.getAuthenticationSession().getAuthNote(note), null).orElse("");
        }
        return PhoneNumberRegistry.number(context.getUser()).orElse("");
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
