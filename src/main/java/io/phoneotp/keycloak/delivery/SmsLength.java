package io.phoneotp.keycloak.delivery;

/**
 * How a text message is billed: GSM-7 when every character is in the GSM 03.38 alphabet (160 per
 * single segment, the extension characters counting twice), else UCS-2 (70 UTF-16 units, so a
 * character outside the Basic Multilingual Plane counts twice).
 */
public record SmsLength(Encoding encoding, int units) {

    public enum Encoding { GSM7, UCS2 }

    static final int GSM7_SINGLE = 160;
    static final int GSM7_PART = 153;
    static final int UCS2_SINGLE = 70;
    static final int UCS2_PART = 67;

    private static final String GSM7_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM7_EXTENSION = "^{}\\[~]|€\f";

    public static SmsLength of(String text) {
        int septets = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (GSM7_BASIC.indexOf(c) >= 0) {
                septets++;
            } else if (GSM7_EXTENSION.indexOf(c) >= 0) {
                septets += 2;
            } else {
                return new SmsLength(Encoding.UCS2, text.length());
            }
        }
        return new SmsLength(Encoding.GSM7, septets);
    }

    /** Whether every character of {@code text} is in the GSM-7 alphabet. */
    public static boolean isGsm7(String text) {
        return of(text).encoding == Encoding.GSM7;
    }

    public int segments() {
        boolean gsm = encoding == Encoding.GSM7;
        int single = gsm ? GSM7_SINGLE : UCS2_SINGLE;
        int part = gsm ? GSM7_PART : UCS2_PART;
        return units <= single ? 1 : (units + part - 1) / part;
    }

    @Override
    public String toString() {
        return units + " " + (encoding == Encoding.GSM7 ? "GSM-7" : "UCS-2") + " units, " + segments() + " segment(s)";
    }
}
