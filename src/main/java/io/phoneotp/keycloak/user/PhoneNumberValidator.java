package io.phoneotp.keycloak.user;

import io.phoneotp.keycloak.policy.Destination;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import io.phoneotp.keycloak.policy.PhonePolicy;
import io.phoneotp.keycloak.policy.PhonePolicyStore;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.userprofile.AttributeContext;
import org.keycloak.userprofile.UserProfileAttributeValidationContext;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.validate.AbstractStringValidator;
import org.keycloak.validate.ValidationContext;
import org.keycloak.validate.ValidationError;
import org.keycloak.validate.ValidatorConfig;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * User-profile validator {@code phone-otp-number} for the {@code phoneNumber} attribute: the realm
 * phone policy's checks wherever the attribute is edited (administrator, registration form).
 * When an administrator changes an existing user's number, the new number is stored in E.164 and is
 * no longer verified: nobody has proved they hold it. A removed number takes its verified state along.
 */
public class PhoneNumberValidator extends AbstractStringValidator {

    public static final String ID = "phone-otp-number";

    @Override
    public String getId() {
        return ID;
    }

    /** A removed number is a change too: nothing to check, but the verified state must go with it. */
    @Override
    public ValidationContext validate(Object input, String inputHint, ValidationContext context, ValidatorConfig config) {
        boolean removed = input == null || input instanceof String text && text.isBlank()
                || input instanceof Collection<?> values && values.stream().allMatch(v -> v == null || v.toString().isBlank());
        if (!removed) {
            return super.validate(input, inputHint, context, config);
        }
        UserModel user = context instanceof UserProfileAttributeValidationContext upc ? upc.getAttributeContext().getUser() : null;
        if (user != null) {
            KeycloakSession session = context.getSession();
            watchForChange(session, session.getContext().getRealm(), user, PhonePolicyStore.load(session.getContext().getRealm()));
        }
        return context;
    }

    @Override
    protected void doValidate(String value, String inputHint, ValidationContext context, ValidatorConfig config) {
        KeycloakSession session = context.getSession();
        RealmModel realm = session.getContext().getRealm();
        PhonePolicy policy = PhonePolicyStore.load(realm);
        Optional<String> e164 = PhoneNumbers.toE164(value, policy.nationalRegion(realm.getDefaultLocale()));
        if (e164.isEmpty()) {
            context.addError(new ValidationError(ID, inputHint, "phoneOtpInvalidNumber"));
            return;
        }
        if (Destination.refusal(policy, e164.get()).isPresent()) {
            context.addError(new ValidationError(ID, inputHint, "phoneOtpNumberNotAllowedHere"));
            return;
        }
        AttributeContext attribute = context instanceof UserProfileAttributeValidationContext upc ? upc.getAttributeContext() : null;
        UserModel user = attribute == null ? null : attribute.getUser();
        // only an administrator is told that the number is taken: anywhere else that would tell a
        // stranger which numbers have accounts (the registration action checks after the code instead)
        if (attribute != null && attribute.getContext() == UserProfileContext.USER_API && policy.uniqueNumbers()
                && PhoneNumberRegistry.otherVerifiedHolder(session, realm, user, e164.get()).isPresent()) {
            context.addError(new ValidationError(ID, inputHint, "phoneOtpNumberInUse"));
            return;
        }
        if (user != null) {
            watchForChange(session, realm, user, policy);
        } else if (attribute != null) {
            normalizeOnCreation(session, realm, attribute.getAttributes().getFirst(UserModel.USERNAME), e164.get());
        }
    }

    /**
     * A new user (created by an administrator or a registration form) gets the number in E.164 as
     * well: the user does not exist yet while validating, so it is found by username once written.
     */
    private static void normalizeOnCreation(KeycloakSession session, RealmModel realm, String username, String e164) {
        if (username == null || username.isBlank()) {
            return;
        }
        onceWritten(session, "new:" + username, () -> {
            UserModel created = session.users().getUserByUsername(realm, username);
            if (created != null) {
                PhoneNumberRegistry.normalize(created, e164);
            }
        });
    }

    /** Once the update is written, a changed number is normalized and loses its verified state (and its credential). */
    private static void watchForChange(KeycloakSession session, RealmModel realm, UserModel user, PhonePolicy policy) {
        String region = policy.nationalRegion(realm.getDefaultLocale());
        String before = normalized(user.getFirstAttribute(PhoneNumberRegistry.PHONE_NUMBER), region);
        onceWritten(session, user.getId(), () -> {
            String raw = user.getFirstAttribute(PhoneNumberRegistry.PHONE_NUMBER);
            String after = normalized(raw, region);
            if (after != null) {
                PhoneNumberRegistry.normalize(user, after);
            }
            if (after == null && before != null) {
                PhoneNumberRegistry.forget(user);
            } else if (!Objects.equals(before, after) && !PhoneNumberRegistry.provedInThisRequest(session, user, after)) {
                PhoneNumberRegistry.unverify(user);
            }
        });
    }

    /**
     * Runs {@code work} when the request's changes are written (before the database commit, so it
     * is part of it), once per user and request: validation can run more than once per request.
     */
    private static void onceWritten(KeycloakSession session, String userKey, Runnable work) {
        String key = "phone-otp.validator." + userKey;
        if (session.getAttribute(key) != null) {
            return;
        }
        session.setAttribute(key, Boolean.TRUE);
        session.getTransactionManager().enlistPrepare(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                work.run();
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }

    private static String normalized(String raw, String region) {
        return raw == null ? null : PhoneNumbers.toE164(raw, region).orElse(raw);
    }
}
