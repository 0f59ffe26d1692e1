package io.phoneotp.keycloak.codepage;

/** The notice page (phone-otp-notice.ftl): a short explanation with the ways on. */
public final class Notice {

    public static final String TEMPLATE = "phone-otp-notice.ftl";
    /** The model attribute the template reads. */
    public static final String ATTRIBUTE = "phoneOtpNotice";

    private final String title;
    private final String text;
    private final String continueField;
    private final String backField;
    private final boolean restart;
    private final boolean cancel;

    private Notice(String title, String text, String continueField, String backField, boolean restart, boolean cancel) {
        this.title = title;
        this.text = text;
        this.continueField = continueField;
        this.backField = backField;
        this.restart = restart;
        this.cancel = cancel;
    }

    /** Before "Use another phone number": how changing the number works; continue or go back to the code. */
    public static Notice beforeAnotherNumber() {
        return new Notice("phoneOtpAnotherNumberTitle", "phoneOtpAnotherNumberInfo", "anotherNumber", "back", false, false);
    }

    /** Why the number cannot be changed in this sign-in, with "Sign in again" (and cancel where the change was optional). */
    public static Notice changeRefused(String textKey, boolean cancel) {
        return new Notice("phoneOtpRegistrationTitle", textKey, null, null, true, cancel);
    }

    /** The sign-in was denied on the phone that received its link: it ends, with "Sign in again". */
    public static Notice linkDenied() {
        return new Notice("phoneOtpLinkDeniedTitle", "phoneOtpLinkDenied", null, null, true, false);
    }

    public String getTitle() {
        return title;
    }

    public String getText() {
        return text;
    }

    public String getContinueField() {
        return continueField;
    }

    public String getBackField() {
        return backField;
    }

    public boolean isRestart() {
        return restart;
    }

    public boolean isCancel() {
        return cancel;
    }
}
