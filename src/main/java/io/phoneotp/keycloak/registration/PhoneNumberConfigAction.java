package io.phoneotp.keycloak.registration;

import org.keycloak.common.util.Time;
import io.phoneotp.keycloak.challenge.ChallengeNotes;
import io.phoneotp.keycloak.challenge.CodeChallenge;
import io.phoneotp.keycloak.challenge.CodeControls;
import io.phoneotp.keycloak.challenge.CodeDispatch;
import io.phoneotp.keycloak.challenge.CodeSettings;
import io.phoneotp.keycloak.challenge.Verification;
import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.events.OtpEventDetails;
import io.phoneotp.keycloak.policy.Destination;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import io.phoneotp.keycloak.policy.PhonePolicy;
import io.phoneotp.keycloak.policy.PhonePolicyStore;
import io.phoneotp.keycloak.user.PhoneNumberRegistry;
import io.phoneotp.keycloak.user.PhoneCredential;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.authentication.CredentialRegistrator;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Registers or changes the user's phone number: the user types it, gets a code by text (or a call),
 * and only the right code saves it, as {@code phoneNumber} in E.164 with {@code phoneNumberVerified}.
 * Until then the account is untouched; a wrong or expired code, a failed delivery or a cancel
 * change nothing.
 */
public class PhoneNumberConfigAction implements RequiredActionProvider, CredentialRegistrator {

    public static final String ID = PhoneNumberRegistry.REGISTRATION_ACTION;
    static final String TEMPLATE = "phone-otp-register.ftl";
    public static final String NOTICE_TEMPLATE = "phone-otp-notice.ftl";
    /** The number waiting for its code, in E.164: saved to the account only after the right code. */
    static final String PENDING_NUMBER_NOTE = "phone-otp.registration.number";
    private static final String CHANNEL_NOTE = "phone-otp.registration.channel";
    private static final String PROVIDER_ID_NOTE = "phone-otp.registration.provider-id";
    /**
     * Set when the user asked for another number from the code page: that registration is the
     * user's choice, so it may be cancelled (a required one may not).
     */
    public static final String OPTIONAL_NOTE = "phone-otp.registration.optional";

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    @Override
    public String getCredentialType(KeycloakSession session, AuthenticationSessionModel authenticationSession) {
        return PhoneCredential.TYPE;
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        if (refusedByGuard(context)) {
            return;
        }
        // the number page, or after a reload the code page for the pending number: a reload never sends again
        context.challenge(page(context, null).createForm(TEMPLATE));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        if (refusedByGuard(context)) {
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        if (form.containsKey("cancel") && isOptional(context)) {
            forgetPending(context);
            context.getAuthenticationSession().removeRequiredAction(ID);
            context.getAuthenticationSession().removeAuthNote(OPTIONAL_NOTE);
            context.cancel();
            return;
        }
        if (form.containsKey("edit")) {
            forgetPending(context);
            context.challenge(page(context, null).createForm(TEMPLATE));
            return;
        }
        Optional<String> pending = pendingNumber(context);
        if (pending.isEmpty() || form.containsKey(PhoneNumberRegistry.PHONE_NUMBER)) {
            start(context, form.getFirst(PhoneNumberRegistry.PHONE_NUMBER));
            return;
        }
        Channel requested = Channel.fromId(form.getFirst("channel")).orElse(null);
        if (requested != null) {
            resend(context, pending.get(), requested);
        } else if (form.containsKey("resend")) {
            resend(context, pending.get(), currentChannel(context));
        } else {
            verify(context, pending.get(), form.getFirst("code"));
        }
    }

    /** The number typed on the first page: checked against the policy, then a code goes to it by text. */
    private void start(RequiredActionContext context, String typed) {
        PhonePolicy policy = PhonePolicyStore.load(context.getRealm());
        forgetPending(context);
        if (typed == null || typed.isBlank()) {
            context.challenge(page(context, typed).addError(new FormMessage(PhoneNumberRegistry.PHONE_NUMBER, "phoneOtpEnterNumber"))
                    .createForm(TEMPLATE));
            return;
        }
        Optional<String> e164 = PhoneNumbers.toE164(typed, policy.nationalRegion(context.getRealm().getDefaultLocale()));
        if (e164.isEmpty()) {
            context.challenge(page(context, typed).addError(new FormMessage(PhoneNumberRegistry.PHONE_NUMBER, "phoneOtpInvalidNumber"))
                    .createForm(TEMPLATE));
            return;
        }
        Optional<Destination.Refusal> refusal = Destination.refusal(policy, e164.get());
        if (refusal.isPresent()) {
            errorEvent(context, e164.get(), OtpEventDetails.NUMBER_NOT_ALLOWED).detail(OtpEventDetails.REASON, refusal.get().name().toLowerCase())
                    .error(OtpEventDetails.NUMBER_NOT_ALLOWED);
            context.challenge(page(context, typed).addError(new FormMessage(PhoneNumberRegistry.PHONE_NUMBER, "phoneOtpNumberNotAllowedHere"))
                    .createForm(TEMPLATE));
            return;
        }
        send(context, e164.get(), Channel.SMS, typed, null);
    }

    private void resend(RequiredActionContext context, String number, Channel via) {
        CodeSettings settings = settings(context);
        CodeChallenge challenge = ChallengeNotes.REGISTRATION.load(context.getAuthenticationSession());
        if (challenge.sendsExhausted(settings.maxSends())) {
            context.challenge(page(context, null).setError("phoneOtpNoMoreSends").createForm(TEMPLATE));
            return;
        }
        long wait = challenge.secondsUntilResend(settings.resendCooldownSeconds(), Time.currentTimeMillis());
        if (wait > 0) {
            context.challenge(page(context, null).setError("phoneOtpResendWait", Long.toString(wait)).createForm(TEMPLATE));
            return;
        }
        send(context, number, via, null, via == Channel.VOICE ? "phoneOtpCallPlaced" : "phoneOtpCodeResent");
    }

    /**
     * Sends a code to {@code number}; only a delivered code makes it the pending number, so a
     * failure leaves the user on the first page with what they typed ({@code typed}; null for a resend).
     */
    private void send(RequiredActionContext context, String number, Channel via, String typed, String successMessage) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        CodeChallenge challenge = ChallengeNotes.REGISTRATION.load(authSession);
        CodeDispatch.Outcome outcome = new CodeDispatch(context.getSession(), authSession, ChallengeNotes.REGISTRATION)
                .send(challenge, context.getUser(), number, via, settings(context), CodeDispatch.Purpose.REGISTRATION);
        if (outcome instanceof CodeDispatch.Sent sent) {
            authSession.setAuthNote(PENDING_NUMBER_NOTE, number);
            authSession.setAuthNote(CHANNEL_NOTE, via.id());
            authSession.setAuthNote(PROVIDER_ID_NOTE, sent.providerId());
            LoginFormsProvider page = page(context, null);
            context.challenge((successMessage == null ? page : page.setInfo(successMessage)).createForm(TEMPLATE));
        } else if (outcome instanceof CodeDispatch.Refused refused) {
            errorEvent(context, number, refused.eventError()).detail(OtpEventDetails.REASON, refused.reason()).error(refused.eventError());
            String key = OtpEventDetails.NUMBER_NOT_ALLOWED.equals(refused.eventError()) ? "phoneOtpNumberNotAllowedHere" : refused.messageKey();
            context.challenge(page(context, typed).setError(key, (Object[]) refused.messageArgs()).createForm(TEMPLATE));
        } else if (outcome instanceof CodeDispatch.Failed failed) {
            EventBuilder event = errorEvent(context, number, OtpEventDetails.GATEWAY_ERROR);
            if (failed.exception().providerCode() != null) {
                event.detail(OtpEventDetails.PROVIDER_CODE, failed.exception().providerCode().toString());
            }
            event.error(OtpEventDetails.GATEWAY_ERROR);
            context.challenge(page(context, typed).setError(registrationMessage(failed.exception().failure().messageKey()))
                    .createForm(TEMPLATE));
        }
    }

