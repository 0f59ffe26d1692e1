package io.phoneotp.keycloak.codepage;

/**
 * Every authentication-session note this extension keeps, named {@code phone-otp.<page>.<what>}.
 * The notes live for one login attempt and are replicated with it across the cluster.
 */
public final class AuthNotes {

    /** The identify step's finding: {@code account}, or why no account will get a code (for the events). */
    public static final String IDENTIFY_RESULT = "phone-otp.identify.result";
    /** The phone number typed at the identify step, in E.164: a step reads it with {@code phoneNumberNote} (documented). */
    public static final String IDENTIFY_NUMBER = "phone-otp.identify.number";
    /** What was typed at the identify step, normalized: the limits' key for an identifier without an account. */
    public static final String IDENTIFY_KEY = "phone-otp.identify.key";
    /** The flow step (execution) that sent the outstanding sign-in code. */
    public static final String SIGN_IN_EXECUTION = "phone-otp.sign-in.execution";
    /** The number waiting for its registration code, in E.164: saved to the account only after the right code. */
    public static final String REGISTRATION_NUMBER = "phone-otp.registration.number";
    /** The user asked for another number from the code page: that registration may be cancelled (a required one may not). */
    public static final String REGISTRATION_OPTIONAL = "phone-otp.registration.optional";

    /** The sign-in was denied on the phone that received its link: it ends there. */
    public static final String LINK_DENIED = io.phoneotp.keycloak.link.SignInLink.DENIED_NOTE;

    static final String CHANNEL = "channel";
    static final String PROVIDER_ID = "provider-id";
    /** The send the page answered without waiting for: the id of its {@link LateOutcome}. */
    static final String LATE_OUTCOME = "late-outcome";

    private AuthNotes() {
    }

    /** A note of one code page: its challenge, the channel and the provider's id of its last code. */
    static String of(Purpose purpose, String what) {
        return "phone-otp." + purpose.id + "." + what;
    }
}
