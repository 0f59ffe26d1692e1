package io.phoneotp.keycloak.codepage;

import org.keycloak.models.UserModel;

/**
 * Who gets a code, and how it goes out.
 *
 * @param user     whose limits count and whose language the message uses; null for an identifier without an account
 * @param phone    where the code goes, in E.164; for {@link Delivery#NOWHERE} only what the events name (maybe empty)
 * @param delivery how it goes out
 * @param limitKey for {@link Delivery#NOWHERE}: what was typed, normalized, counted in place of a number
 */
public record Recipient(UserModel user, String phone, Delivery delivery, String limitKey) {

    public enum Delivery {
        /** The page waits for the provider and tells its answer. */
        NOW,
        /**
         * After the response, on another thread: in a sign-in that must not tell whether the account
         * exists, a page that waited for the provider would take measurably longer than one for an
         * unknown account.
         */
        LATER,
        /** An identifier without an account with a verified number: the same limits, counting and pages, and nothing sent. */
        NOWHERE
    }

    public static Recipient now(UserModel user, String phone) {
        return new Recipient(user, phone, Delivery.NOW, null);
    }

    public static Recipient later(UserModel user, String phone) {
        return new Recipient(user, phone, Delivery.LATER, null);
    }

    public static Recipient nowhere(UserModel user, String phone, String limitKey) {
        return new Recipient(user, phone, Delivery.NOWHERE, limitKey);
    }

    /** A sign-in that has only been told who the user claims to be: every answer must be the same for every identifier. */
    public boolean unproven() {
        return delivery != Delivery.NOW;
    }
}
