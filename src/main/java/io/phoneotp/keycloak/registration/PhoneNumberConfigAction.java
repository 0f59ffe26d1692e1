package io.phoneotp.keycloak.registration;

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
import io.phoneotp.keycloak.policy.Destination;
import io.phoneotp.keycloak.policy.PhonePolicy;
import io.phoneotp.keycloak.policy.PhonePolicyStore;
import io.phoneotp.keycloak.user.PhoneCredential;
import io.phoneotp.keycloak.user.PhoneNumberRegistry;
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

import java.util.Map;
import java.util.Optional;

/**
 * Registers or changes the user's phone number: the user types it, gets a code by text (or a call),
 * and only the right code (or, with {@code deliveryMode} link or both, the text's link confirmed)
 * saves it, as {@code phoneNumber} in E.164 with {@code phoneNumberVerified}.
 * Until then the account is untouched; a wrong or expired code, a failed delivery or a cancel
 * change nothing. The code page itself (sends, limits, messages, events) is {@link CodePage}; this
 * class keeps the typed number, the change guard and the save.
 */
public class PhoneNumberConfigAction implements RequiredActionProvider, CredentialRegistrator {

    static final String TEMPLATE = "phone-otp-register.ftl";

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
        CodePage page = codePage(context);
        if (pendingNumber(context).isPresent() && linkAnswered(context, page, pendingNumber(context).get())) {
            return; // the link was tapped in this browser, which lands here
        }
        Answer late = pendingNumber(context).map(page::lateOutcome).orElse(null);
        LoginFormsProvider form = form(context, page, null);
        context.challenge((late == null ? form : late.applyTo(form)).createForm(TEMPLATE));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        if (refusedByGuard(context)) {
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        Optional<String> pending = pendingNumber(context);
        CodePage page = codePage(context);
        if (form.containsKey("cancel") && isOptional(context)) {
            forgetPending(context, page);
            context.getAuthenticationSession().removeRequiredAction(PhoneNumberRegistry.REGISTRATION_ACTION);
            context.getAuthenticationSession().removeAuthNote(AuthNotes.REGISTRATION_OPTIONAL);
            context.cancel();
            return;
        }
        if (form.containsKey("edit")) {
            forgetPending(context, page);
            context.challenge(form(context, page, null).createForm(TEMPLATE));
            return;
        }
        if (pending.isEmpty() || form.containsKey(PhoneNumberRegistry.PHONE_NUMBER)) {
            start(context, page, form.getFirst(PhoneNumberRegistry.PHONE_NUMBER));
            return;
        }
        if (linkAnswered(context, page, pending.get())) {
            return;
        }
        Channel requested = Channel.fromId(form.getFirst("channel")).orElse(null);
        Recipient recipient = Recipient.now(context.getUser(), pending.get());
        if (form.containsKey("linkContinue")) {
            context.challenge(page.linkNotAnswered().applyTo(form(context, page, null)).createForm(TEMPLATE));
        } else if (requested != null) {
            sent(context, page, page.send(recipient, requested, true), pending.get(), null);
        } else if (form.containsKey("resend")) {
            sent(context, page, page.send(recipient, page.channel(), true), pending.get(), null);
        } else {
            verify(context, page, pending.get(), form.getFirst("code"));
        }
    }

    /**
     * The number typed on the first page: checked against the policy, then a code goes to it by text.
     * Another number replaces only the outstanding code: the login's sends and waits go on counting.
     */
    private void start(RequiredActionContext context, CodePage page, String typed) {
        PhonePolicy policy = PhonePolicyStore.load(context.getRealm());
        forgetPending(context, page);
        if (typed == null || typed.isBlank()) {
            context.challenge(form(context, page, typed).addError(numberError("phoneOtpEnterNumber")).createForm(TEMPLATE));
            return;
        }
        Optional<String> e164 = PhoneNumbers.toE164(typed, policy.nationalRegion(context.getRealm().getDefaultLocale()));
        if (e164.isEmpty()) {
            context.challenge(form(context, page, typed).addError(numberError("phoneOtpInvalidNumber")).createForm(TEMPLATE));
            return;
        }
        Optional<Destination.Refusal> refusal = Destination.refusal(policy, e164.get());
        if (refusal.isPresent()) {
            page.describe(errorEvent(context), e164.get()).detail(OtpEventDetails.ERROR, OtpEventDetails.NUMBER_NOT_ALLOWED)
                    .detail(OtpEventDetails.REASON, refusal.get().name().toLowerCase()).error(OtpEventDetails.NUMBER_NOT_ALLOWED);
            context.challenge(form(context, page, typed).addError(numberError("phoneOtpNumberNotAllowedHere")).createForm(TEMPLATE));
            return;
        }
        sent(context, page, page.send(Recipient.now(context.getUser(), e164.get()), Channel.SMS, false), e164.get(), typed);
    }

    /** Only a delivered code makes the number the pending one; otherwise the first page keeps what was typed ({@code typed}; null for a resend). */
    private void sent(RequiredActionContext context, CodePage page, Answer answer, String number, String typed) {
        if (answer.result() == Answer.Result.SENT) {
            context.getAuthenticationSession().setAuthNote(AuthNotes.REGISTRATION_NUMBER, number);
        }
        String shownTyped = answer.result() == Answer.Result.SENT ? null : typed; // a refusal or a wait keeps what was typed
        context.challenge(answer.applyTo(form(context, page, shownTyped)).createForm(TEMPLATE));
    }

