package io.phoneotp.keycloak.delivery;

import io.phoneotp.keycloak.theme.Bundles;
import org.junit.jupiter.api.Test;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every language's text messages fit one segment, whatever the realm name, login host and code length. */
class SmsTextsTest {

    /** The text messages and what fills them after the realm name; a code text gets the origin-bound line. */
    private enum Sms {
        SIGN_IN("phoneOtpSmsText", true), REGISTRATION("phoneOtpRegistrationSmsText", true),
        OLD_NUMBER("phoneOtpNumberChangedSmsText", false), TEST("phoneOtpSmsTestText", false),
        LINK("phoneOtpLinkSmsText", false), CODE_LINK("phoneOtpCodeLinkSmsText", false),
        REGISTRATION_LINK("phoneOtpRegistrationLinkSmsText", false), REGISTRATION_CODE_LINK("phoneOtpRegistrationCodeLinkSmsText", false);

        final String key;
        final boolean code;

        Sms(String key, boolean code) {
            this.key = key;
            this.code = code;
        }

        boolean takesCodeAndLink() {
            return this == CODE_LINK || this == REGISTRATION_CODE_LINK;
        }

        String compose(Properties bundle, Locale locale, String realm, String host, String code) {
            return compose(bundle, locale, realm, host, code, REALM_IDS.get(0));
        }

        /** @param realmId the realm's name in the link's URL */
        String compose(Properties bundle, Locale locale, String realm, String host, String code, String realmId) {
            if (this == LINK || this == REGISTRATION_LINK) {
                return OneSegment.message(bundle::getProperty, locale, key, realm, "", link(host, realmId));
            }
            if (this == CODE_LINK || this == REGISTRATION_CODE_LINK) {
                return OneSegment.message(bundle::getProperty, locale, key, realm, "", code, link(host, realmId));
            }
            if (!this.code) {
                Object[] rest = this == OLD_NUMBER ? new Object[]{"67"} : new Object[0];
                return OneSegment.message(bundle::getProperty, locale, key, realm, "", rest);
            }
            return OneSegment.message(bundle::getProperty, locale, key, realm, "\n\n@" + host + " #" + code, code, 5L);
        }
    }

    private static final List<String> REALMS = List.of("Acme Ltd", "Acme Financial Services Ltd Co",
            "Northwind Regional Health Cooperative Customer Signin Portal");
    private static final List<String> HOSTS = List.of("login.acme.test", "accounts.northwind-health.test");
    private static final List<String> CODES = List.of("123456", "12345678");
    /** Realm names in a link's URL: a short one and a long one (the display names above are longer still). */
    private static final List<String> REALM_IDS = List.of("acme-ltd", "acme-financial-services-ltd-co");

    /** A sign-in link as SignInLink makes it: https, the login host, the realm, and 22 characters of token (128 bits). */
    static String link(String host, String realmId) {
        return "https://" + host + "/realms/" + realmId + "/phone-otp/link/" + "AbCdEfGhIjKlMnOpQrStUv";
    }

    @Test
    void theTestMatrixIsWhatTheIssueAsks() {
        assertEquals(List.of(8, 30, 60), REALMS.stream().map(String::length).toList());
        assertEquals(List.of(15, 30), HOSTS.stream().map(String::length).toList());
    }

