package io.phoneotp.keycloak.it;

import io.phoneotp.keycloak.it.page.CodePage;
import io.phoneotp.keycloak.it.page.RegistrationPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.ui.page.LoginPage;
import org.keycloak.testframework.ui.webdriver.ManagedWebDriver;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Account Console, a JavaScript application, in headless Chromium (Debian's chromium and
 * chromium-driver, which .ci/run installs): under two-factor authentication the user sets up their
 * phone number, sees it masked, and removes it.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class AccountConsoleTest extends PhoneOtpTestBase {

    private static final String SIGNING_IN = "http://localhost:8080/realms/" + REALM + "/account/account-security/signing-in";
    /** The pages of the sign-in, in Chromium (the suite's own browser, HtmlUnit, does not run the Account Console). */
    private LoginPage chromeLogin;
    private CodePage chromeCode;
    private RegistrationPage chromeRegistration;

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    private static WebDriver chrome() {
        return CHROMIUM.driver();
    }

    @Test
    void theUserSetsUpTheirPhoneNumberChangesItThenRemovesIt() {
        ManagedWebDriver pages = new ManagedWebDriver(chrome());
        chromeLogin = pages.page().createPage(LoginPage.class);
        chromeCode = pages.page().createPage(CodePage.class);
        chromeRegistration = pages.page().createPage(RegistrationPage.class);
        chrome().manage().deleteAllCookies();
        chrome().get(SIGNING_IN);
        signIn("uma");

        // "Phone number" under two-factor authentication, not set up yet
        WebElement list = waitFor(By.cssSelector("[data-testid='phone-otp/credential-list']"));
        assertEquals("Phone number", chrome().findElement(By.cssSelector("[data-testid='phone-otp/title']")).getText());
        assertTrue(list.findElements(By.cssSelector("div[id^='cred-']")).isEmpty());

        chrome().findElement(By.cssSelector("[data-testid='phone-otp/create']")).click();
        register("+14155552699");

        // back in the Account Console: one phone, shown masked
        List<WebElement> rows = waitForRows();
        assertEquals(1, rows.size());
        assertEquals("+*********99", rows.get(0).findElement(By.cssSelector("[data-testrole='label'] > div")).getText());
        assertFalse(chrome().getPageSource().contains("+14155552699"), "the full number is not on the page");
        assertEquals("+14155552699", userAttribute("uma", "phoneNumber"));
        assertEquals("true", userAttribute("uma", "phoneNumberVerified"));

        // changing it needs a sign-in that passed the second factor: this one had the password only
        rows.get(0).findElement(By.cssSelector("button[data-testrole='update']")).click();
        waitFor(By.id("phone-otp-sign-in-again"));
        assertTrue(chrome().findElement(By.tagName("body")).getText().contains("sign in again with your second factor"));
        chrome().findElement(By.id("phone-otp-sign-in-again")).click();
        signIn("uma");
        waitFor(By.id("phone-otp-form"));
        chromeCode.submitCode(twilio.lastMessageTo("+14155552699").code());
        register("+14155552689");

        waitForLabel("+*********89");
        rows = waitForRows();
        assertEquals("+14155552689", userAttribute("uma", "phoneNumber"));
        assertTrue(twilio.lastMessageTo("+14155552699").body().contains("ending in 89"), "the old number is told");

        rows.get(0).findElement(By.cssSelector("button[data-testrole='remove']")).click();
        waitFor(By.id("kc-accept")).click();

        waitFor(By.cssSelector("[data-testid='phone-otp/not-set-up']"));
        assertNull(userAttribute("uma", "phoneNumber"));
        assertNull(userAttribute("uma", "phoneNumberVerified"));
        assertFalse(storedCredentialTypes("uma").contains("phone-otp"));
    }

    private void signIn(String username) {
        waitFor(By.id("username"));
        chromeLogin.fillLogin(username, username + "-password");
        chromeLogin.submit();
    }

    /** The registration page, as the Account Console's "Set up" and "Update" open it. */
    private void register(String number) {
        waitFor(By.id("phone-otp-register-form"));
        chromeRegistration.enterNumber(number);
        waitFor(By.id("code"));
        chromeRegistration.confirm(twilio.lastMessageTo(number).code());
    }

    private List<WebElement> waitForRows() {
        return new WebDriverWait(chrome(), Duration.ofSeconds(30)).until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector("[data-testid='phone-otp/credential-list'] div[id^='cred-']"));
            return found.isEmpty() ? null : found;
        });
    }

    /** Waits until the first phone row shows {@code label}; fails when it does not within 30 seconds. */
    private void waitForLabel(String label) {
        new WebDriverWait(chrome(), Duration.ofSeconds(30)).withMessage("the phone row shows " + label).until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector("[data-testid='phone-otp/credential-list'] div[id^='cred-'] [data-testrole='label'] > div"));
            return !found.isEmpty() && label.equals(found.get(0).getText());
        });
    }

    private WebElement waitFor(By locator) {
        return new WebDriverWait(chrome(), Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }
}
