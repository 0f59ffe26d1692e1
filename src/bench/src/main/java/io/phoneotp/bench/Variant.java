package io.phoneotp.bench;

/** One way to sign in, each in its own realm (the SMS provider settings are per realm). */
enum Variant {
    PASSWORD("a", "bench-a-password", "password only", Kind.PASSWORD, null, 0),
    TOTP("b", "bench-b-totp", "password + OTP form (TOTP)", Kind.TOTP, null, 0),
    SMS_LOG("c", "bench-c-sms-log", "password + SMS, log delivery", Kind.SMS_LOG, null, 0),
    SMS_TWILIO("d", "bench-d-sms-twilio", "password + SMS, fake Twilio 0 ms", Kind.SMS_TWILIO, "AC00000000000000000000000000000b01", 0),
    SMS_TWILIO_300("e", "bench-e-sms-twilio-300ms", "password + SMS, fake Twilio 300 ms", Kind.SMS_TWILIO, "AC00000000000000000000000000000b02", 300),
    SMS_TWILIO_SLOW("f", "bench-f-sms-twilio-5s", "password + SMS, fake Twilio 5 s", Kind.SMS_TWILIO, "AC00000000000000000000000000000b03", 5000);

    enum Kind { PASSWORD, TOTP, SMS_LOG, SMS_TWILIO }

    final String letter;
    final String realm;
    final String label;
    final Kind kind;
    final String accountSid;
    final long gatewayDelayMillis;

    Variant(String letter, String realm, String label, Kind kind, String accountSid, long gatewayDelayMillis) {
        this.letter = letter;
        this.realm = realm;
        this.label = label;
        this.kind = kind;
        this.accountSid = accountSid;
        this.gatewayDelayMillis = gatewayDelayMillis;
    }

    boolean sms() {
        return kind == Kind.SMS_LOG || kind == Kind.SMS_TWILIO;
    }
}