    private void verify(RequiredActionContext context, String number, String typed) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        CodeSettings settings = settings(context);
        CodeChallenge challenge = ChallengeNotes.REGISTRATION.load(authSession);
        Verification result = challenge.verify(typed, settings.maxAttempts(), Time.currentTimeMillis());
        ChallengeNotes.REGISTRATION.save(authSession, challenge);
        switch (result) {
            case VALID -> save(context, number);
            case INVALID -> {
                errorEvent(context, number, OtpEventDetails.INVALID_CODE).error(Errors.INVALID_CODE);
                int left = challenge.attemptsLeft(settings.maxAttempts());
                context.challenge(page(context, null).addError(left > 0
                        ? new FormMessage("code", "phoneOtpInvalidCode", Integer.toString(left))
                        : new FormMessage("code", "phoneOtpTooManyAttempts")).createForm(TEMPLATE));
            }
            case EXPIRED -> {
                errorEvent(context, number, OtpEventDetails.EXPIRED_CODE).error(Errors.EXPIRED_CODE);
                context.challenge(page(context, null).addError(new FormMessage("code", "phoneOtpExpiredCode")).createForm(TEMPLATE));
            }
            case ATTEMPTS_EXHAUSTED -> {
                errorEvent(context, number, OtpEventDetails.TOO_MANY_ATTEMPTS).error(OtpEventDetails.TOO_MANY_ATTEMPTS);
                context.challenge(page(context, null).addError(new FormMessage("code", "phoneOtpTooManyAttempts")).createForm(TEMPLATE));
            }
            case NO_CODE -> context.challenge(page(context, null).addError(new FormMessage("code", "phoneOtpNoCode")).createForm(TEMPLATE));
        }
    }

    /** The right code: the number is proved. It is saved unless another account holds it (told only now, to its proven holder). */
    private void save(RequiredActionContext context, String number) {
        UserModel user = context.getUser();
        PhonePolicy policy = PhonePolicyStore.load(context.getRealm());
        if (policy.uniqueNumbers() && PhoneNumberRegistry.otherVerifiedHolder(context.getSession(), context.getRealm(), user, number).isPresent()) {
            forgetPending(context);
            errorEvent(context, number, OtpEventDetails.NUMBER_NOT_ALLOWED).detail(OtpEventDetails.REASON, "number_in_use")
                    .error(OtpEventDetails.NUMBER_NOT_ALLOWED);
            context.challenge(page(context, null).addError(new FormMessage(PhoneNumberRegistry.PHONE_NUMBER, "phoneOtpNumberUnavailable"))
                    .createForm(TEMPLATE));
            return;
        }
        Optional<String> previous = PhoneNumberRegistry.number(user);
        PhoneNumberRegistry.saveVerified(user, number);
        context.getEvent().detail(OtpEventDetails.CHANNEL, currentChannel(context).id())
                .detail(OtpEventDetails.PHONE, PhoneNumbers.mask(number))
                .detail(OtpEventDetails.PROVIDER_ID, context.getAuthenticationSession().getAuthNote(PROVIDER_ID_NOTE));
        forgetPending(context);
        context.getAuthenticationSession().removeAuthNote(OPTIONAL_NOTE);
        if (previous.isPresent() && !previous.get().equals(number) && policy.notifyOldNumber()) {
            OldNumberNotice.send(context.getSession(), context.getRealm(), user, previous.get(), number);
        }
        context.success();
    }

    private boolean refusedByGuard(RequiredActionContext context) {
        Optional<ChangeGuard.Refusal> refusal = ChangeGuard.refusal(context);
        if (refusal.isEmpty()) {
            return false;
        }
        forgetPending(context);
        context.getEvent().clone().event(EventType.CUSTOM_REQUIRED_ACTION_ERROR).detail("custom_required_action", ID)
                .detail(OtpEventDetails.REASON, refusal.get().name().toLowerCase()).error(Errors.NOT_ALLOWED);
        Map<String, Object> notice = new HashMap<>();
        notice.put("title", "phoneOtpRegistrationTitle");
        notice.put("text", refusal.get().messageKey);
        notice.put("restart", true);
        notice.put("cancel", isOptional(context));
        context.challenge(context.form().setAttribute("phoneOtpNotice", notice).createForm(NOTICE_TEMPLATE));
        return true;
    }

    private EventBuilder errorEvent(RequiredActionContext context, String number, String error) {
        return context.getEvent().clone().event(EventType.CUSTOM_REQUIRED_ACTION_ERROR).detail("custom_required_action", ID)
                .detail(OtpEventDetails.CHANNEL, currentChannel(context).id())
                .detail(OtpEventDetails.PHONE, PhoneNumbers.mask(number))
                .detail(OtpEventDetails.ERROR, error);
    }

    /** A delivery failure on this page is about the number the user just typed, not "the number on your account". */
    private static String registrationMessage(String deliveryMessageKey) {
        return "phoneOtpDeliveryInvalidNumber".equals(deliveryMessageKey) ? "phoneOtpInvalidNumber" : deliveryMessageKey;
    }

    private LoginFormsProvider page(RequiredActionContext context, String typed) {
        CodeChallenge challenge = ChallengeNotes.REGISTRATION.load(context.getAuthenticationSession());
        Optional<String> pending = pendingNumber(context);
        String region = PhonePolicyStore.load(context.getRealm()).nationalRegion(context.getRealm().getDefaultLocale());
        Map<String, Object> model = CodeControls.model(context.getRealm(), settings(context), challenge, currentChannel(context));
        model.put("stage", pending.isPresent() ? "verify" : "enter");
        model.put("number", pending.orElse(""));
        model.put("typed", typed == null ? "" : typed);
        model.put("example", region == null ? "" : PhoneNumbers.exampleMobile(region).orElse(""));
        model.put("currentMasked", PhoneNumberRegistry.number(context.getUser()).map(PhoneNumbers::mask).orElse(""));
        model.put("canCancel", isOptional(context));
        return context.form().setAttribute("phoneOtpRegistration", model);
    }

    private static Optional<String> pendingNumber(RequiredActionContext context) {
        return Optional.ofNullable(context.getAuthenticationSession().getAuthNote(PENDING_NUMBER_NOTE));
    }

    private static void forgetPending(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.removeAuthNote(PENDING_NUMBER_NOTE);
        authSession.removeAuthNote(CHANNEL_NOTE);
        authSession.removeAuthNote(PROVIDER_ID_NOTE);
        ChallengeNotes.REGISTRATION.clear(authSession);
    }

    private static boolean isOptional(RequiredActionContext context) {
        return context.getAuthenticationSession().getAuthNote(OPTIONAL_NOTE) != null;
    }

    private static Channel currentChannel(RequiredActionContext context) {
        return Channel.fromId(context.getAuthenticationSession().getAuthNote(CHANNEL_NOTE)).orElse(Channel.SMS);
    }

    private static CodeSettings settings(RequiredActionContext context) {
        return CodeSettings.fromMap(context.getConfig() == null ? null : context.getConfig().getConfig(), Channel.SMS);
    }

    @Override
    public void close() {
    }
}