    private void verify(RequiredActionContext context, CodePage page, String number, String typed) {
        Answer answer = page.verify(number, typed);
        if (answer.result() == Answer.Result.VERIFIED) {
            save(context, page, number, null);
        } else {
            context.challenge(answer.applyTo(form(context, page, null)).createForm(TEMPLATE));
        }
    }

    /**
     * Whether the text message's link has decided: confirmed (the number is proved and saved) or
     * denied on the phone (this attempt ends: the number is forgotten, nothing is saved, and the
     * number page says why; the event was told when the phone denied). An answer counts only for the
     * number its link was sent to.
     */
    private boolean linkAnswered(RequiredActionContext context, CodePage page, String number) {
        Optional<SignInLink.Answer> answer = page.takeLinkAnswer();
        if (answer.isEmpty() || !answer.get().phone().equals(number)) {
            return false;
        }
        if (answer.get().status() == SignInLink.Status.CONFIRMED) {
            save(context, page, number, answer.get().where());
        } else {
            forgetPending(context, page);
            context.challenge(form(context, page, null).addError(numberError("phoneOtpRegistrationLinkDenied")).createForm(TEMPLATE));
        }
        return true;
    }

    /**
     * The right code or a confirmed link ({@code byLink}, null for a code): the number is proved. It
     * is saved unless another account holds it (told only now, to its proven holder).
     */
    private void save(RequiredActionContext context, CodePage page, String number, SignInLink.Where byLink) {
        UserModel user = context.getUser();
        PhonePolicy policy = PhonePolicyStore.load(context.getRealm());
        if (policy.uniqueNumbers() && PhoneNumberRegistry.otherVerifiedHolder(context.getSession(), context.getRealm(), user, number).isPresent()) {
            forgetPending(context, page);
            page.describe(errorEvent(context), number).detail(OtpEventDetails.ERROR, OtpEventDetails.NUMBER_NOT_ALLOWED)
                    .detail(OtpEventDetails.REASON, "number_in_use").error(OtpEventDetails.NUMBER_NOT_ALLOWED);
            context.challenge(form(context, page, null).addError(numberError("phoneOtpNumberUnavailable")).createForm(TEMPLATE));
            return;
        }
        Optional<String> previous = PhoneNumberRegistry.verifiedNumber(user);
        PhoneNumberRegistry.saveVerified(context.getSession(), user, number);
        page.describe(context.getEvent(), number).detail(OtpEventDetails.PROVIDER_ID, page.providerId());
        if (byLink != null) {
            context.getEvent().detail(OtpEventDetails.LINK, byLink.id());
        }
        forgetPending(context, page);
        context.getAuthenticationSession().removeAuthNote(AuthNotes.REGISTRATION_OPTIONAL);
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
        forgetPending(context, codePage(context));
        errorEvent(context).detail(OtpEventDetails.REASON, refusal.get().name().toLowerCase()).error(Errors.NOT_ALLOWED);
        context.challenge(context.form().setAttribute(Notice.ATTRIBUTE, Notice.changeRefused(refusal.get().messageKey, isOptional(context)))
                .createForm(Notice.TEMPLATE));
        return true;
    }

    private CodePage codePage(RequiredActionContext context) {
        return new CodePage(context.getSession(), context.getAuthenticationSession(), Purpose.REGISTRATION, settings(context),
                Channel.SMS, () -> errorEvent(context))
                .deliveredAs(DeliveryMode.of(context.getConfig() == null ? null : context.getConfig().getConfig()));
    }

    /** Keycloak's event for a required action's failure, naming this action. */
    private static EventBuilder errorEvent(RequiredActionContext context) {
        return context.getEvent().clone().event(EventType.CUSTOM_REQUIRED_ACTION_ERROR).detail("custom_required_action", PhoneNumberRegistry.REGISTRATION_ACTION);
    }

    private static FormMessage numberError(String key) {
        return new FormMessage(PhoneNumberRegistry.PHONE_NUMBER, key);
    }

    private LoginFormsProvider form(RequiredActionContext context, CodePage page, String typed) {
        Optional<String> pending = pendingNumber(context);
        String region = PhonePolicyStore.load(context.getRealm()).nationalRegion(context.getRealm().getDefaultLocale());
        Map<String, Object> model = page.controls();
        model.put("stage", pending.isPresent() ? "verify" : "enter");
        model.put("number", pending.orElse(""));
        model.put("typed", typed == null ? "" : typed);
        model.put("example", region == null ? "" : PhoneNumbers.exampleMobile(region).orElse(""));
        model.put("currentMasked", PhoneNumberRegistry.number(context.getUser()).map(PhoneNumbers::mask).orElse(""));
        model.put("canCancel", isOptional(context));
        return context.form().setAttribute("phoneOtpRegistration", model);
    }

    private static Optional<String> pendingNumber(RequiredActionContext context) {
        return Optional.ofNullable(context.getAuthenticationSession().getAuthNote(AuthNotes.REGISTRATION_NUMBER));
    }

    /** Forgets the number waiting for its code and that code; the login's sends and waits go on counting. */
    private static void forgetPending(RequiredActionContext context, CodePage page) {
        context.getAuthenticationSession().removeAuthNote(AuthNotes.REGISTRATION_NUMBER);
        page.forgetCode();
    }

    private static boolean isOptional(RequiredActionContext context) {
        return context.getAuthenticationSession().getAuthNote(AuthNotes.REGISTRATION_OPTIONAL) != null;
    }

    private static CodeSettings settings(RequiredActionContext context) {
        return CodeSettings.fromMap(context.getConfig() == null ? null : context.getConfig().getConfig(), Channel.SMS);
    }

    @Override
    public void close() {
    }
}
