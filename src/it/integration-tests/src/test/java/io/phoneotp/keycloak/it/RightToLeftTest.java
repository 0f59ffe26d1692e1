package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arabic and Persian pages in Chromium, under the default keycloak.v2 login theme and the legacy
 * keycloak theme: the page runs right to left, and a phone number inside a sentence keeps its own
 * left-to-right order. Screenshots of each are kept in target/screenshots (rtl-*.png).
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class RightToLeftTest extends PhoneOtpTestBase {

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    @AfterEach
    void defaultTheme() {
        var rep = realm.admin().toRepresentation();
        rep.setLoginTheme(null);
        realm.admin().update(rep);
    }

    @Test
    void theCodePageReadsRightToLeftWithTheNumberInItsOwnOrder() {
        var rep = realm.admin().toRepresentation();
        rep.setSupportedLocales(new TreeSet<>(List.of("en", "de", "ar", "fa")));
        realm.admin().update(rep);
        List<String> problems = new ArrayList<>();
        for (String theme : List.of("keycloak.v2", "keycloak")) {
            rep = realm.admin().toRepresentation();
            rep.setLoginTheme(theme);
            realm.admin().update(rep);
            for (String language : List.of("ar", "fa")) {
                WebDriver chrome = CHROMIUM.driver();
                chrome.manage().window().setSize(new Dimension(412, 915)); // a phone's screen
                realm.admin().logoutAll();
                chrome.get("http://localhost:8080/realms/" + REALM + "/");
                chrome.manage().deleteAllCookies();
                chrome.get(RawVisitor.LOGIN + "&ui_locales=" + language);
                chrome.findElement(By.id("username")).sendKeys("alice");
                chrome.findElement(By.id("password")).sendKeys("alice-password");
                chrome.findElement(By.id("kc-login")).click();
                new WebDriverWait(chrome, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("phone-otp-form")));
                Chromium.screenshot(chrome, "rtl-" + theme + "-" + language + "-code-page");

                Properties texts = LanguagesTest.bundle(language);
                String where = theme + " " + language + ": ";
                JavascriptExecutor js = (JavascriptExecutor) chrome;
                if (!"rtl".equals(js.executeScript("return document.documentElement.dir"))) {
                    problems.add(where + "the page is not right to left");
                }
                WebElement sentTo = chrome.findElement(By.id("phone-otp-sent-to"));
                if (!"rtl".equals(js.executeScript("return getComputedStyle(arguments[0]).direction", sentTo))) {
                    problems.add(where + "the sentence runs left to right");
                }
                // the masked number as the eye reads it: its characters from left to right on the screen
                String shown = (String) js.executeScript(NUMBER_AS_DRAWN, sentTo, "+*********71");
                if (!"+*********71".equals(shown)) {
                    problems.add(where + "the number is drawn as " + shown);
                }
                // the legacy theme shows the signed-in username in place of the page title, as on Keycloak's own pages
                String title = texts.getProperty("phoneOtpCodeTitle");
                if (theme.equals("keycloak.v2") && !chrome.findElement(By.tagName("body")).getText().contains(title)) {
                    problems.add(where + "no title " + title);
                }
                Object misplaced = js.executeScript(MISPLACED);
                if (!"".equals(misplaced)) {
                    problems.add(where + misplaced);
                }
                WebElement code = chrome.findElement(By.id("code"));
                code.sendKeys(twilio.lastMessageTo("+14155552671").code());
                chrome.findElement(By.id("kc-login")).click();
                new WebDriverWait(chrome, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().startsWith(FakeTwilio.BASE_URL + "/callback"));
                twilio.reset();
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /**
     * The registration action's page under keycloak.v2, in Arabic and Persian: the full number
     * typed (no stars to anchor it) is drawn in its own left-to-right order in both sentences that
     * name it, "+" first: on a phone's screen waiting for a code, and on a desktop's waiting for a
     * link (where the Arabic screenshots of RegistrationLinkTest seemed to show "14155552771+").
     */
    @Test
    void theRegistrationPageDrawsTheFullNumberInItsOwnOrder() {
        var rep = realm.admin().toRepresentation();
        rep.setSupportedLocales(new TreeSet<>(List.of("en", "de", "ar", "fa")));
        rep.setLoginTheme("keycloak.v2");
        realm.admin().update(rep);
        frontendUrl("http://localhost:8080"); // links go out only under a fixed host
        List<String> problems = new ArrayList<>();
        int user = 0;
        try {
            for (String mode : List.of("code", "link")) {
                for (String language : List.of("ar", "fa")) {
                    var action = new org.keycloak.representations.idm.RequiredActionConfigRepresentation();
                    action.setConfig(java.util.Map.of("deliveryMode", mode));
                    realm.admin().flows().updateRequiredActionConfig("phone-number-config", action);
                    String username = "rtl-register-" + mode + "-" + language;
                    String number = "+1415555280" + (user++);
                    createRegisteringUser(username, null);

                    WebDriver chrome = CHROMIUM.driver();
                    chrome.manage().window().setSize(mode.equals("code") ? new Dimension(412, 915) : new Dimension(1920, 937)); // a phone's, a desktop's
                    chrome.get("http://localhost:8080/realms/" + REALM + "/");
                    chrome.manage().deleteAllCookies();
                    chrome.get(RawVisitor.LOGIN + "&ui_locales=" + language);
                    chrome.findElement(By.id("username")).sendKeys(username);
                    chrome.findElement(By.id("password")).sendKeys(username + "-password");
                    chrome.findElement(By.id("kc-login")).click();
                    new WebDriverWait(chrome, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("phoneNumber")));
                    chrome.findElement(By.id("phoneNumber")).sendKeys(number);
                    chrome.findElement(By.id("phone-otp-send-code")).click();
                    new WebDriverWait(chrome, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("phone-otp-number-to-save")));
                    Chromium.screenshot(chrome, "rtl-keycloak.v2-" + language + "-registration-" + mode + "-page");

                    JavascriptExecutor js = (JavascriptExecutor) chrome;
                    for (String paragraph : List.of("phone-otp-sent-to", "phone-otp-number-to-save")) {
                        WebElement element = chrome.findElement(By.id(paragraph));
                        String shown = (String) js.executeScript(NUMBER_AS_DRAWN, element, number);
                        if (!number.equals(shown)) {
                            problems.add("keycloak.v2 " + language + ", " + mode + ", " + paragraph + ": the number is drawn as " + shown + " in "
                                    + js.executeScript(CODE_POINTS, element));
                        }
                    }
                    twilio.reset();
                }
            }
        } finally {
            realm.admin().flows().removeRequiredActionConfig("phone-number-config");
            frontendUrl(null);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The element's text as code points, to tell whether the number is isolated (U+2066 ... U+2069). */
    private static final String CODE_POINTS = "return Array.from(arguments[0].textContent).map(c => c.codePointAt(0).toString(16)).join(' ')";

    /** Texts and controls of the page that are drawn off the screen, or aligned to the left on this right-to-left page. */
    private static final String MISPLACED = """
            const found = [];
            const root = document.querySelector('#kc-content') || document.querySelector('main');
            for (const e of root.querySelectorAll('p, label, input:not([type=hidden]), button, a')) {
              const r = e.getBoundingClientRect();
              if (r.width === 0) continue;
              const style = getComputedStyle(e);
              if (r.left < -1 || r.right > innerWidth + 1) found.push((e.id || e.tagName) + ' is drawn at ' + Math.round(r.left) + '..' + Math.round(r.right));
              if (e.tagName === 'P' && style.textAlign === 'left') found.push((e.id || 'p') + ' is aligned left (' + style.display + ')');
            }
            return found.join('; ');
            """;

    /**
     * Finds the text node holding {@code arguments[1]} inside {@code arguments[0]} and returns its
     * characters sorted by where the browser drew them, left to right.
     */
    private static final String NUMBER_AS_DRAWN = """
            const walker = document.createTreeWalker(arguments[0], NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
              const at = node.data.indexOf(arguments[1]);
              if (at < 0) continue;
              const drawn = [];
              for (let i = at; i < at + arguments[1].length; i++) {
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                drawn.push([range.getBoundingClientRect().left, node.data[i]]);
              }
              drawn.sort((a, b) => a[0] - b[0]);
              return drawn.map(d => d[1]).join('');
            }
            return 'not found';
            """;
}
