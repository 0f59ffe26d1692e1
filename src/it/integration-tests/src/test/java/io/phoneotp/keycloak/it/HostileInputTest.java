package io.phoneotp.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.RequiredActionConfigRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input in every form field and admin field the extension reads: very long text, control
 * characters, NUL, right-to-left marks, HTML and script, FreeMarker, SQL-like text, phone numbers in
 * every format, empty values and the same field twice. Every answer must be a clear one: no 5xx, no
 * Java text, nothing reflected unescaped, a message from the bundles on the page (or a 400 naming the
 * field for the admin API), and nothing saved.
 * <p>
 * Each test collects every problem it meets before failing, so one run reports all of them.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class HostileInputTest extends PhoneOtpTestBase {

    private static final String LOGIN = RawVisitor.LOGIN;
    private static final String PROVIDERS = "/admin/realms/" + REALM + "/phone-otp/providers/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One hostile value: its name in a report, the value, and how it is written into a form body. */
    record Hostile(String name, String value, String encoded) {
        static Hostile of(String name, String value) {
            return new Hostile(name, value, URLEncoder.encode(value, StandardCharsets.UTF_8));
        }

        /** Already percent-encoded, sent as it is (no value of its own: a form body only). */
        static Hostile raw(String name, String encoded) {
            return new Hostile(name, null, encoded);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Text that no field should choke on. */
    static final List<Hostile> TEXT = List.of(
            Hostile.of("10 kB of letters", "A".repeat(10_240)),
            Hostile.of("10 kB of digits", "9".repeat(10_240)),
            Hostile.of("control characters", "\u0001\u0002\u0003\u0007\b\u000b\f\u001b[31mred\u007f"),
            Hostile.of("CR LF header", "abc\r\nSet-Cookie: x=1"),
            Hostile.of("NUL", "\u0000"),
            Hostile.of("NUL inside", "123\u0000456"),
            Hostile.of("right-to-left mark", "\u202E123456"),
            Hostile.of("script", "<script>alert(1)</script>"),
            Hostile.of("img in attribute", "\"><img src=x onerror=alert(1)>"),
            Hostile.of("single-quoted attribute", "' onmouseover='alert(1)"),
            Hostile.of("FreeMarker interpolation", "${7*7}"),
            Hostile.of("FreeMarker directive", "<#assign x=1>${x}"),
            Hostile.of("FreeMarker hash", "#{7*7}"),
            Hostile.of("SQL", "' OR '1'='1"),
            Hostile.of("SQL statement", "1; DROP TABLE USER_ENTITY; --"),
            Hostile.of("LIKE wildcards", "%_%"),
            Hostile.of("other digits", "١٢٣٤٥٦"),
            Hostile.of("emoji", "📱📱📱"),
            Hostile.of("empty", ""),
            Hostile.of("blank", "   "),
            Hostile.raw("raw %00", "%00"),
            Hostile.raw("broken UTF-8", "%C3%28%FF"),
            Hostile.raw("lone surrogate", "%ED%A0%80"));

    /** Phone numbers in every format, valid or not. */
    static final List<Hostile> PHONES = List.of(
            Hostile.of("spaces", "+1 415 555 2699"),
            Hostile.of("dots", "+1.415.555.2699"),
            Hostile.of("dashes", "+1-415-555-2699"),
            Hostile.of("parentheses", "+1 (415) 555-2699"),
            Hostile.of("leading 00", "0014155552699"),
            Hostile.of("national without a country", "(415) 555-2699"),
            Hostile.of("letters", "+1 415 555 26AB"),
            Hostile.of("vanity letters", "+1-800-FLOWERS"),
            Hostile.of("too short", "+1415555269"),
            Hostile.of("too long", "+141555526991234567890"),
            Hostile.of("+0", "+0"),
            Hostile.of("only +", "+"),
            Hostile.of("double +", "++14155552699"),
            Hostile.of("extension", "+1 415 555 2699 ext. 12"),
            Hostile.of("tel URI", "tel:+1-415-555-2699"),
            Hostile.of("trailing NUL", "+14155552699\u0000"),
            Hostile.of("right-to-left inside", "+1\u202E4155552699"),
            Hostile.of("premium rate", "+19002345699"));

    /** The values tried on buttons (resend, edit, cancel, anotherNumber), whose value the pages never read. */
    static final List<Hostile> BUTTON = TEXT.stream().filter(h -> !h.name().startsWith("10 kB of digits")).toList();

    static List<Hostile> all() {
        return Stream.concat(TEXT.stream(), PHONES.stream()).toList();
    }

    /** What must not be in an answer: a Java exception, a stack frame, class names. */
    private static final Pattern JAVA_TEXT = Pattern.compile("Exception\\b|Caused by:|\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\(|java\\.lang\\."
            + "|org\\.keycloak\\.[a-z]|io\\.phoneotp\\.|freemarker\\.(core|template)|com\\.fasterxml|jakarta\\.ws|org\\.jboss");
    /** Markup of the hostile values that must never come back unescaped. */
    private static final List<String> RAW_MARKUP = List.of("<script>alert(1)", "<img src=x", "\"><img", "<#assign", "' onmouseover='alert");

    private final List<String> problems = new ArrayList<>();
    private long logStart;

    @BeforeEach
    void markServerLog() throws Exception {
        logStart = Files.exists(PhoneOtpServerConfig.SERVER_LOG) ? Files.size(PhoneOtpServerConfig.SERVER_LOG) : 0;
    }

    @AfterEach
    void removeActionConfig() {
        realm.admin().flows().removeRequiredActionConfig("phone-number-config");
    }

    // ---- the identify page -----------------------------------------------------------------------

    @Test
    void identifyPageUsername() throws Exception {
        bindBrowserFlow("passwordless-phone");
        List<String> answers = List.of("If this account has a phone number, we sent a code to it by text message.",
                "Enter your username, email or phone number.");
        for (Hostile h : identifierValues()) {
            RawVisitor visitor = new RawVisitor().open(LOGIN);
            visitor.submitRaw("phone-otp-identify-form", "username=" + h.encoded());
            checkPage("identify username=" + h, visitor, answers);
        }
        for (String body : repeated("username", "nobody-at-all")) {
            RawVisitor visitor = new RawVisitor().open(LOGIN);
            visitor.submitRaw("phone-otp-identify-form", body);
            checkPage("identify " + body(body), visitor, answers);
        }
        // the message is in the user's language
        RawVisitor german = new RawVisitor().open(LOGIN + "&ui_locales=de");
        german.submitRaw("phone-otp-identify-form", "username=%00%20");
        checkPage("identify in German, username=NUL", german,
                List.of("Geben Sie Ihren Benutzernamen, Ihre E-Mail-Adresse oder Ihre Telefonnummer ein.",
                        "Falls für dieses Konto eine Telefonnummer hinterlegt ist"));

        Thread.sleep(1000); // a real account's code goes out after the page
        expect(twilio.requests().isEmpty(), "identify: no account has these identifiers, yet something was sent: " + twilio.requests());
        finish();
    }

    /**
     * A body with a broken percent escape ({@code %ZZ%}) fails in Keycloak's form parser before any
     * provider runs: Keycloak's own login form answers it with a 500 too. This records that the
     * extension's pages answer it no worse than Keycloak's own (a Keycloak limitation, not ours).
     */
    @Test
    void aBrokenPercentEscapeIsAnsweredAsKeycloakAnswersIt() {
        RawVisitor keycloak = new RawVisitor().open(LOGIN);
        keycloak.submitRaw("kc-form-login", "username=%ZZ%&password=x");
        bindBrowserFlow("passwordless-phone");
        RawVisitor ours = new RawVisitor().open(LOGIN);
        ours.submitRaw("phone-otp-identify-form", "username=%ZZ%");
        System.out.println("HostileInputTest: a broken percent escape: Keycloak's own login form answers " + keycloak.status()
                + ", the identify page " + ours.status());
        assertTrue(ours.status() < 500 || keycloak.status() >= 500,
                "the identify page fails where Keycloak's own form does not: " + ours.status() + " vs " + keycloak.status());
    }

    /** Hostile text and numbers of nobody (+1 415 555 2699 is no one's). */
    private static List<Hostile> identifierValues() {
        return all();
    }

    // ---- the code page, in a sign-in with a password (proven) and after the identify step (unproven) ----

    @Test
    void codePageFields() throws Exception {
        smsStepConfig(Map.of("maxAttempts", "100", "maxSends", "100", "resendCooldownSeconds", "0"));
        Map<String, String> aliceBefore = attributes("alice");
        Map<String, String> carolBefore = attributes("carol");

        // code: every hostile value is a wrong code (alice is far from the guessing ceiling of 100)
        Session alice = new Session("phone-otp-form", () -> signIn("alice"));
        List<String> wrongCode = List.of("That code is not right. Attempts left:", "Too many wrong codes. Ask for a new code.");
        for (Hostile h : all()) {
            alice.post("code=" + h.encoded());
            checkPage("code page code=" + h, alice.visitor, wrongCode);
        }
        for (String body : repeated("code", "000000")) {
            alice.post(body);
            checkPage("code page " + body(body), alice.visitor, wrongCode);
        }

        // resend, channel and "use another phone number" (carol)
        Session carol = new Session("phone-otp-form", () -> signIn("carol"));
        List<String> resent = List.of("A new code is on its way.", "We are calling you with a new code.");
        for (Hostile h : BUTTON) {
            carol.post("resend=" + h.encoded());
            checkPage("code page resend=" + h, carol.visitor, resent);
        }
        for (String body : repeated("resend", "true")) {
            carol.post(body);
            checkPage("code page " + body(body), carol.visitor, resent);
        }
        for (Hostile h : channels()) {
            carol.post("channel=" + h.encoded());
            checkPage("code page channel=" + h, carol.visitor, Stream.concat(resent.stream(), wrongCode.stream()).toList());
        }
        for (String body : List.of("channel=sms&channel=voice", "channel=voice&channel=sms", "channel=bogus&channel=voice",
                "channel=sms&channel=%3Cscript%3Ealert(1)%3C%2Fscript%3E")) {
            carol.post(body);
            checkPage("code page " + body(body), carol.visitor, Stream.concat(resent.stream(), wrongCode.stream()).toList());
        }
        for (Hostile h : BUTTON) {
            carol.post("anotherNumber=" + h.encoded());
            checkPage("code page anotherNumber=" + h, carol.visitor, List.of("first finish signing in"));
            if (carol.visitor.hasForm("phone-otp-notice-form")) {
                carol.visitor.submit("phone-otp-notice-form", Map.of("back", "true"));
            }
        }
        carol.post("anotherNumber=true&anotherNumber=%3Cscript%3Ealert(1)%3C%2Fscript%3E&confirmed=%00&confirmed=x");
        checkPage("code page anotherNumber twice, confirmed twice", carol.visitor, List.of("You can register your new number right after you sign in."));

        // the same fields where the sign-in has only been told who the user claims to be
        bindBrowserFlow("passwordless-phone");
        stepConfig("passwordless-phone code", "phone-otp-sms", Map.of("maxAttempts", "100", "maxSends", "100", "resendCooldownSeconds", "0"));
        Session unproven = new Session("phone-otp-form",
                () -> new RawVisitor().open(LOGIN).submit("phone-otp-identify-form", Map.of("username", "nobody-at-all")));
        for (Hostile h : all()) {
            unproven.post("code=" + h.encoded());
            checkPage("unproven code page code=" + h, unproven.visitor, wrongCode);
        }
        for (Hostile h : channels()) {
            unproven.post("channel=" + h.encoded());
            checkPage("unproven code page channel=" + h, unproven.visitor, List.of("If this account has a phone number"));
        }
        for (Hostile h : List.of(TEXT.get(7), TEXT.get(4), TEXT.get(0))) {
            unproven.post("resend=" + h.encoded() + "&anotherNumber=" + h.encoded());
            checkPage("unproven code page resend and anotherNumber=" + h, unproven.visitor, List.of("If this account has a phone number"));
        }

        expect(aliceBefore.equals(attributes("alice")), "alice's attributes changed: " + aliceBefore + " -> " + attributes("alice"));
        expect(carolBefore.equals(attributes("carol")), "carol's attributes changed: " + carolBefore + " -> " + attributes("carol"));
        expect(!storedCredentialTypes("alice").contains("phone-otp") && !storedCredentialTypes("carol").contains("phone-otp"),
                "a phone credential was saved");
        finish();
    }

    /** The two real channels, case and padding variants, and channels that do not exist. */
    private static List<Hostile> channels() {
        List<Hostile> channels = new ArrayList<>(List.of(Hostile.of("sms", "sms"), Hostile.of("voice", "voice"),
                Hostile.of("SMS", "SMS"), Hostile.of("voice with space", " voice "), Hostile.of("voice + NUL", "voice\u0000"),
                Hostile.of("email", "email"), Hostile.of("whatsapp", "whatsapp"), Hostile.of("path", "../voice")));
        channels.addAll(BUTTON);
        return channels;
    }

    // ---- the registration page --------------------------------------------------------------------

    @Test
    void registrationPageFields() throws Exception {
        RequiredActionConfigRepresentation config = new RequiredActionConfigRepresentation();
        config.setConfig(Map.of("maxAttempts", "100", "maxSends", "100", "resendCooldownSeconds", "0"));
        realm.admin().flows().updateRequiredActionConfig("phone-number-config", config);

        Session bob = new Session("phone-otp-register-form", () -> new RawVisitor().open(LOGIN + "&kc_action=phone-number-config")
                .submit("kc-form-login", Map.of("username", "bob", "password", "bob-password")));
        expect(bob.visitor.hasForm("phone-otp-register-form"), "no registration page for bob: " + text(bob.visitor.page()));

        List<String> numberAnswers = List.of("We sent a code by text message to +", "This is not a valid phone number.",
                "This phone number cannot be used here.", "Enter your phone number.");
        for (Hostile h : all()) {
            bob.post("phoneNumber=" + h.encoded());
            checkPage("registration phoneNumber=" + h, bob.visitor, numberAnswers);
            if (bob.visitor.page().contains("We sent a code")) {
                expect(bob.visitor.page().contains("+14155552699") || bob.visitor.page().contains("+1800"),
                        "registration phoneNumber=" + h + ": the number to save is not the E.164 of what was typed: " + text(bob.visitor.page()));
            }
        }
        for (String body : repeated("phoneNumber", "+14155550171")) {
            bob.post(body);
            checkPage("registration " + body(body), bob.visitor, numberAnswers);
        }

        // the code stage: a number waits for its code
        bob.post("phoneNumber=%2B14155550172");
        expect(bob.visitor.page().contains("We sent a code by text message to +14155550172"), "no code stage: " + text(bob.visitor.page()));
        List<String> wrongCode = List.of("That code is not right. Attempts left:", "Too many wrong codes. Ask for a new code.");
        for (Hostile h : all()) {
            bob.post("code=" + h.encoded());
            checkPage("registration code=" + h, bob.visitor, wrongCode);
        }
        for (String body : repeated("code", "000000")) {
            bob.post(body);
            checkPage("registration " + body(body), bob.visitor, wrongCode);
        }
        List<String> resent = List.of("A new code is on its way.", "We are calling you with a new code.");
        for (Hostile h : BUTTON) {
            bob.post("resend=" + h.encoded());
            checkPage("registration resend=" + h, bob.visitor, resent);
        }
        for (Hostile h : channels()) {
            bob.post("channel=" + h.encoded());
            checkPage("registration channel=" + h, bob.visitor, Stream.concat(resent.stream(), wrongCode.stream()).toList());
        }
        for (Hostile h : BUTTON) { // cancel: not a way out of a registration the application asked for
            bob.post("cancel=" + h.encoded());
            checkPage("registration (required) cancel=" + h, bob.visitor, wrongCode);
        }
        for (Hostile h : BUTTON) {
            bob.post("edit=" + h.encoded());
            checkPage("registration edit=" + h, bob.visitor, List.of("Start with + and the country code"));
            bob.post("phoneNumber=%2B14155550172");
        }
        bob.post("edit=1&edit=%3Cscript%3Ealert(1)%3C%2Fscript%3E&code=1&code=%00&resend=1&channel=voice");
        checkPage("registration edit, code, resend and channel at once", bob.visitor, List.of("Start with + and the country code"));

        // German
        RawVisitor yuri = new RawVisitor().open(LOGIN + "&kc_action=phone-number-config&ui_locales=de")
                .submit("kc-form-login", Map.of("username", "yuri", "password", "yuri-password"));
        yuri.submitRaw("phone-otp-register-form", "phoneNumber=%2B%00%3Cscript%3E");
        checkPage("registration in German, phoneNumber=+NUL<script>", yuri, List.of("Dies ist keine gültige Telefonnummer."));

        expect(userAttribute("bob", "phoneNumber") == null && userAttribute("bob", "phoneNumberVerified") == null,
                "bob's number was saved: " + attributes("bob"));
        expect(userAttribute("yuri", "phoneNumber") == null, "yuri's number was saved: " + attributes("yuri"));
        expect(!storedCredentialTypes("bob").contains("phone-otp"), "bob has a phone credential");

        // cancel of an optional registration ("use another phone number"): cancels, whatever its value
        smsStepConfig(Map.of("showInfoBeforeRegistration", "false"));
        for (Hostile h : List.of(TEXT.get(7), TEXT.get(4), TEXT.get(0), TEXT.get(18))) {
            twilio.reset();
            RawVisitor judy = signIn("judy");
            judy.submit("phone-otp-form", Map.of("anotherNumber", "true"));
            judy.submit("phone-otp-form", Map.of("code", twilio.lastMessageTo("+14155552678").code()));
            expect(judy.hasForm("phone-otp-register-form"), "judy: no registration page: " + text(judy.page()));
            judy.submitRaw("phone-otp-register-form", "phoneNumber=%2B14155550173");
            judy.submitRaw("phone-otp-register-form", "cancel=" + h.encoded() + "&cancel=x&code=" + h.encoded());
            check("registration (optional) cancel=" + h, judy.status(), judy.page());
            expect(judy.signedIn(), "registration (optional) cancel=" + h + ": not back in the application: " + text(judy.page()));
        }
        expect("+14155552678".equals(userAttribute("judy", "phoneNumber")), "judy's number changed: " + attributes("judy"));
        finish();
    }

    // ---- admin REST: message providers ------------------------------------------------------------

    @Test
    void providerSettings() throws Exception {
        String admin = admin();
        for (String channel : List.of("sms", "voice")) {
            JsonNode stored = JSON.readTree(AdminRest.get(PROVIDERS + channel, admin).body());
            // the fields the channels share are read by the same code: every field on sms, the voice channel's own on voice
            List<String> fields = channel.equals("sms") ? List.of("type", "accountSid", "authToken", "from", "messagingServiceSid")
                    : List.of("from", "messagingServiceSid");
            for (String field : fields) {
                for (JsonNode value : hostileJsonStrings()) {
                    ObjectNode body = stored.deepCopy();
                    body.set(field, value);
                    // an optional field given as blank (spaces, control characters) is not set: accepted if nothing changes
                    boolean optionalBlank = value.isTextual() && value.asText().trim().isEmpty() && field.equals("messagingServiceSid");
                    // a token is opaque: any visible ASCII of a sane length may be one; it is stored, and never shown
                    boolean secret = field.equals("authToken") && value.asText().trim().matches("[\\x21-\\x7E]{1,256}");
                    if (secret) {
                        putSecret(channel, value.asText(), body.toString(), stored);
                    } else {
                        putProvider(channel, field + "=" + describe(value), body.toString(), field, optionalBlank, stored);
                    }
                }
                for (JsonNode value : wrongTypes()) {
                    ObjectNode body = stored.deepCopy();
                    body.set(field, value);
                    putProvider(channel, field + "=" + describe(value), body.toString(), field, false, stored);
                }
            }
            for (JsonNode value : channel.equals("sms") ? List.<JsonNode>of(voices("en-US", "Polly.Joanna")) : Stream.concat(hostileJsonStrings().stream().map(v -> (JsonNode) voices(v.asText(), "Polly.Joanna")),
                    Stream.concat(hostileJsonStrings().stream().map(v -> (JsonNode) voices("en-US", v.asText())),
                            Stream.of(NODES.textNode("en-US=Polly.Joanna"), NODES.arrayNode().add("Polly.Joanna"), NODES.numberNode(5),
                                    voices("en-US", null), NODES.objectNode().set("en-US", NODES.objectNode()),
                                    NODES.objectNode().set("en-US", NODES.arrayNode()), voices("en-US=x", "Polly.Joanna")))).toList()) {
                // on sms any voices are refused: the hostile ones are tried on voice, whose provider reads them
                ObjectNode body = stored.deepCopy();
                body.set("voices", value);
                putProvider(channel, "voices=" + describe(value), body.toString(), "voices", false, stored);
            }
            // not JSON, not an object, fields twice
            String settings = stored.toString();
            String first = settings.substring(0, settings.length() - 1);
            putProvider(channel, "a stray } after the object", settings + "}", null, true, stored);
            for (String body : List.of("", "{", "not json", "null", "[]", "\"twilio\"", "5", "{\"type\":",
                    settings.replace("\"type\":\"twilio\"", "\"type\":\"twilio\",\"type\":\"<script>alert(1)</script>\""),
                    first + ",\"from\":\"<script>alert(1)</script>\"}")) {
                putProvider(channel, "body " + excerpt(body, 80), body, null, false, stored);
            }
            putProvider(channel, "type twice, the valid one last", settings.replace("\"type\":\"twilio\"",
                    "\"type\":\"<script>alert(1)</script>\",\"type\":\"twilio\""), null, true, stored);
            putProvider(channel, "unknown field", first + ",\"<script>\":\"<script>alert(1)</script>\"}", null, true, stored);
        }

        // channels that do not exist
        String sms = AdminRest.get(PROVIDERS + "sms", admin).body();
        for (String channel : List.of("email", "SMS", "Voice", "sms%20", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%00", "sms%00",
                "..%2Fpolicy", "%E2%80%AEsms", "x".repeat(5000), "%24%7B7*7%7D", "'%20OR%20'1'%3D'1")) {
            HttpResponse<String> put = AdminRest.put(PROVIDERS + channel, admin, sms);
            checkJson("PUT providers/" + excerpt(channel, 40), put, null);
            expect(put.statusCode() == 400 || put.statusCode() == 404, "PUT providers/" + excerpt(channel, 40) + ": " + put.statusCode() + " " + excerpt(put.body(), 200));
            HttpResponse<String> test = AdminRest.post(PROVIDERS + channel + "/test", admin, "{\"to\":\"+14155552699\"}");
            checkJson("POST providers/" + excerpt(channel, 40) + "/test", test, null);
            expect(test.statusCode() == 400 || test.statusCode() == 404, "POST providers/" + excerpt(channel, 40) + "/test: " + test.statusCode());
        }
        expect(twilio.requests().isEmpty(), "something was sent: " + twilio.requests());
        finish();
    }

    @Test
    void providerTestSend() throws Exception {
        String admin = admin();
        for (String channel : List.of("sms", "voice")) {
            List<String> bodies = new ArrayList<>();
            for (JsonNode to : Stream.concat(hostileJsonStrings().stream(), Stream.concat(phoneJsonStrings().stream(), wrongTypes().stream())).toList()) {
                bodies.add(NODES.objectNode().set("to", to).toString());
            }
            for (String body : bodies) {
                HttpResponse<String> response = AdminRest.post(PROVIDERS + channel + "/test", admin, body);
                checkRefused("POST " + channel + "/test " + excerpt(body, 60), response, "to");
            }
            for (String body : List.of("", "{", "not json", "null", "[]", "\"+14155552699\"", "5", "{}", "{\"to\":",
                    "{\"to\":\"+14155552699\",\"to\":\"<script>alert(1)</script>\"}", "{\"TO\":\"+14155552699\"}")) {
                HttpResponse<String> response = AdminRest.post(PROVIDERS + channel + "/test", admin, body);
                checkJson("POST " + channel + "/test body " + excerpt(body, 60), response, null);
                expect(response.statusCode() == 400, "POST " + channel + "/test body " + excerpt(body, 60) + ": " + response.statusCode() + " " + excerpt(response.body(), 200));
            }
        }
        Thread.sleep(300);
        expect(twilio.requests().isEmpty(), "a test message went out: " + twilio.requests());
        finish();
    }

    // ---- admin REST: the phone policy -------------------------------------------------------------

    @Test
    void phonePolicy() throws Exception {
        String admin = admin();
        ObjectNode stored = storedPolicy(admin);
        Map<String, List<JsonNode>> cases = new LinkedHashMap<>();
        List<JsonNode> countries = new ArrayList<>(hostileJsonStrings());
        Stream.of("XX", "ZZ", "UK", "EU", "001", "USA", "U", "u\u0000s").map(NODES::textNode).forEach(countries::add);
        countries.removeIf(c -> c.asText().isBlank()); // blank clears defaultCountry: tried below
        cases.put("defaultCountry", Stream.concat(countries.stream(), wrongTypes().stream().filter(Objects::nonNull)).toList());
        List<JsonNode> lists = new ArrayList<>();
        Stream.concat(countries.stream(), Stream.of(NODES.textNode(""), NODES.nullNode(), NODES.numberNode(5), NODES.booleanNode(true),
                NODES.arrayNode(), NODES.objectNode())).forEach(c -> lists.add(NODES.arrayNode().add(c)));
        lists.add(NODES.arrayNode().add("US").add("<script>alert(1)</script>"));
        lists.addAll(List.of(NODES.textNode("US"), NODES.numberNode(5), NODES.objectNode(), NODES.booleanNode(true)));
        cases.put("allowedCountries", lists);
        List<JsonNode> types = new ArrayList<>();
        Stream.concat(hostileJsonStrings().stream(), Stream.of(NODES.textNode("PREMIUM"), NODES.nullNode(), NODES.numberNode(5),
                NODES.arrayNode())).forEach(t -> types.add(NODES.arrayNode().add(t)));
        types.addAll(List.of(NODES.textNode("PREMIUM_RATE"), NODES.numberNode(5), NODES.objectNode()));
        cases.put("blockedNumberTypes", types);
        List<JsonNode> booleans = List.of(NODES.textNode("yes"), NODES.textNode(""), NODES.textNode("<script>alert(1)</script>"),
                NODES.textNode("\u0000"), NODES.numberNode(2), NODES.arrayNode(), NODES.objectNode());
        cases.put("uniqueNumbers", booleans);
        cases.put("notifyOldNumber", booleans);
        for (String limit : List.of("maxSendsPerNumberPerHour", "maxSendsPerUserPerHour", "maxSendsPerIpPerHour",
                "maxSendsPerRealmPerHour", "maxSendsPerPrefixPerHour")) {
            List<JsonNode> numbers = new ArrayList<>(List.of(NODES.numberNode(-1), NODES.numberNode(Integer.MIN_VALUE),
                    NODES.numberNode(Integer.MAX_VALUE), NODES.numberNode(2_147_483_648L), NODES.numberNode(1e12),
                    NODES.numberNode(new java.math.BigInteger("99999999999999999999999")), NODES.numberNode(1.5),
                    NODES.numberNode(1_000_001), NODES.textNode("ten"), NODES.textNode(""), NODES.textNode("5 "),
                    NODES.textNode("<script>alert(1)</script>"), NODES.textNode("\u0000"), NODES.textNode("9".repeat(10_240)),
                    NODES.booleanNode(true), NODES.arrayNode(), NODES.arrayNode().add(5), NODES.objectNode()));
            if (!limit.equals("maxSendsPerPrefixPerHour")) {
                numbers.add(NODES.numberNode(0));
            }
            cases.put(limit, numbers);
        }
        for (Map.Entry<String, List<JsonNode>> key : cases.entrySet()) {
            for (JsonNode value : key.getValue()) {
                ObjectNode body = stored.deepCopy();
                body.set(key.getKey(), value);
                String what = "PUT policy " + key.getKey() + "=" + describe(value);
                checkRefused(what, AdminRest.put(POLICY, admin, body.toString()), key.getKey());
                expectUnchanged(what, stored, storedPolicy(admin));
            }
        }

        // null and blank: a missing key takes its documented default (a partial PUT stays complete)
        ObjectNode defaults = (ObjectNode) JSON.valueToTree(Map.of("defaultCountry", NODES.nullNode(), "allowedCountries", List.of(),
                "blockedNumberTypes", List.of("PREMIUM_RATE", "SHARED_COST", "TOLL_FREE", "UAN", "PAGER", "VOICEMAIL"), "uniqueNumbers", true,
                "maxSendsPerNumberPerHour", 5, "maxSendsPerUserPerHour", 10, "maxSendsPerIpPerHour", 20, "maxSendsPerRealmPerHour", 1000,
                "maxSendsPerPrefixPerHour", 20, "notifyOldNumber", true));
        for (String key : cases.keySet()) {
            ObjectNode body = stored.deepCopy();
            body.set(key, NODES.nullNode());
            HttpResponse<String> response = AdminRest.put(POLICY, admin, body.toString());
            String what = "PUT policy " + key + "=null";
            checkJson(what, response, response.statusCode() == 200 ? null : key);
            ObjectNode after = storedPolicy(admin);
            if (response.statusCode() == 200) {
                expect(orNull(defaults.get(key)).equals(orNull(after.get(key))), what + ": stored " + after.get(key) + ", not the default " + defaults.get(key));
                ObjectNode others = after.deepCopy();
                if (stored.has(key)) {
                    others.set(key, stored.get(key));
                } else {
                    others.remove(key);
                }
                expectUnchanged(what + " (other keys)", stored, others);
                AdminRest.put(POLICY, admin, stored.toString());
            } else {
                expectUnchanged(what, stored, after);
            }
        }
        ObjectNode blank = stored.deepCopy();
        blank.put("defaultCountry", "  ");
        HttpResponse<String> cleared = AdminRest.put(POLICY, admin, blank.toString());
        checkJson("PUT policy defaultCountry=blank", cleared, null);
        expect(cleared.statusCode() == 200, "PUT policy defaultCountry=blank clears it: " + cleared.statusCode() + " " + cleared.body());
        expectUnchanged("PUT policy defaultCountry=blank", stored, storedPolicy(admin));

        // not JSON, not an object, keys twice
        String policy = stored.toString();
        String open = policy.substring(0, policy.length() - 1);
        HttpResponse<String> stray = AdminRest.put(POLICY, admin, policy + "}");
        checkJson("PUT policy with a stray } after the object", stray, null);
        expectUnchanged("PUT policy with a stray } after the object", stored, storedPolicy(admin));
        for (String body : List.of("", "{", "not json", "null", "[]", "5", "\"x\"", "{\"maxSendsPerIpPerHour\":",
                open + ",\"maxSendsPerIpPerHour\":-1}", open + ",\"allowedCountries\":[\"<script>\"]}")) {
            HttpResponse<String> response = AdminRest.put(POLICY, admin, body);
            checkJson("PUT policy body " + excerpt(body, 80), response, null);
            expect(response.statusCode() == 400, "PUT policy body " + excerpt(body, 80) + ": " + response.statusCode() + " " + excerpt(response.body(), 200));
            expectUnchanged("PUT policy body " + excerpt(body, 80), stored, storedPolicy(admin));
        }
        finish();
    }

    // ---- the user-profile validator phone-otp-number ----------------------------------------------

    @Test
    void userProfilePhoneNumber() throws Exception {
        String admin = admin();
        String id = userId("zoe");
        String path = "/admin/realms/" + REALM + "/users/" + id;
        String current = null; // what zoe's number is now
        List<JsonNode> values = new ArrayList<>();
        all().stream().filter(h -> h.value() != null).forEach(h -> values.add(NODES.arrayNode().add(h.value())));
        values.add(NODES.arrayNode().add("+14155550180").add("<script>alert(1)</script>"));
        values.add(NODES.arrayNode().add("<script>alert(1)</script>").add("+14155550180"));
        values.add(NODES.arrayNode().add(NODES.objectNode()));
        values.add(NODES.arrayNode().add(NODES.arrayNode()));
        values.add(NODES.objectNode());
        values.add(NODES.numberNode(5));
        for (JsonNode value : values) {
            ObjectNode user = (ObjectNode) JSON.readTree(AdminRest.get(path, admin).body());
            ObjectNode attributes = user.has("attributes") && user.get("attributes").isObject() ? (ObjectNode) user.get("attributes") : user.putObject("attributes");
            attributes.set("phoneNumber", value);
            String what = "PUT user phoneNumber=" + describe(value);
            HttpResponse<String> response = AdminRest.put(path, admin, user.toString());
            String normalized = normalizedOrNull(value);
            boolean strings = value.isArray() && value.size() > 0 && value.get(0).isTextual();
            if (response.statusCode() / 100 == 2) {
                checkJson(what, response, null);
                String now = userAttribute("zoe", "phoneNumber");
                // a blank value removes the number; Keycloak itself reads [{}], [[]] and {} as no value
                boolean removed = value.isArray() && value.size() == 1 && value.get(0).isTextual() && value.get(0).asText().isBlank()
                        || !strings && !value.isNumber();
                expect(removed ? now == null : now != null && now.matches("\\+[1-9][0-9]{6,14}") && (normalized == null || normalized.equals(now)),
                        what + ": accepted and stored as " + now);
                expect(!"true".equals(userAttribute("zoe", "phoneNumberVerified")), what + ": verified");
                current = now;
            } else {
                if (strings) {
                    checkRefused(what, response, "phoneNumber");
                } else { // not a list of strings: Keycloak's own parsing refuses it
                    checkJson(what, response, null);
                    expect(response.statusCode() / 100 == 4, what + ": HTTP " + response.statusCode());
                }
                expect(normalized == null, what + ": a valid number was refused: " + excerpt(response.body(), 200));
                expect(Objects.equals(current, userAttribute("zoe", "phoneNumber")), what + ": stored " + userAttribute("zoe", "phoneNumber")
                        + " instead of " + current);
            }
        }
        finish();
    }

    /** The E.164 an accepted value must be stored as (the numbers of PHONES that are valid and not blocked), else null. */
    private static String normalizedOrNull(JsonNode value) {
        if (!value.isArray() || value.size() != 1 || !value.get(0).isTextual()) {
            return null;
        }
        String v = value.get(0).asText();
        return List.of("+1 415 555 2699", "+1.415.555.2699", "+1-415-555-2699", "+1 (415) 555-2699", "+1 415 555 2699 ext. 12",
                "tel:+1-415-555-2699", "+14155552699\u0000").contains(v) ? "+14155552699" : null;
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /**
     * A visitor posting one form again and again; when a post left it without that form (an error
     * page, which the checks report), it starts over, so that one failure does not hide the rest.
     */
    private static final class Session {
        private final String form;
        private final java.util.function.Supplier<RawVisitor> start;
        RawVisitor visitor;

        Session(String form, java.util.function.Supplier<RawVisitor> start) {
            this.form = form;
            this.start = start;
            this.visitor = start.get();
        }

        RawVisitor post(String body) {
            if (!visitor.hasForm(form)) {
                visitor = start.get();
            }
            return visitor.submitRaw(form, body);
        }
    }

    private RawVisitor signIn(String username) {
        RawVisitor visitor = new RawVisitor().open(LOGIN).submit("kc-form-login", Map.of("username", username, "password", username + "-password"));
        expect(visitor.hasForm("phone-otp-form"), username + ": no code page after the password: " + text(visitor.page()));
        return visitor;
    }

    /** The field twice: a valid value and a hostile one, in both orders, and two hostile ones. */
    private static List<String> repeated(String field, String valid) {
        String v = URLEncoder.encode(valid, StandardCharsets.UTF_8);
        return List.of(field + "=" + v + "&" + field + "=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                field + "=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&" + field + "=" + v,
                field + "=%00&" + field + "=" + "A".repeat(10_240),
                field + "=&" + field + "=" + v);
    }

    private static String body(String body) {
        return "body " + excerpt(body, 100);
    }

    private Map<String, String> attributes(String username) {
        var rep = realm.admin().users().get(userId(username)).toRepresentation();
        Map<String, String> attributes = new java.util.TreeMap<>();
        if (rep.getAttributes() != null) {
            rep.getAttributes().forEach((k, v) -> attributes.put(k, String.valueOf(v)));
        }
        attributes.put("(required actions)", String.valueOf(rep.getRequiredActions()));
        return attributes;
    }

    /** A page of the login: no 5xx, no Java text, nothing reflected raw, and one of the expected messages. */
    private void checkPage(String what, RawVisitor visitor, List<String> expected) {
        check(what, visitor.status(), visitor.page());
        if (visitor.location() == null && expected.stream().noneMatch(visitor.page()::contains)) {
            problem(what, "HTTP " + visitor.status() + ", none of " + expected + " on the page: " + text(visitor.page()));
        }
    }

    private void check(String what, int status, String page) {
        check(what, status, page, true);
    }

    /** @param html whether the answer is a page (JSON answers may quote a value: they are not rendered as HTML) */
    private void check(String what, int status, String page, boolean html) {
        if (status >= 500) {
            problem(what, "HTTP " + status + ": " + text(page));
        }
        Matcher java = JAVA_TEXT.matcher(page);
        if (java.find()) {
            problem(what, "Java text in the answer: ..." + page.substring(Math.max(0, java.start() - 100), Math.min(page.length(), java.end() + 200)));
        }
        for (String markup : html ? RAW_MARKUP : List.<String>of()) {
            int at = page.indexOf(markup);
            if (at >= 0) {
                problem(what, "reflected unescaped: ..." + page.substring(Math.max(0, at - 120), Math.min(page.length(), at + 80)));
            }
        }
    }

    /** An admin answer: no 5xx, no Java text, JSON; with {@code field}, a 400 whose error names it. */
    private void checkJson(String what, HttpResponse<String> response, String field) {
        check(what, response.statusCode(), response.body(), false);
        String type = response.headers().firstValue("content-type").orElse("");
        if (!response.body().isEmpty() && !type.startsWith("application/json")) {
            problem(what, "HTTP " + response.statusCode() + " answered with " + type + ": " + excerpt(response.body(), 200));
        }
        if (field != null) {
            checkRefused(what, response, field);
        }
    }

    private void checkRefused(String what, HttpResponse<String> response, String field) {
        check(what, response.statusCode(), response.body(), false);
        if (!response.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
            problem(what, "not answered with JSON: " + response.headers().firstValue("content-type").orElse("(no type)"));
        }
        if (response.statusCode() != 400) {
            problem(what, "HTTP " + response.statusCode() + " instead of 400: " + excerpt(response.body(), 300));
            return;
        }
        try {
            JsonNode error = JSON.readTree(response.body());
            String text = error.has("error") ? error.get("error").asText()
                    : error.has("field") ? error.get("field").asText() + " " + error.path("errorMessage").asText()
                    : error.toString();
            if (!text.contains(field)) {
                problem(what, "the error does not name " + field + ": " + excerpt(response.body(), 300));
            }
        } catch (Exception e) {
            problem(what, "400 without a JSON error: " + excerpt(response.body(), 300));
        }
    }

    private void putProvider(String channel, String what, String body, String field, boolean mayBeAccepted, JsonNode stored) throws Exception {
        String admin = admin();
        what = "PUT providers/" + channel + " " + what;
        HttpResponse<String> response = AdminRest.put(PROVIDERS + channel, admin, body);
        if (mayBeAccepted && response.statusCode() == 200) {
            checkJson(what, response, null);
        } else if (field != null) {
            checkRefused(what, response, field);
        } else {
            checkJson(what, response, null);
            if (response.statusCode() != 400) {
                problem(what, "HTTP " + response.statusCode() + " instead of 400: " + excerpt(response.body(), 300));
            }
        }
        JsonNode after = JSON.readTree(AdminRest.get(PROVIDERS + channel, admin).body());
        if (!stored.equals(after)) {
            problem(what, "the settings changed: " + excerpt(after.toString(), 300));
            AdminRest.put(PROVIDERS + channel, admin, stored.toString());
        }
    }

    /** A token that may be a token: accepted or refused naming authToken; if accepted, never shown again; then the vault reference back. */
    private void putSecret(String channel, String token, String body, JsonNode stored) throws Exception {
        String admin = admin();
        String what = "PUT providers/" + channel + " authToken=" + excerpt(token, 60);
        HttpResponse<String> response = AdminRest.put(PROVIDERS + channel, admin, body);
        if (response.statusCode() != 200) {
            checkRefused(what, response, "authToken");
            return;
        }
        checkJson(what, response, null);
        String shown = AdminRest.get(PROVIDERS + channel, admin).body();
        expect(!response.body().contains(token) && !shown.contains(token) && "**********".equals(JSON.readTree(shown).path("authToken").asText()),
                what + ": the stored token is shown: " + excerpt(shown, 300));
        HttpResponse<String> back = AdminRest.put(PROVIDERS + channel, admin, stored.toString());
        expect(back.statusCode() == 200 && stored.equals(JSON.readTree(AdminRest.get(PROVIDERS + channel, admin).body())),
                what + ": the settings could not be put back: " + excerpt(back.body(), 300));
    }

    private ObjectNode storedPolicy(String admin) throws Exception {
        ObjectNode policy = (ObjectNode) JSON.readTree(AdminRest.get(POLICY, admin).body());
        policy.remove("warnings");
        return policy;
    }

    private void expectUnchanged(String what, JsonNode before, JsonNode after) throws Exception {
        if (!before.equals(after)) {
            problem(what, "the policy changed: " + excerpt(after.toString(), 300));
            AdminRest.put(POLICY, admin(), before.toString());
        }
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null || node.isMissingNode() ? NODES.nullNode() : node;
    }

    private static List<JsonNode> hostileJsonStrings() {
        return TEXT.stream().filter(h -> h.value() != null).map(h -> (JsonNode) NODES.textNode(h.value())).toList();
    }

    /** The numbers of PHONES that are not written in E.164 (a premium-rate number in E.164 is well-formed). */
    private static List<JsonNode> phoneJsonStrings() {
        return PHONES.stream().filter(h -> !h.name().equals("premium rate")).map(h -> (JsonNode) NODES.textNode(h.value())).toList();
    }

    /** Values of the wrong JSON type for a string field. */
    private static List<JsonNode> wrongTypes() {
        return List.of(NODES.numberNode(14155552699L), NODES.numberNode(1.5), NODES.booleanNode(true), NODES.arrayNode(),
                NODES.arrayNode().add("+14155552699"), NODES.objectNode(), NODES.objectNode().put("value", "+14155552699"));
    }

    private static ObjectNode voices(String language, String voice) {
        ObjectNode voices = NODES.objectNode();
        voices.put(language, voice);
        return voices;
    }

    private static String describe(JsonNode value) {
        String text = value.toString();
        return excerpt(text, 60);
    }

    private static String excerpt(String s, int max) {
        String visible = s.replace("\u0000", "\\0").replace("\r", "\\r").replace("\n", "\\n");
        return visible.length() <= max ? visible : visible.substring(0, max) + "...(" + s.length() + " chars)";
    }

    /** The visible text of a page, roughly: its messages and headings. */
    private static String text(String page) {
        String body = page.replaceAll("(?s)<script.*?</script>", " ").replaceAll("(?s)<[^>]*>", " ").replaceAll("\\s+", " ").trim();
        return excerpt(body, 400);
    }

    private void expect(boolean condition, String problem) {
        if (!condition) {
            problems.add(problem);
        }
    }

    private void problem(String what, String problem) {
        problems.add(what + ": " + problem);
    }

    /** Fails with every problem met, and with errors the server logged during the test. */
    private void finish() throws Exception {
        List<String> logged = serverErrors();
        logged.forEach(line -> problems.add("server log: " + line));
        assertTrue(problems.isEmpty(), problems.size() + " problems:\n" + String.join("\n", problems.stream().map(p -> excerpt(p, 700)).toList()));
    }

    /** Lines the server logged at ERROR, or with a stack trace, since this test began. */
    private List<String> serverErrors() throws Exception {
        if (!Files.exists(PhoneOtpServerConfig.SERVER_LOG)) {
            return List.of();
        }
        byte[] all = Files.readAllBytes(PhoneOtpServerConfig.SERVER_LOG);
        String log = new String(all, (int) Math.min(logStart, all.length), (int) (all.length - Math.min(logStart, all.length)), StandardCharsets.UTF_8);
        Predicate<String> error = line -> line.contains(" ERROR ") || line.startsWith("\tat ") || line.contains("Exception:");
        return log.lines().filter(error).map(line -> excerpt(line, 400)).distinct().limit(40).toList();
    }
}
