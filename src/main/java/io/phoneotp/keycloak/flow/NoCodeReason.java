package io.phoneotp.keycloak.flow;

import io.phoneotp.keycloak.user.PhoneNumberRegistry;
import org.keycloak.events.Errors;
import org.keycloak.models.UserModel;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why an identifier gets no code in a sign-in that must not tell: the page is the same as for a
 * real account, and only the event (detail {@code phone_otp_reason}) says what really happened.
 */
enum NoCodeReason {
    UNKNOWN_USER("unknown_user", Errors.USER_NOT_FOUND),
    USER_DISABLED("user_disabled", Errors.USER_DISABLED),
    NO_VERIFIED_NUMBER("no_verified_number", Errors.INVALID_USER),
    LOCKED("locked", Errors.USER_TEMPORARILY_DISABLED);

    /** The event detail's value. */
    final String id;
    /** Keycloak's error for the event. */
    final String eventError;

    NoCodeReason(String id, String eventError) {
        this.id = id;
        this.eventError = eventError;
    }

    /** Why {@code user} (null: no account) cannot receive a sign-in code, if it cannot; locks are checked at the code step. */
    static Optional<NoCodeReason> of(UserModel user) {
        if (user == null) {
            return Optional.of(UNKNOWN_USER);
        }
        if (!user.isEnabled()) {
            return Optional.of(USER_DISABLED);
        }
        return PhoneNumberRegistry.verifiedNumber(user).isEmpty() ? Optional.of(NO_VERIFIED_NUMBER) : Optional.empty();
    }

    static Optional<NoCodeReason> fromId(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }
}
