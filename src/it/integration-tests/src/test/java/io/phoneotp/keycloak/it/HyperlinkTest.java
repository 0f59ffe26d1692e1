package io.phoneotp.keycloak.it;

import io.phoneotp.keycloak.delivery.SmsLength;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.remote.timeoffset.InjectTimeOffSet;
import org.keycloak.testframework.remote.timeoffset.TimeOffSet;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deliveryMode link and both: the text message carries a link that completes the SMS step. The
 * waiting browser and the phone are independent clients, each with its own cookies, as they are
 * in life; the automatic continuation of the waiting page runs in Chromium.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class HyperlinkTest extends PhoneOtpTestBase {

    private static final String CAROL = "+14155552672";
    private static final String ERIN = "+14155552673";
    /** The user of the Arabic pages: a language chosen for a user's pages must not follow the other tests. */
    private static final String IVAN = "+14155552677";
    private static final String INVALID = "This link is invalid, used or expired.";

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    @InjectTimeOffSet
    TimeOffSet timeOffSet;

    /** Links go out only under a host the server fixes: this server has no hostname option, so the realm gets a Frontend URL. */
    @BeforeEach
    void fixedHost() {
        frontendUrl("http://localhost:8080");
    }

    @AfterEach
    void noFixedHost() {
        frontendUrl(null);
    }

    /**
     * Without a fixed host, Keycloak names the host a request claims: a link built from it could send
     * the victim to the attacker's site, which would then hold the token. So no link goes out, only a
     * code, and the server says why; with the Frontend URL, a forged host changes nothing.
     */
    @Test
    void aLinkNamesOnlyTheFixedHostAndWithoutOneACodeIsSentInstead() throws Exception {
        smsStepConfig(Map.of("deliveryMode", "link"));
        // the host is claimed on the post that sends the text (with it on the first page, the form would post to that host)
        new RawVisitor().open(RawVisitor.LOGIN).header("X-Forwarded-Host", "login.evil.example")
                .submit("kc-form-login", Map.of("username", "carol", "password", "carol-password"));
        String text = twilio.lastMessageTo(CAROL).body();
        assertTrue(text.startsWith("Tap to sign in to Phone OTP Test: http://localhost:8080/realms/"), "the realm's own host: " + text);

        frontendUrl(null);
        long logged = java.nio.file.Files.size(PhoneOtpServerConfig.SERVER_LOG);
        RawVisitor forged = new RawVisitor().open(RawVisitor.LOGIN).header("X-Forwarded-Host", "login.evil.example")
                .submit("kc-form-login", Map.of("username", "carol", "password", "carol-password"));
        text = twilio.lastMessageTo(CAROL).body();
        assertFalse(text.contains("http"), "no link under a claimed host: " + text);
        assertTrue(forged.page().contains("id=\"code\""), "the page asks for the code: " + forged.page());
        String log = java.nio.file.Files.readString(PhoneOtpServerConfig.SERVER_LOG).substring((int) logged);
        assertTrue(log.contains("neither the realm's Frontend URL nor the server's hostname is set"), log);
    }

    /** A browser that signs in with a password and now waits on the code page. */
    private static RawVisitor waitingBrowser(String username) {
        return new RawVisitor().open(RawVisitor.LOGIN).submit("kc-form-login", Map.of("username", username, "password", username + "-password"));
    }

    private String linkTo(String number) {
        return twilio.lastMessageTo(number).link();
    }

    /** Where the waiting page's script asks for the status of its own sign-in. */
    private static String statusUrl(RawVisitor browser) {
        Matcher url = Pattern.compile("data-status-url=\"([^\"]+)\"").matcher(browser.page());
        assertTrue(url.find(), "the waiting page asks for its link's status: " + browser.page());
        return url.group(1).replace("&amp;", "&");
    }

    /** What the waiting page's script learns: the status of its own sign-in, asked with its own cookies. */
    private static String status(RawVisitor browser, String statusUrl) {
        String json = browser.open(statusUrl).page();
        Matcher status = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"").matcher(json);
        assertTrue(status.find(), "status answer: " + browser.status() + " " + json);
        return status.group(1);
    }

    /** The same, from the waiting page the browser shows now (the status request leaves the browser's page behind). */
    private static String status(RawVisitor browser) {
        String page = browser.page();
        String url = statusUrl(browser);
        String status = status(browser, url);
        browser.restore(page);
        return status;
    }

    private static RawVisitor pressContinue(RawVisitor browser) {
        return browser.submit("phone-otp-form", Map.of("linkContinue", "true"));
    }

    @Test
    void theTextCarriesOnlyALinkAndTappingItInTheSigningInBrowserSignsInAtOnce() {
        smsStepConfig(Map.of("deliveryMode", "link"));
        RawVisitor browser = waitingBrowser("carol");
        String text = twilio.lastMessageTo(CAROL).body();
        assertTrue(browser.page().contains("We sent a sign-in link by text message to"), browser.page());
        assertFalse(browser.page().contains("id=\"code\""), "no code field in link mode");
        assertTrue(browser.page().contains("Tap the link sent to your phone") && browser.page().contains("Send a new link"), browser.page());
        assertTrue(text.startsWith("Tap to sign in to Phone OTP Test: http://localhost:8080/realms/" + REALM + "/phone-otp/link/"), text);
        assertEquals(1, SmsLength.of(text).segments(), text);

        browser.open(linkTo(CAROL));

        assertTrue(browser.signedIn(), "the same browser continues at once: " + browser.location() + " " + browser.page());
        EventRepresentation login = lastEvent("carol", org.keycloak.events.EventType.LOGIN);
        assertEquals("same_device", login.getDetails().get("phone_otp_link"));
        String masked = login.getDetails().get("phone_otp_phone");
        assertTrue(masked != null && masked.contains("*") && !masked.equals(CAROL), "the masked number: " + login.getDetails());
    }

    @Test
    void onAnotherDeviceThePhoneIsAskedAndOnlyItsConfirmationSignsTheWaitingBrowserIn() {
        smsStepConfig(Map.of("deliveryMode", "link"));
        RawVisitor browser = waitingBrowser("carol");
        String link = linkTo(CAROL);

        RawVisitor previewer = new RawVisitor().open(link);
        RawVisitor previewerAgain = new RawVisitor().open(link);
        assertTrue(previewer.page().contains("Is this you signing in?"), previewer.page());
        assertTrue(previewerAgain.page().contains("Sign-in to Phone OTP Test from "), "a GET consumes nothing: " + previewerAgain.page());
        assertEquals("waiting", status(browser));
        assertTrue(pressContinue(browser).page().contains("The link has not been confirmed yet."), "Continue before the phone answered");
        assertFalse(browser.signedIn());

        RawVisitor phone = new RawVisitor().open(link);
        phone.submit("phone-otp-link-form", Map.of("confirm", "Yes, it is me"));
        assertTrue(phone.page().contains("Sign-in confirmed."), phone.page());
        assertFalse(phone.signedIn(), "the phone itself is not signed in");

        assertEquals("confirmed", status(browser));
        assertTrue(pressContinue(browser).signedIn(), "the waiting browser continues: " + browser.page());
        assertEquals("other_device", lastEvent("carol", org.keycloak.events.EventType.LOGIN).getDetails().get("phone_otp_link"));
    }

    @Test
    void denyingOnThePhoneEndsTheWaitingSignInWithAMessageAndAnEvent() {
        smsStepConfig(Map.of("deliveryMode", "link"));
        RawVisitor browser = waitingBrowser("carol");
        RawVisitor phone = new RawVisitor().open(linkTo(CAROL));

        phone.submit("phone-otp-link-form", Map.of("deny", "true"));

        assertTrue(phone.page().contains("Sign-in denied. The waiting sign-in has been stopped."), phone.page());
        String carol = userId("carol");
        EventRepresentation denied = lastEvent(e -> carol.equals(e.getUserId()) && "LOGIN_ERROR".equals(e.getType())
                && "link_denied".equals(e.getError()), "link_denied of carol");
        assertEquals("link_denied", denied.getDetails().get("phone_otp_error"));
        assertEquals("sms", denied.getDetails().get("phone_otp_channel"));
        assertFalse(denied.getDetails().toString().contains(CAROL), "the number is masked: " + denied.getDetails());
        assertEquals("denied", status(browser));
        pressContinue(browser);
        assertTrue(browser.page().contains("This sign-in was denied on the phone that received the link."), browser.page());
        assertFalse(browser.signedIn());
        assertFalse(browser.hasForm("phone-otp-form"), "no code and no Continue: the sign-in is over");
        assertTrue(browser.page().contains("Sign in again"), browser.page());
    }

    @Test
    void anExpiredLinkAUsedLinkAndATamperedLinkGetOneAndTheSameAnswer() {
        smsStepConfig(Map.of("deliveryMode", "link"));
        RawVisitor browser = waitingBrowser("carol");
        String link = linkTo(CAROL);
        char last = link.charAt(link.length() - 1);
        String tampered = link.substring(0, link.length() - 1) + (last == 'A' ? 'B' : 'A');
        String otherRealm = link.replace("/realms/" + REALM + "/", "/realms/master/");

        RawVisitor forger = new RawVisitor().open(tampered);
        assertEquals(400, forger.status());
        assertTrue(forger.page().contains(INVALID), forger.page());
        assertFalse(forger.hasForm("phone-otp-link-form"));
        RawVisitor elsewhere = new RawVisitor().open(otherRealm);
        assertTrue(elsewhere.page().contains(INVALID) && elsewhere.status() == 400, "a link for one realm does nothing in another");

        new RawVisitor().open(link).submit("phone-otp-link-form", Map.of("confirm", "true"));
        RawVisitor second = new RawVisitor().open(link);
        assertTrue(second.page().contains(INVALID) && second.status() == 400, "used once: " + second.page());
        assertTrue(pressContinue(browser).signedIn());

        RawVisitor later = waitingBrowser("erin");
        String erinsLink = linkTo(ERIN);
        timeOffSet.set(301); // the code's lifetime is 300 seconds
        RawVisitor expired = new RawVisitor().open(erinsLink);
        assertTrue(expired.page().contains(INVALID) && expired.status() == 400, "expired: " + expired.page());
        assertFalse(expired.hasForm("phone-otp-link-form"));
        assertEquals("expired", status(later), "the waiting page is told that nothing can answer its link any more");
    }

    @Test
    void aLinkOfAnotherSignInNeverContinuesTheBrowserThatOpensIt() {
        smsStepConfig(Map.of("deliveryMode", "link"));
        RawVisitor first = waitingBrowser("carol");
        String carolsLink = linkTo(CAROL);
        RawVisitor second = waitingBrowser("erin");
        String secondsStatus = statusUrl(second);

        second.open(carolsLink);

        assertFalse(second.signedIn(), "another sign-in's link is only a question in this browser");
        assertTrue(second.page().contains("Is this you signing in?"), second.page());
        second.submit("phone-otp-link-form", Map.of("confirm", "true"));
        assertFalse(second.signedIn());
        assertEquals("waiting", status(second, secondsStatus), "the browser's own sign-in still waits for its own link");
        assertEquals("confirmed", status(first), "the confirmation belongs to the link's own sign-in");
        assertTrue(pressContinue(first).signedIn());
        assertEquals(404, new RawVisitor().open(secondsStatus).status(), "the status answers only the sign-in's own browser");
    }

    @Test
    void aResentLinkReplacesTheFirst() {
        smsStepConfig(Map.of("deliveryMode", "link", "resendCooldownSeconds", "0"));
        RawVisitor browser = waitingBrowser("carol");
        String first = linkTo(CAROL);
        browser.submit("phone-otp-form", Map.of("resend", "true"));
        assertTrue(browser.page().contains("A new link is on its way."), browser.page());
        String second = linkTo(CAROL);
        assertNotEquals(first, second);
        assertTrue(new RawVisitor().open(first).page().contains(INVALID), "the first link died with the resend");
        browser.open(second);
        assertTrue(browser.signedIn());
    }

    @Test
    void inBothModeTheTextCarriesCodeAndLinkAndEitherSignsIn() {
        smsStepConfig(Map.of("deliveryMode", "both"));
        RawVisitor byCode = waitingBrowser("carol");
        String text = twilio.lastMessageTo(CAROL).body();
        Matcher code = Pattern.compile("code is (\\d{6})").matcher(text);
        assertTrue(code.find(), text);
        assertTrue(text.contains("/phone-otp/link/"), text);
        assertTrue(byCode.page().contains("We sent a code and a sign-in link by text message to"), byCode.page());
        assertTrue(byCode.submit("phone-otp-form", Map.of("code", code.group(1))).signedIn(), "by the code");
        assertTrue(new RawVisitor().open(linkTo(CAROL)).page().contains(INVALID), "the code used the step: its link is dead too");

        RawVisitor byLink = waitingBrowser("erin");
        byLink.open(linkTo(ERIN));
        assertTrue(byLink.signedIn(), "by the link");
    }

    private static final String EXPIRED = "The link has expired. Ask for a new one below.";

    /**
     * Once the link's lifetime is over the waiting page is told so: its status says expired,
     * Continue says the link expired (not "tap it"), the page no longer waits or offers Continue,
     * and "Send a new link" starts over.
     */
    @Test
    void anExpiredLinkIsToldAsExpiredOnTheWaitingPageAndANewOneWorks() {
        smsStepConfig(Map.of("deliveryMode", "link", "resendCooldownSeconds", "0"));
        RawVisitor browser = waitingBrowser("carol");
        assertEquals("waiting", status(browser));

        timeOffSet.set(301); // the code's lifetime, and the link's, is 300 seconds

        assertEquals("expired", status(browser));
        pressContinue(browser);
        assertTrue(browser.page().contains(EXPIRED), browser.page());
        assertFalse(browser.page().contains("The link has not been confirmed yet."), browser.page());
        assertFalse(browser.page().contains("data-status-url"), "nothing left to wait for: " + browser.page());
        assertFalse(browser.page().contains("id=\"phone-otp-link-continue\""), "no Continue for a dead link: " + browser.page());
        assertFalse(browser.page().contains("id=\"code\""), "no field for a code that was never told: " + browser.page());
        assertFalse(browser.signedIn());

        browser.submit("phone-otp-form", Map.of("resend", "true"));
        assertTrue(browser.page().contains("A new link is on its way."), browser.page());
        assertFalse(browser.page().contains(EXPIRED), browser.page());
        assertEquals("waiting", status(browser));
        new RawVisitor().open(linkTo(CAROL)).submit("phone-otp-link-form", Map.of("confirm", "true"));
        assertTrue(pressContinue(browser).signedIn(), browser.page());
    }

    /** An answer given in time still counts after the lifetime is over: expired means nobody answered. */
    @Test
    void aConfirmationGivenInTimeIsNotToldAsExpired() {
        smsStepConfig(Map.of("deliveryMode", "link"));
        RawVisitor browser = waitingBrowser("erin");
        new RawVisitor().open(linkTo(ERIN)).submit("phone-otp-link-form", Map.of("confirm", "true"));

        timeOffSet.set(301);

        assertEquals("confirmed", status(browser));
        assertTrue(pressContinue(browser).signedIn(), browser.page());
    }

    /** Chromium at the waiting page: once the link expires, the script stops waiting and the page says so by itself. */
    @Test
    void theWaitingPageInChromiumTellsByItselfThatTheLinkExpired() {
        smsStepConfig(Map.of("deliveryMode", "link"));
        WebDriver chrome = CHROMIUM.driver();
        chrome.get("http://localhost:8080/realms/" + REALM + "/");
        chrome.manage().deleteAllCookies();
        chrome.get(RawVisitor.LOGIN);
        chrome.findElement(By.id("username")).sendKeys("carol");
        chrome.findElement(By.id("password")).sendKeys("carol-password");
        chrome.findElement(By.id("kc-login")).click();
        new WebDriverWait(chrome, Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("phone-otp-link-waiting")).isEmpty());
        // the countdown beside "Send a new link" speaks of a link, and its script still counts down
        new WebDriverWait(chrome, Duration.ofSeconds(10)).until(d -> d.findElement(By.id("phone-otp-resend-wait")).getText()
                .matches("You can ask for a new link in 2\\d seconds\\."));

        timeOffSet.set(301);

        new WebDriverWait(chrome, Duration.ofSeconds(15)).until(d -> !d.findElements(By.id("phone-otp-link-expired")).isEmpty());
        Chromium.screenshot(chrome, "hyperlink-2-expired-page");
        String text = chrome.findElement(By.tagName("body")).getText();
        assertTrue(text.contains(EXPIRED), text);
        assertTrue(chrome.findElements(By.id("phone-otp-link-waiting")).isEmpty(), "the page no longer waits");
        assertTrue(chrome.findElements(By.id("phone-otp-link-continue")).isEmpty(), "and offers no Continue");
    }

    /** In link mode the resend countdown says a new LINK can be asked for; in both mode the text also carries a code. */
    @Test
    void theResendCountdownOfALinkPageSpeaksOfALink() {
        smsStepConfig(Map.of("deliveryMode", "link", "resendCooldownSeconds", "30"));
        RawVisitor browser = waitingBrowser("carol");
        assertTrue(browser.page().contains("You can ask for a new link in "), browser.page());
        assertTrue(browser.page().contains("data-template=\"You can ask for a new link in {0} seconds.\""), browser.page());
        assertFalse(browser.page().contains("a new code in"), browser.page());

        smsStepConfig(Map.of("deliveryMode", "both", "resendCooldownSeconds", "30"));
        RawVisitor both = waitingBrowser("erin");
        assertTrue(both.page().contains("You can ask for a new code in "), both.page());
    }

    /** Every answer of the link endpoints (their URLs hold the token) says no-store: the question, the language switch, the answer, the dead link. */
    @Test
    void noAnswerOfTheLinkEndpointsIsKeptByACache() {
        smsStepConfig(Map.of("deliveryMode", "link"));
        waitingBrowser("carol");
        String link = linkTo(CAROL);
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest post = HttpRequest.newBuilder(URI.create(link)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("confirm=true")).build();
        Map<String, HttpRequest> requests = new java.util.LinkedHashMap<>();
        requests.put("the question", HttpRequest.newBuilder(URI.create(link)).GET().build());
        requests.put("the language menu's redirect", HttpRequest.newBuilder(URI.create(link + "?kc_locale=de")).GET().build());
        requests.put("the confirmation", post);
        requests.put("the used link's answer", post);
        requests.put("the used link's page", HttpRequest.newBuilder(URI.create(link)).GET().build());
        List<String> problems = new ArrayList<>();
        for (var request : requests.entrySet()) {
            try {
                HttpResponse<String> response = http.send(request.getValue(), HttpResponse.BodyHandlers.ofString());
                String cacheControl = response.headers().firstValue("Cache-Control").orElse("");
                if (!cacheControl.contains("no-store")) {
                    problems.add(request.getKey() + " (" + response.statusCode() + "): Cache-Control " + cacheControl);
                }
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /**
     * A switch to a call that a limit refuses changes nothing: the page still waits for the text's
     * link (no field for a call's code that was never placed), and that link still signs in.
     */
    @Test
    void aSwitchToACallRefusedByALimitLeavesThePageAndItsLinkAsTheyWere() {
        smsStepConfig(Map.of("deliveryMode", "link", "resendCooldownSeconds", "0"));
        String number = "+14155550189";
        createUser("hyperlink-limited", number);
        var account = realm.admin().users().search("hyperlink-limited", true).get(0);
        account.setEmail("hyperlink-limited@example.org"); // a complete profile: the realm's user profile would ask for these after the step
        account.setEmailVerified(true);
        account.setFirstName("Hyper");
        account.setLastName("Link");
        realm.admin().users().get(account.getId()).update(account);
        policy(Map.of("maxSendsPerNumberPerHour", 1));
        RawVisitor browser = waitingBrowser("hyperlink-limited");
        String link = linkTo(number);
        assertTrue(browser.page().contains("id=\"phone-otp-switch-channel\""), "the page offers a call: " + browser.page());

        browser.submit("phone-otp-form", Map.of("channel", "voice"));

        assertTrue(SendLimitsTest.TOO_MANY.matcher(browser.page()).find(), browser.page());
        assertTrue(twilio.callsTo(number).isEmpty(), "no call was placed");
        assertTrue(browser.page().contains("id=\"phone-otp-link-continue\""), "the page still waits for the text's link: " + browser.page());
        assertFalse(browser.page().contains("id=\"code\""), "no field for the code of a call never placed: " + browser.page());
        assertTrue(browser.page().contains("Send a new link"), browser.page());
        assertEquals("waiting", status(browser));

        new RawVisitor().open(link).submit("phone-otp-link-form", Map.of("confirm", "true"));
        assertTrue(pressContinue(browser).signedIn(), "the text's link still signs in: " + browser.page());
        assertEquals("sms", lastEvent("hyperlink-limited", org.keycloak.events.EventType.LOGIN).getDetails().get("phone_otp_channel"));
    }

    @Test
    void theWaitingPageInChromiumContinuesByItselfOnceThePhoneConfirms() {
        smsStepConfig(Map.of("deliveryMode", "link"));
        WebDriver chrome = CHROMIUM.driver();
        chrome.manage().deleteAllCookies();
        chrome.get(RawVisitor.LOGIN);
        chrome.findElement(By.id("username")).sendKeys("carol");
        chrome.findElement(By.id("password")).sendKeys("carol-password");
        chrome.findElement(By.id("kc-login")).click();
        new WebDriverWait(chrome, Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("phone-otp-link-waiting")).isEmpty());
        Chromium.screenshot(chrome, "hyperlink-1-waiting-page");

        RawVisitor phone = new RawVisitor().open(linkTo(CAROL));
        assertTrue(phone.page().contains("Chrome") && phone.page().contains("Linux"), "the waiting browser is named: " + phone.page());
        phone.submit("phone-otp-link-form", Map.of("confirm", "true"));

        new WebDriverWait(chrome, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().startsWith(FakeTwilio.BASE_URL + "/callback"));
        assertTrue(chrome.getCurrentUrl().contains("code="), chrome.getCurrentUrl());
    }

    @Test
    void theLinkPagesWorkUnderBothThemesAndRightToLeft() {
        smsStepConfig(Map.of("deliveryMode", "link"));
        var rep = realm.admin().toRepresentation();
        var locales = rep.getSupportedLocales();
        rep.setSupportedLocales(new TreeSet<>(List.of("en", "de", "ar", "fa")));
        realm.admin().update(rep);
        Properties arabic = LanguagesTest.bundle("ar");
        List<String> problems = new ArrayList<>();
        WebDriver chrome = CHROMIUM.driver();
        JavascriptExecutor js = (JavascriptExecutor) chrome;
        try {
            for (String theme : List.of("keycloak.v2", "keycloak")) {
                rep = realm.admin().toRepresentation();
                rep.setLoginTheme(theme);
                realm.admin().update(rep);
                realm.admin().logoutAll();
                chrome.get("http://localhost:8080/realms/" + REALM + "/");
                chrome.manage().deleteAllCookies();
                chrome.get(RawVisitor.LOGIN + "&ui_locales=ar");
                chrome.findElement(By.id("username")).sendKeys("ivan");
                chrome.findElement(By.id("password")).sendKeys("ivan-password");
                chrome.findElement(By.id("kc-login")).click();
                new WebDriverWait(chrome, Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("phone-otp-link-waiting")).isEmpty());
                Chromium.screenshot(chrome, "hyperlink-" + theme + "-ar-waiting-page");
                String where = theme + ": ";
                if (!chrome.getPageSource().contains("/login/" + theme + "/")) {
                    problems.add(where + "the waiting page is not rendered by the theme");
                }
                if (!"rtl".equals(js.executeScript("return document.documentElement.dir"))) {
                    problems.add(where + "the waiting page is not right to left");
                }
                // (the legacy theme shows the username in place of a known user's page title)
                if (!chrome.findElement(By.tagName("body")).getText().contains(arabic.getProperty("phoneOtpLinkWaiting"))) {
                    problems.add(where + "the waiting page does not say in Arabic that it waits");
                }

                String link = linkTo(IVAN);
                chrome.manage().deleteAllCookies(); // from here on the browser is the phone
                chrome.get(link + "?kc_locale=ar"); // the language menu's choice
                new WebDriverWait(chrome, Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("phone-otp-link-form")).isEmpty());
                Chromium.screenshot(chrome, "hyperlink-" + theme + "-ar-phone-page");
                if (!chrome.getPageSource().contains("/login/" + theme + "/")) {
                    problems.add(where + "the phone's page is not rendered by the theme");
                }
                if (!"rtl".equals(js.executeScript("return document.documentElement.dir"))) {
                    problems.add(where + "the phone's page is not right to left");
                }
                if (!chrome.findElement(By.tagName("body")).getText().contains(arabic.getProperty("phoneOtpLinkTitle"))) {
                    problems.add(where + "the phone's page does not ask in Arabic");
                }
                chrome.findElement(By.id("phone-otp-link-confirm")).click();
                new WebDriverWait(chrome, Duration.ofSeconds(10)).until(d -> d.findElements(By.id("phone-otp-link-form")).isEmpty());
                Chromium.screenshot(chrome, "hyperlink-" + theme + "-ar-confirmed");
                if (!chrome.findElement(By.tagName("body")).getText().contains(arabic.getProperty("phoneOtpLinkConfirmed").substring(0, 10))) {
                    problems.add(where + "the phone is not told in Arabic that the sign-in is confirmed");
                }
                twilio.reset();
            }
        } finally {
            rep = realm.admin().toRepresentation();
            rep.setLoginTheme(null);
            rep.setSupportedLocales(locales);
            realm.admin().update(rep);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
