package io.phoneotp.keycloak.flow;

import io.phoneotp.keycloak.codepage.AuthNotes;
import io.phoneotp.keycloak.events.OtpEventDetails;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import io.phoneotp.keycloak.policy.PhonePolicy;
import io.phoneotp.keycloak.policy.PhonePolicyStore;
import io.phoneotp.keycloak.user.PhoneNumberRegistry;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;

import java.util.Optional;

/**
 * The first step of a sign-in by phone: one field for a username, an email address or a phone
 * number. A phone number finds only the account that verified it; text with {@code @} finds the
 * email's account first, as Keycloak's own username-or-email lookup does; anything else is a
 * username. So nobody can capture another user's sign-in with a username that is that user's
 * number or email address. It never says whether the account exists: an unknown identifier, an account without a
 * verified number and a disabled account all go on to the same code page as a real account, where
 * no code arrives and every code fails; the event records the real reason.
 */
public class IdentifyAuthenticator implements Authenticator {

    static final String TEMPLATE = "phone-otp-identify.ftl";
    static final String FIELD = "username";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        String hint = context.getAuthenticationSession().getClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM);
        context.challenge(context.form().setAttribute("phoneOtpIdentify", java.util.Map.of("value", hint == null ? "" : hint))
                .createForm(TEMPLATE));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        String typed = context.getHttpRequest().getDecodedFormParameters().getFirst(FIELD);
        if (typed == null || typed.isBlank()) {
            context.getEvent().error(Errors.USERNAME_MISSING);
            context.failureChallenge(AuthenticationFlowError.INVALID_USER, context.form()
                    .setAttribute("phoneOtpIdentify", java.util.Map.of("value", ""))
                    .addError(new FormMessage(FIELD, "phoneOtpIdentifyMissing")).createForm(TEMPLATE));
            return;
        }
        typed = typed.replaceAll("\\p{Z}", " ").strip(); // no-break and other Unicode spaces, as copied from a contact card
        RealmModel realm = context.getRealm();
        PhonePolicy policy = PhonePolicyStore.load(realm);
        boolean phoneLike = PhoneNumbers.looksLikePhoneNumber(typed);
        Optional<String> number = phoneLike ? PhoneNumbers.toE164(typed, policy.nationalRegion(realm.getDefaultLocale())) : Optional.empty();
        UserModel user = number.isPresent()
                ? PhoneNumberRegistry.verifiedHolder(context.getSession(), realm, number.get()).orElse(null)
                : KeycloakModelUtils.findUserByNameOrEmail(context.getSession(), realm, typed);
        // a typed phone number stays masked in events, notes and on the pages
        String shown = phoneLike || PhoneNumbers.holdsANumber(typed) ? PhoneNumbers.mask(number.orElse(typed)) : typed;
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.setAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME, shown);
        // Keycloak's pages then show what was typed for every identifier, not the username of real accounts only
        authSession.setAuthNote(AbstractUsernameFormAuthenticator.USERNAME_HIDDEN, "true");
        authSession.setAuthNote(AuthNotes.IDENTIFY_KEY, Identification.keyOf(typed, number.orElse(null)));
        if (number.isPresent()) {
            authSession.setAuthNote(AuthNotes.IDENTIFY_NUMBER, number.get());
        } else {
            authSession.removeAuthNote(AuthNotes.IDENTIFY_NUMBER);
        }

        Optional<NoCodeReason> reason = NoCodeReason.of(user);
        if (reason.isPresent()) {
            authSession.setAuthNote(AuthNotes.IDENTIFY_RESULT, reason.get().id);
            context.getEvent().clone().detail(Details.USERNAME, shown).user(user)
                    .detail(OtpEventDetails.REASON, reason.get().id).error(reason.get().eventError);
            context.clearUser();
        } else {
            authSession.setAuthNote(AuthNotes.IDENTIFY_RESULT, Identification.REAL_ACCOUNT);
            context.getEvent().detail(Details.USERNAME, shown);
            context.setUser(user);
        }
        context.success();
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
