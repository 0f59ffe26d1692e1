package io.phoneotp.keycloak.codepage;

import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.utils.FormMessage;

/**
 * What a code page answers a request with: what happened, and the one message the page shows.
 *
 * @param result    what happened
 * @param flowError for a code that was not accepted, how a flow step reports it to Keycloak
 * @param message   the message, or null
 */
public record Answer(Result result, AuthenticationFlowError flowError, Message message) {

    public enum Result {
        /** A code went out (or, in an unproven sign-in, looks as if it did). */
        SENT,
        /** Nothing went out: refused by the policy, a limit or the provider. */
        NOT_SENT,
        /** The page is shown again: a wait, no code to check. */
        SHOWN,
        /** The right code. */
        VERIFIED,
        /** A wrong code: it counts toward the user's failures. */
        WRONG_CODE,
        /** A code that can no longer be accepted: expired, or out of tries. */
        CODE_DEAD
    }

    /** A message: an information or error line at the top of the page, or an error under one field. */
    public record Message(boolean error, String field, String key, Object... args) {
    }

    static Answer of(Result result, Message message) {
        return new Answer(result, null, message);
    }

    static Answer rejected(Result result, AuthenticationFlowError flowError, String key, Object... args) {
        return new Answer(result, flowError, new Message(true, "code", key, args));
    }

    static Message info(String key) {
        return key == null ? null : new Message(false, null, key);
    }

    static Message error(String key, Object... args) {
        return new Message(true, null, key, args);
    }

    /** Puts the message on the page. */
    public LoginFormsProvider applyTo(LoginFormsProvider form) {
        if (message == null) {
            return form;
        }
        if (message.field() != null) {
            return form.addError(new FormMessage(message.field(), message.key(), message.args()));
        }
        return message.error() ? form.setError(message.key(), message.args()) : form.setInfo(message.key(), message.args());
    }
}