    @Test
    void everyTextMessageOfEveryLanguageIsOneSegmentAndKeepsTheCodeAndTheOriginLine() {
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Properties> bundle : Bundles.ours().entrySet()) {
            Locale locale = Bundles.locale(bundle.getKey());
            for (Sms sms : Sms.values()) {
                for (String realm : REALMS) {
                    for (String host : HOSTS) {
                        for (String code : CODES) {
                            String text = sms.compose(bundle.getValue(), locale, realm, host, code);
                            String where = bundle.getKey() + " " + sms + " " + realm.length() + "/" + host.length() + "/" + code.length();
                            if (!OneSegment.fits(text)) {
                                failures.add(where + ": " + SmsLength.of(text) + ": " + text);
                            }
                            if (sms.code && !(text.endsWith("\n\n@" + host + " #" + code) && text.indexOf(code) < text.indexOf("\n\n@"))) {
                                failures.add(where + ": lost the code or the origin line: " + text);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " texts do not fit or lost a part:\n" + String.join("\n", failures));
    }

    /**
     * The decision for links: a link of a 15-character host alone is longer than a UCS-2 segment
     * (70), so every language's link texts are written in GSM-7 (terse words without the letters
     * GSM-7 lacks; in scripts beyond it, the realm name, the code and the link only), and they fit
     * one segment with realm names of 8, 30 and 60 characters, URL realm names of 8 and 30, hosts of
     * 15 and 30 and codes of 6 and 8 digits; the link and the code stay whole.
     */
    @Test
    void everyLinkTextOfEveryLanguageIsOneGsm7SegmentAndKeepsTheLinkAndTheCode() {
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Properties> bundle : Bundles.ours().entrySet()) {
            Locale locale = Bundles.locale(bundle.getKey());
            for (Sms sms : List.of(Sms.LINK, Sms.CODE_LINK, Sms.REGISTRATION_LINK, Sms.REGISTRATION_CODE_LINK)) {
                for (String realm : REALMS) {
                    for (String realmId : REALM_IDS) {
                        for (String host : HOSTS) {
                            for (String code : CODES) {
                                String text = sms.compose(bundle.getValue(), locale, realm, host, code, realmId);
                                String where = bundle.getKey() + " " + sms + " " + realm.length() + "/" + realmId.length() + "/" + host.length()
                                        + "/" + code.length();
                                SmsLength length = SmsLength.of(text);
                                if (length.encoding() != SmsLength.Encoding.GSM7 || length.segments() != 1) {
                                    failures.add(where + ": " + length + ": " + text);
                                }
                                if (!text.contains(link(host, realmId)) || (sms.takesCodeAndLink() && !text.contains(code))) {
                                    failures.add(where + ": lost the link or the code: " + text);
                                }
                            }
                        }
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " link texts do not fit or lost a part:\n" + String.join("\n", failures));
    }

    @Test
    void withAShortNameAndHostNoLanguageShortensAnything() {
        String realm = "Acme Finance"; // 12
        String host = "login.acme-bank.test"; // 20
        List<String> shortened = new ArrayList<>();
        StringBuilder table = new StringBuilder("language  sign-in  registration  old-number  (realm 12, host 20, 6 digits)\n");
        for (Map.Entry<String, Properties> bundle : Bundles.ours().entrySet()) {
            Locale locale = Bundles.locale(bundle.getKey());
            table.append(String.format("%-8s", bundle.getKey()));
            for (Sms sms : List.of(Sms.SIGN_IN, Sms.REGISTRATION, Sms.OLD_NUMBER)) {
                String text = sms.compose(bundle.getValue(), locale, realm, host, "123456");
                Object[] args = sms.code ? new Object[]{realm, "123456", 5L} : new Object[]{realm, "67"};
                String full = new MessageFormat(bundle.getValue().getProperty(sms.key), locale).format(args)
                        + (sms.code ? "\n\n@" + host + " #123456" : "");
                if (!text.equals(full)) {
                    shortened.add(bundle.getKey() + " " + sms + ": " + SmsLength.of(full) + ": " + full);
                }
                SmsLength length = SmsLength.of(text);
                table.append(String.format("  %3d %-5s", length.units(), length.encoding() == SmsLength.Encoding.GSM7 ? "GSM7" : "UCS2"));
            }
            table.append('\n');
        }
        System.out.println(table);
        assertTrue(shortened.isEmpty(), "needed shortening:\n" + String.join("\n", shortened));
    }

    @Test
    void noStrayCharacterForcesUcs2IntoALanguageThatIsOtherwiseGsm7() {
        String strays = "\u2018\u2019\u201A\u201C\u201D\u201E\u00A0\u202F\u2013\u2014\u2026\u00AB\u00BB";
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, Properties> bundle : Bundles.ours().entrySet()) {
            for (Sms sms : Sms.values()) {
                for (String key : List.of(sms.key, sms.key + OneSegment.SHORT)) {
                    String text = bundle.getValue().getProperty(key);
                    if (text == null) {
                        continue;
                    }
                    String without = text.chars().filter(c -> strays.indexOf(c) < 0)
                            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
                    if (!SmsLength.isGsm7(text) && SmsLength.isGsm7(without)) {
                        found.add(bundle.getKey() + " " + key + ": " + text);
                    }
                }
            }
        }
        assertTrue(found.isEmpty(), "typographic characters that force UCS-2:\n" + String.join("\n", found));
    }
}
