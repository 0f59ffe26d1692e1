package io.phoneotp.keycloak.events;

/** Detail keys and error values this extension adds to Keycloak's events; administrators select events by them, so they are public names. */
public final class OtpEventDetails {

    public static final String CHANNEL = "phone_otp_channel";
    public static final String PHONE = "phone_otp_phone";
    public static final String ERROR = "phone_otp_error";
    public static final String PROVIDER_ID = "phone_otp_provider_id";
    public static final String PROVIDER_CODE = "phone_otp_provider_code";
    /** Which limit or policy rule refused a send: number, prefix, user, ip, realm, country_not_allowed, number_type_blocked, max_sends. */
    public static final String REASON = "phone_otp_reason";
    /** The reason of a send refused because the sign-in has sent its {@code maxSends} codes. */
    public static final String MAX_SENDS = "max_sends";
    /** A sign-in completed or denied by the text message's link: {@code same_device} or {@code other_device}. */
    public static final String LINK = "phone_otp_link";

    public static final String INVALID_CODE = "invalid_code";
    public static final String EXPIRED_CODE = "expired_code";
    public static final String TOO_MANY_ATTEMPTS = "too_many_attempts";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String GATEWAY_ERROR = "gateway_error";
    public static final String NUMBER_NOT_ALLOWED = "number_not_allowed";
    /** The sign-in was denied on the phone that received its link. */
    public static final String LINK_DENIED = "link_denied";

    private OtpEventDetails() {
    }
}
