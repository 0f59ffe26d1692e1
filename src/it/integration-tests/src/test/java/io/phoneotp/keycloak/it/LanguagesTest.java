package io.phoneotp.keycloak.it;

import io.phoneotp.keycloak.delivery.SmsLength;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every language of Keycloak's login theme, through the real pages: the code page, the text
 * message and the call in the language the browser asks for, each text one segment; and the
 * administrator's own texts (realm overrides, a custom login theme) in texts and calls.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class LanguagesTest extends PhoneOtpTestBase {

    static final String ALICE = "+14155552671";
    /** Keycloak's Georgian bundle exists, but its login theme does not list "ka" among its locales. */
    static final String GEORGIAN = "ka";
    /** The languages Twilio's Say has no voice for: their calls use the realm's default language (English here). */
    static final Set<String> UNSPOKEN = Set.of("az", "eu", "fa", "hr", "hy", "ka", "kk", "ky", "lt", "sl");

    @BeforeEach
    void everyLanguage() {
        policy(Map.of("maxSendsPerNumberPerHour", 1000, "maxSendsPerUserPerHour", 1000, "maxSendsPerIpPerHour", 1000,
                "maxSendsPerRealmPerHour", 10000, "maxSendsPerPrefixPerHour", 1000));
        RealmRepresentation rep = realm.admin().toRepresentation();
        rep.setSupportedLocales(new TreeSet<>(languages()));
        realm.admin().update(rep);
    }

    /** The login theme's locales as the server lists them, and Georgian. */
    List<String> languages() {
        List<String> tags = new ArrayList<>(List.of(adminClient.serverInfo().getInfo().getThemes().get("login").stream()
                .filter(t -> t.getName().equals("keycloak.v2")).findFirst().orElseThrow().getLocales()));
        tags.add(GEORGIAN);
        return tags;
    }

    @Test
    void theServerOffersKeycloaksFortyOneLoginLanguages() {
        assertEquals(41, new TreeSet<>(languages()).size(), languages().toString());
    }

    @Test
    void everyLanguageGetsTheCodePageAndTheTextMessageInItsOwnWordsInOneSegment() {
        List<String> problems = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        java.util.function.Supplier<String> english = () -> button(new RawVisitor().open(RawVisitor.LOGIN + "&ui_locales=en").page(), "kc-login");
        for (String tag : languages()) {
            Properties ours;
            try {
                ours = bundle(tag);
            } catch (AssertionError e) {
                problems.add(e.getMessage());
                continue;
            }
            RawVisitor visitor = new RawVisitor().open(RawVisitor.LOGIN + "&ui_locales=" + tag);
            String keycloaksButton = button(visitor.page(), "kc-login");
            if (!tag.equals("en") && keycloaksButton.equals(english.get())) {
                problems.add(tag + ": Keycloak's own login page is in English");
            }
            visitor.submit("kc-form-login", Map.of("username", "alice", "password", "alice-password"));
            String page = unescape(visitor.page());
            if (!page.contains("lang=\"" + tag + "\"")) {
                Matcher lang = Pattern.compile("<html[^>]*lang=\"([^\"]*)\"").matcher(page);
                problems.add(tag + ": the page's language is " + (lang.find() ? lang.group(1) : "not set"));
            }
            if (!page.contains(ours.getProperty("phoneOtpCodeTitle"))) {
                problems.add(tag + ": the code page's title is not " + ours.getProperty("phoneOtpCodeTitle"));
            }
            boolean rtl = page.contains("dir=\"rtl\"");
            if (rtl != Set.of("ar", "fa").contains(tag)) {
                problems.add(tag + ": the page's direction is " + (rtl ? "rtl" : "ltr"));
            }
            FakeTwilio.Recorded sms = twilio.lastMessageTo(ALICE);
            String expected = new MessageFormat(ours.getProperty("phoneOtpSmsText"), Locale.forLanguageTag(tag))
                    .format(new Object[]{"Phone OTP Test", sms.code(), 5L}) + "\n\n@localhost #" + sms.code();
            SmsLength length = SmsLength.of(sms.body());
            table.append(String.format("%-8s %3d %s  Keycloak: %s%n", tag, length.units(), length.encoding(), keycloaksButton));
            if (!oneSegment(sms.body())) {
                problems.add(tag + ": " + length + ": " + sms.body());
            }
            if (!sms.body().equals(expected) && !sms.body().startsWith(shortWording(ours, tag))) {
                problems.add(tag + ": the text is neither the full nor the short wording: " + sms.body());
            }
            visitor.submit("phone-otp-form", Map.of("code", sms.code()));
            if (!visitor.signedIn()) {
                problems.add(tag + ": the code did not sign in");
            }
            twilio.reset();
        }
        System.out.println("The sign-in text message per language (realm 'Phone OTP Test', host localhost):\n" + table);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyLanguageGetsTheCallInItsOwnWordsOrTheRealmsDefaultWhereTwilioHasNoVoice() {
        requirement(SECOND_FACTOR_FLOW, "phone-otp-sms", "DISABLED");
        List<String> problems = new ArrayList<>();
        for (String tag : languages()) {
            boolean spoken = !UNSPOKEN.contains(tag);
            Properties words;
            try {
                words = bundle(spoken ? tag : "en");
            } catch (AssertionError e) {
                problems.add(e.getMessage());
                continue;
            }
            RawVisitor visitor = new RawVisitor().open(RawVisitor.LOGIN + "&ui_locales=" + tag);
            visitor.submit("kc-form-login", Map.of("username", "alice", "password", "alice-password"));
            FakeTwilio.Recorded call = twilio.lastCallTo(ALICE);
            List<String> said = call.spoken();
            String greeting = new MessageFormat(words.getProperty("phoneOtpVoiceGreeting"), Locale.forLanguageTag(tag))
                    .format(new Object[]{"Phone OTP Test"});
            String digits = words.getProperty("phoneOtpVoiceCode") + " " + String.join(", ", call.spokenCode().split("")) + ".";
            if (!said.get(0).equals(greeting) || !said.contains(digits)) {
                problems.add(tag + ": the call says " + said);
            }
            Matcher language = Pattern.compile("language=\"([^\"]+)\"").matcher(call.twiml());
            if (!language.find() || spoken == language.group(1).equals("en-US") && !tag.equals("en")) {
                problems.add(tag + ": the call's language is " + (language.hitEnd() ? "missing" : language.group(1)));
            }
            visitor.submit("phone-otp-form", Map.of("code", call.spokenCode()));
            if (!visitor.signedIn()) {
                problems.add(tag + ": the code read aloud did not sign in");
            }
            twilio.reset();
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static boolean oneSegment(String text) {
        return SmsLength.of(text).segments() == 1;
    }

    /** The short wording's start: the realm name, maybe shortened, is not compared. */
    private static String shortWording(Properties ours, String tag) {
        String pattern = ours.getProperty("phoneOtpSmsTextShort");
        return pattern.substring(0, pattern.indexOf("{0}"));
    }

    static String button(String html, String id) {
        // keycloak.v2 writes <button id="kc-login" ...>text</button>, the legacy theme <input ... id="kc-login" value="text"/>
        Matcher tag = Pattern.compile("<(button|input)[^>]*id=\"" + id + "\"[^>]*>").matcher(html);
        if (!tag.find()) {
            return "(no " + id + ")";
        }
        Matcher value = Pattern.compile("value=\"([^\"]*)\"").matcher(tag.group());
        if (tag.group(1).equals("input") && value.find()) {
            return unescape(value.group(1));
        }
        int end = html.indexOf("</button>", tag.end());
        return unescape(html.substring(tag.end(), end).replaceAll("<[^>]+>", "").strip());
    }

    /**
     * The jar's bundle for a language tag (messages_pt_BR, messages_zh_CN, ...), over English. A
     * language without its own file fails: no silent English.
     */
    static Properties bundle(String tag) {
        String own = Locale.forLanguageTag(tag).toString();
        if (LanguagesTest.class.getClassLoader().getResource("theme-resources/messages/messages_" + own + ".properties") == null) {
            throw new AssertionError("no bundle messages_" + own + ".properties for " + tag);
        }
        Properties texts = new Properties();
        for (String name : List.of("en", own)) {
            try (InputStream in = LanguagesTest.class.getClassLoader().getResourceAsStream("theme-resources/messages/messages_" + name + ".properties")) {
                if (in != null) {
                    texts.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return texts;
    }

    static String unescape(String html) {
        return html.replace("&#39;", "'").replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    }
}
