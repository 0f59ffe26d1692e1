package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Security tests of the sign-in links (deliveryMode link): what an attacker can do with them. */
@org.keycloak.testframework.annotations.KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class LinkAttackTest extends PhoneOtpTestBase {

    private static final String TINA = "+14155552682";
    private static final String CAROL = "+14155552672";
    private static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
            + " Version/17.4 Mobile/15E148 Safari/604.1";
    private static final String PASSWORDLESS_CODE = "passwordless-phone code";

    @org.keycloak.testframework.remote.timeoffset.InjectTimeOffSet
    org.keycloak.testframework.remote.timeoffset.TimeOffSet timeOffSet;

    @org.junit.jupiter.api.BeforeEach
    void generousLimitsAndAFixedHost() {
        policy(Map.of("maxSendsPerNumberPerHour", 1000, "maxSendsPerUserPerHour", 1000, "maxSendsPerIpPerHour", 1000,
                "maxSendsPerRealmPerHour", 10000, "maxSendsPerPrefixPerHour", 1000));
        frontendUrl("http://localhost:8080"); // links go out only under a fixed host
    }

    @AfterEach
    void restorePasswordless() {
        stepConfig(PASSWORDLESS_CODE, "phone-otp-sms", Map.of("deliveryMode", "code", "resendCooldownSeconds", "30"));
        frontendUrl(null);
    }

    private void passwordlessLinks() {
        bindBrowserFlow("passwordless-phone");
        stepConfig(PASSWORDLESS_CODE, "phone-otp-sms", Map.of("deliveryMode", "link"));
    }

    private static RawVisitor identify(RawVisitor visitor, String identifier) {
        return visitor.open(RawVisitor.LOGIN).submit("phone-otp-identify-form", Map.of("username", identifier));
    }

    private static RawVisitor pressContinue(RawVisitor browser) {
        return browser.submit("phone-otp-form", Map.of("linkContinue", "true"));
    }

    /**
     * Passwordless + link: knowing a username is enough to put "Is this you signing in?" on the
     * victim's phone, and the device it names is whatever User-Agent the attacker sends (here the
     * victim's own kind of phone). One tap of "Yes, it is me" signs the attacker in. With codes the
     * victim would have to read the code out to the attacker.
     */
    @Test
    void aUsernameAndOneMistakenYesSignInTheAttackerWhoChoseTheDeviceThePhoneShows() {
        passwordlessLinks();
        RawVisitor attacker = identify(new RawVisitor("203.0.113.9").header("User-Agent", IPHONE), "tina");
        String link = twilio.awaitText(TINA, 1).link();

        RawVisitor victimsPhone = new RawVisitor().header("User-Agent", IPHONE).open(link);
        String question = victimsPhone.page();
        assertTrue(question.contains("Is this you signing in?"), question);
        assertTrue(question.contains("on iOS"), "the page names the device the attacker claims: " + question);
        assertFalse(question.contains("203.0.113"), "no address or place the victim could check");
        victimsPhone.submit("phone-otp-link-form", Map.of("confirm", "Yes, it is me"));

        assertTrue(pressContinue(attacker).signedIn(), "the attacker, who knew only a username, is signed in");
    }

    /**
     * After "No, deny" on the phone ("The waiting sign-in has been stopped."), the waiting browser
     * cannot go on by another way: the attacker never lets the SMS step see the answer, asks for
     * another way and picks the call, and meets the denial there too; nothing more is sent.
     */
    @Test
    void aDeniedSignInEndsWhicheverStepItReaches() {
        passwordlessLinks();
        RawVisitor attacker = identify(new RawVisitor(), "tina");
        RawVisitor victimsPhone = new RawVisitor().open(twilio.awaitText(TINA, 1).link());
        victimsPhone.submit("phone-otp-link-form", Map.of("deny", "true"));
        assertTrue(victimsPhone.page().contains("The waiting sign-in has been stopped."), victimsPhone.page());

        String voice = realm.admin().flows().getExecutions(PASSWORDLESS_CODE).stream()
                .filter(e -> "phone-otp-voice".equals(e.getProviderId())).findFirst().orElseThrow().getId();
        attacker.submit("kc-select-try-another-way-form", Map.of("tryAnotherWay", "on"));
        attacker.submit("kc-select-credential-form", Map.of("authenticationExecution", voice));

        assertTrue(attacker.page().contains("This sign-in was denied"), "the call step ends it too: " + attacker.page());
        assertFalse(attacker.hasForm("phone-otp-form"), attacker.page());
        assertEquals(1, twilio.requests().size(), "nothing more went to the victim's phone: " + twilio.requests());
    }

    /** The device line is the attacker's text (User-Agent): it must not become markup on the phone's page. */
    @Test
    void aUserAgentWithMarkupIsShownAsText() {
        smsStepConfig(Map.of("deliveryMode", "link"));
        String[] agents = {"<img src=x onerror=alert(1)>/1.0", "Mozilla/5.0 (<svg onload=alert(1)>) <b>bold</b>/1.0",
                "Mozilla/5.0 (Windows NT 10.0) \"><script>alert(1)</script> Chrome/120.0", "Googlebot\"><i>x</i>/2.1"};
        for (String agent : agents) {
            twilio.reset();
            new RawVisitor().header("User-Agent", agent).open(RawVisitor.LOGIN)
                    .submit("kc-form-login", Map.of("username", "carol", "password", "carol-password"));
            String page = new RawVisitor().open(twilio.awaitText(CAROL, 1).link()).page();
            assertTrue(page.contains("Is this you signing in?"), page);
            Matcher line = Pattern.compile("id=\"phone-otp-link-sign-in\"[^>]*>(.*?)</p>", Pattern.DOTALL).matcher(page);
            assertTrue(line.find(), page);
            assertFalse(line.group(1).contains("<"), agent + " -> " + line.group(1));
        }
    }

    /** Many confirmations of one link at once: one wins. */
    @Test
    void manyConfirmationsAtOnceHaveOneWinner() {
        smsStepConfig(Map.of("deliveryMode", "link"));
        new RawVisitor().open(RawVisitor.LOGIN).submit("kc-form-login", Map.of("username", "carol", "password", "carol-password"));
        RawVisitor phone = new RawVisitor().open(twilio.awaitText(CAROL, 1).link());
        List<HttpResponse<String>> answers = phone.submitAtOnce("phone-otp-link-form", Map.of("confirm", "true"), 12);
        long confirmed = answers.stream().filter(r -> r.body().contains("Sign-in confirmed.")).count();
        long invalid = answers.stream().filter(r -> r.statusCode() == 400 && r.body().contains("This link is invalid")).count();
        assertEquals(1, confirmed);
        assertEquals(11, invalid);
    }

    /** Odd methods, bodies and tokens: never a 5xx, never a stack trace. */
    @Test
    void oddRequestsGetNoServerError() throws Exception {
        smsStepConfig(Map.of("deliveryMode", "link"));
        new RawVisitor().open(RawVisitor.LOGIN).submit("kc-form-login", Map.of("username", "carol", "password", "carol-password"));
        String link = twilio.awaitText(CAROL, 1).link();
        String base = link.substring(0, link.lastIndexOf('/') + 1);
        String statusBase = base.replace("/link/", "/link-status");
        HttpClient http = HttpClient.newHttpClient();
        List<HttpRequest> requests = List.of(
                HttpRequest.newBuilder(URI.create(link)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"confirm\":1}")).build(),
                HttpRequest.newBuilder(URI.create(link)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                // (a broken multipart or percent-escaped form body is a 500 from Keycloak's own form parser, on its own forms too)
                HttpRequest.newBuilder(URI.create(link)).header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("confirmed=1&denied=1&Confirm=1")).build(),
                HttpRequest.newBuilder(URI.create(link)).PUT(HttpRequest.BodyPublishers.ofString("confirm")).build(),
                HttpRequest.newBuilder(URI.create(link)).DELETE().build(),
                HttpRequest.newBuilder(URI.create(base + "A".repeat(6000))).GET().build(),
                HttpRequest.newBuilder(URI.create(base + "%00%ff%2F..%2F")).GET().build(),
                HttpRequest.newBuilder(URI.create(base + "%E2%80%AE" + "A".repeat(21))).GET().build(),
                HttpRequest.newBuilder(URI.create(statusBase)).GET().build(),
                HttpRequest.newBuilder(URI.create(statusBase + "?tab_id=")).GET().build(),
                HttpRequest.newBuilder(URI.create(statusBase + "?tab_id=x&tab_id=y")).header("Cookie", "AUTH_SESSION_ID=%00; KC_AUTH_SESSION_HASH=x").GET().build(),
                HttpRequest.newBuilder(URI.create(statusBase + "?tab_id=x")).POST(HttpRequest.BodyPublishers.noBody()).build());
        StringBuilder failures = new StringBuilder();
        for (HttpRequest request : requests) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            if (response.statusCode() >= 500 || body.contains("at org.") || body.contains("Exception")
                    || response.headers().allValues("set-cookie").stream().anyMatch(c -> c.startsWith("x="))) {
                failures.append(request.method()).append(' ').append(request.uri().toString(), 0, Math.min(150, request.uri().toString().length()))
                        .append(" -> ").append(response.statusCode()).append(' ').append(body, 0, Math.min(300, body.length())).append('\n');
            }
        }
        assertEquals("", failures.toString());
        // and the link still works after all that
        RawVisitor phone = new RawVisitor().open(link);
        assertTrue(phone.page().contains("Is this you signing in?"), phone.page());
    }

    /** Passwordless + link for an account and for no account: the same pages, and the same status answers. */
    @Test
    void anUnknownAccountGetsTheSamePagesInLinkMode() {
        passwordlessLinks();
        stepConfig(PASSWORDLESS_CODE, "phone-otp-sms", Map.of("resendCooldownSeconds", "0"));
        RawVisitor known = identify(new RawVisitor(), "tina");
        RawVisitor unknown = identify(new RawVisitor(), "nobody-at-all");
        assertEquals(SamePage.comparable(known.page()), SamePage.comparable(unknown.page()));
        assertEquals(SamePage.comparable(pressContinue(known).page()), SamePage.comparable(pressContinue(unknown).page()));
        Map<String, String> resend = Map.of("resend", "true");
        assertEquals(SamePage.comparable(known.submit("phone-otp-form", resend).page()),
                SamePage.comparable(unknown.submit("phone-otp-form", resend).page()));
        assertEquals(SamePage.comparable(known.submit("phone-otp-form", Map.of("code", "123456")).page()),
                SamePage.comparable(unknown.submit("phone-otp-form", Map.of("code", "123456")).page()));
    }

    /** What the waiting page's script learns, asked with the browser's own cookies; the browser's page stays. */
    private static String status(RawVisitor browser) {
        String page = browser.page();
        java.util.regex.Matcher url = java.util.regex.Pattern.compile("data-status-url=\"([^\"]+)\"").matcher(page);
        assertTrue(url.find(), "the waiting page asks for its link's status: " + page);
        String json = browser.open(url.group(1).replace("&amp;", "&")).page();
        browser.restore(page);
        java.util.regex.Matcher status = java.util.regex.Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"").matcher(json);
        assertTrue(status.find(), json);
        return status.group(1);
    }

    /**
     * Passwordless + link: an account's link and no account's (never stored) expire alike, so the
     * waiting page's status and its Continue tell nobody which one waits.
     */
    @Test
    void anUnknownAccountsLinkExpiresAsAnAccountsDoes() {
        passwordlessLinks();
        RawVisitor known = identify(new RawVisitor(), "tina");
        RawVisitor unknown = identify(new RawVisitor(), "nobody-at-all");
        assertEquals("waiting", status(known));
        assertEquals("waiting", status(unknown));

        timeOffSet.set(601); // beyond the step's code lifetime, within the login's

        assertEquals("expired", status(known));
        assertEquals("expired", status(unknown));
        assertEquals(SamePage.comparable(pressContinue(known).page()), SamePage.comparable(pressContinue(unknown).page()));
        assertTrue(known.page().contains("The link has expired."), known.page());
    }

    /**
     * The phone page's language menu: GET link/<anything>?kc_locale=<value> writes the value into
     * Keycloak's locale cookie as it is, for any token (no valid link needed), where Keycloak's own
     * pages only take a language the realm offers. A quote ends the cookie's value and what follows
     * becomes cookie attributes of the attacker's choosing; a line break is a 500.
     */
    @Test
    void theLanguageMenuWritesAnyValueIntoTheLocaleCookie() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = AdminRest.SERVER + "/realms/" + REALM + "/phone-otp/link/not-a-token";
        String keycloaksOwn = http.send(HttpRequest.newBuilder(URI.create(RawVisitor.LOGIN + "&kc_locale=evil")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).headers().allValues("set-cookie").stream()
                .filter(c -> c.startsWith("KEYCLOAK_LOCALE")).findFirst().orElse("(none)");

        HttpResponse<String> injected = http.send(HttpRequest.newBuilder(URI.create(base + "?kc_locale="
                + java.net.URLEncoder.encode("de\";Max-Age=315360000;Path=/;x=\"", java.nio.charset.StandardCharsets.UTF_8))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = injected.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("KEYCLOAK_LOCALE")).findFirst().orElse("(none)");
        HttpResponse<String> lineBreak = http.send(HttpRequest.newBuilder(URI.create(base + "?kc_locale=de%0d%0aX-Injected:%201")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        String seen = "Keycloak's login page with kc_locale=evil: " + keycloaksOwn + "\nlink page with a quote: " + injected.statusCode()
                + " " + cookie + "\nlink page with CRLF: " + lineBreak.statusCode() + " " + lineBreak.body();
        assertFalse(cookie.contains("Max-Age=315360000"), seen);
        assertTrue(lineBreak.statusCode() < 500, seen);
    }
}
