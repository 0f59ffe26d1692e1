package io.phoneotp.keycloak.flow;

import io.phoneotp.keycloak.challenge.ChallengeNotes;
import io.phoneotp.keycloak.challenge.CodeChallenge;
import io.phoneotp.keycloak.challenge.Verification;
import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.OtpText;
import io.phoneotp.keycloak.delivery.PhoneOtpSenders;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import io.phoneotp.keycloak.user.PhoneAttributes;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
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
import java.util.Set;

/**
 * Sends a code to the user's phone and checks the code typed back. Reloading the page never sends
 * again; only the resend button does. Wrong codes also count toward the realm's brute-force
 * detection, under Keycloak's {@code otp} category (the only way Keycloak counts them).
 */
public class PhoneOtpAuthenticator implements Authenticator {

    static final String TEMPLATE = "phone-otp-code.ftl";
    private static final String PROVIDER_ID_NOTE = "phone-otp.provider-id";
    private static final Set<String> BRUTE_FORCE_CATEGORY = Set.of("otp");

    private final Channel channel;

    public PhoneOtpAuthenticator(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        if (refusedByBruteForce(context)) {
            return;
        }
        CodeChallenge challenge = ChallengeNotes.load(context.getAuthenticationSession());
        if (challenge.anySent()) {
            context.challenge(page(context, challenge).createForm(TEMPLATE));
            return;
        }
        send(context, challenge, null);
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        if (refusedByBruteForce(context)) {
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        CodeChallenge challenge = ChallengeNotes.load(context.getAuthenticationSession());
        if (form.containsKey("resend")) {
            resend(context, challenge);
        } else {
            verify(context, challenge, form.getFirst("code"));
        }
    }

    private void resend(AuthenticationFlowContext context, CodeChallenge challenge) {
        StepConfig config = StepConfig.of(context.getAuthenticatorConfig());
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
        send(context, challenge, "phoneOtpCodeResent");
    }

    /** Issues a code, delivers it, and shows the code page with the outcome. */
    private void send(AuthenticationFlowContext context, CodeChallenge challenge, String successMessage) {
        StepConfig config = StepConfig.of(context.getAuthenticatorConfig());
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String phone = phoneOf(context.getUser());
        String code = challenge.issue(config.codeLength(), config.codeTtlSeconds(), now());
        ChallengeNotes.save(authSession, challenge); // counted before sending: a crash mid-send still counts
        try {
            String text = OtpText.sms(context.getSession(), context.getRealm(), context.getUser(), code, config.codeTtlSeconds());
            String providerId = PhoneOtpSenders.forChannel(context.getSession(), context.getRealm(), channel)
                    .sendSms(phone, text, config.codeTtlSeconds());
            authSession.setAuthNote(PROVIDER_ID_NOTE, providerId);
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

    private void verify(AuthenticationFlowContext context, CodeChallenge challenge, String typed) {
        StepConfig config = StepConfig.of(context.getAuthenticatorConfig());
        Verification result = challenge.verify(typed, config.maxAttempts(), now());
        ChallengeNotes.save(context.getAuthenticationSession(), challenge);
        switch (result) {
            case VALID -> {
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

    private void countFailureForBruteForce(AuthenticationFlowContext context) {
        RealmModel realm = context.getRealm();
        if (realm.isBruteForceProtected()) {
            context.getProtector().failedLogin(realm, context.getUser(), context.getConnection(),
                    context.getSession().getContext().getUri(), BRUTE_FORCE_CATEGORY);
        }
    }

    /** When brute-force detection has locked the user, says so and accepts no code. */
    private boolean refusedByBruteForce(AuthenticationFlowContext context) {
        String error = AuthenticatorUtils.getDisabledByBruteForceEventError(context, context.getUser());
        if (error == null) {
            return false;
        }
        event(context).error(error);
        String message = Errors.USER_TEMPORARILY_DISABLED.equals(error) ? "phoneOtpAccountTemporarilyLocked" : "phoneOtpAccountLocked";
        CodeChallenge challenge = ChallengeNotes.load(context.getAuthenticationSession());
        context.forceChallenge(page(context, challenge).setError(message).createForm(TEMPLATE));
        return true;
    }

    private EventBuilder event(AuthenticationFlowContext context) {
        return context.getEvent().user(context.getUser())
                .detail(OtpEventDetails.CHANNEL, channel.id())
                .detail(OtpEventDetails.PHONE, PhoneNumbers.mask(phoneOf(context.getUser())));
    }

    private LoginFormsProvider page(AuthenticationFlowContext context, CodeChallenge challenge) {
        StepConfig config = StepConfig.of(context.getAuthenticatorConfig());
        Map<String, Object> model = Map.of(
                "maskedPhone", PhoneNumbers.mask(phoneOf(context.getUser())),
                "channel", channel.id(),
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
