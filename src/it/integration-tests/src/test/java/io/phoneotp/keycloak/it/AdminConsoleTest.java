package io.phoneotp.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keycloak's admin console in headless Chromium: the tabs this extension adds under Realm settings
 * (declarative UI) show the realm's stored settings, refuse what the REST resource refuses with the
 * same message, store what they save where the REST resource reads it, and send a test message.
 * Screenshots of each state are kept in target/screenshots.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class AdminConsoleTest extends PhoneOtpTestBase {

    private static final String CONSOLE = "http://localhost:8080/admin/%s/console/#/" + REALM + "/realm-settings/%s";
    private final ObjectMapper json = new ObjectMapper();

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    private static WebDriver chrome() {
        return CHROMIUM.driver();
    }

    @AfterEach
    void restoreImportedSettings() throws Exception {
        assertEquals(200, AdminRest.put(ProviderSettingsAdminTest.SMS, admin(), ProviderSettingsAdminTest.VAULT_SETTINGS).statusCode());
    }

    @Test
    void theAdministratorSeesTheSettingsIsToldWhatIsWrongSavesAndSendsATestMessage() throws Exception {
        openAsAdmin("phone-otp-sms");
        WebElement sid = field("accountSid");
        waitForValue("accountSid", FakeTwilio.ACCOUNT_SID);
        assertEquals("+15005550006", field("from").getAttribute("value"));
        assertEquals("${vault.twilio-token}", field("authToken").getAttribute("value"), "a vault reference is shown as written");
        Chromium.screenshot(chrome(), "admin-console-1-sms-tab");

        retype(sid, "AC123");
        save();
        String refusal = alert("admin-console-2-bad-sid-refused");
        assertTrue(refusal.contains("Account SID (accountSid) "), "the message names the field: " + refusal);
        assertEquals(FakeTwilio.ACCOUNT_SID, stored().get("accountSid").asText(), "nothing was stored");

        retype(sid, FakeTwilio.ACCOUNT_SID);
        retype(field("from"), "+15005550007");
        retype(field("testTo"), "+14155550123");
        save();
        String saved = alert("admin-console-3-saved");
        assertFalse(saved.toLowerCase().contains("could not"), saved);

        JsonNode stored = stored();
        assertEquals("+15005550007", stored.get("from").asText(), "the REST resource reads what the console saved");
        assertEquals("${vault.twilio-token}", stored.get("authToken").asText(), "the mask kept the stored token");
        FakeTwilio.Recorded test = twilio.lastMessageTo("+14155550123");
        assertEquals("+15005550007", test.form().get("From"), "the test message went out with the saved settings");
        assertEquals(PhoneOtpServerConfig.VAULT_TOKEN, test.password());

        chrome().navigate().refresh();
        waitForValue("from", "+15005550007");
        String lastTest = field("lastTest").getAttribute("value");
        assertTrue(lastTest.startsWith("Test message to +*********23: sent, id SM"), lastTest);
        assertEquals("", field("testTo").getAttribute("value"), "the test number is not kept");
        assertFalse(chrome().getPageSource().contains("+14155550123"), "the full test number is nowhere on the page");
        Chromium.screenshot(chrome(), "admin-console-4-test-outcome");
    }

    @Test
    void aTokenTypedInTheConsoleIsUsedAndNeverShownAgain() throws Exception {
        openAsAdmin("phone-otp-sms");
        waitForValue("accountSid", FakeTwilio.ACCOUNT_SID);
        retype(field("authToken"), "typed-in-the-console");
        retype(field("testTo"), "+14155550124");
        save();
        alert(null);

        assertEquals("typed-in-the-console", twilio.lastMessageTo("+14155550124").password(), "the test message used the new token");
        assertEquals("**********", stored().get("authToken").asText());
        chrome().navigate().refresh();
        waitForValue("authToken", "**********");
        assertFalse(chrome().getPageSource().contains("typed-in-the-console"));
    }

    @Test
    void changesThroughTheRestResourceShowInTheTabsAndTheirsInTheResource() throws Exception {
        assertEquals(200, AdminRest.put(ProviderSettingsAdminTest.SMS, admin(),
                ProviderSettingsAdminTest.VAULT_SETTINGS.replace("+15005550006", "+15005550008")).statusCode());
        policy(Map.of("maxSendsPerNumberPerHour", 7, "allowedCountries", List.of("US", "CA")));
        assertEquals("7", tabComponent("phone-otp-policy").path("config").path("maxSendsPerNumberPerHour").path(0).asText(),
                "the console's view of the policy follows the stored policy");

        openAsAdmin("phone-otp-sms");
        waitForValue("from", "+15005550008");

        chrome().get(String.format(CONSOLE, "master", "phone-otp-policy"));
        WebElement perNumber = waitForValue("maxSendsPerNumberPerHour", "7");
        Chromium.screenshot(chrome(), "admin-console-5-policy-tab");
        retype(perNumber, "0");
        save();
        String refusal = alert("admin-console-6-policy-refused");
        assertTrue(refusal.contains("Sends per number per hour (maxSendsPerNumberPerHour) must be between 1 and 1000000"), refusal);
        retype(perNumber, "8");
        save();
        alert(null);
        JsonNode policy = json.readTree(AdminRest.get(POLICY, admin()).body());
        assertEquals(8, policy.get("maxSendsPerNumberPerHour").asInt());
        assertEquals(java.util.Set.of("US", "CA"), java.util.Set.of(policy.get("allowedCountries").get(0).asText(),
                policy.get("allowedCountries").get(1).asText()), "what the tab did not change stays");
    }

    @Test
    void anAdministratorWhoMayOnlyViewTheRealmCannotChangeTheSettings() throws Exception {
        // the test realm's "viewer" has realm-management's view-realm role only
        String username = "viewer";
        open(REALM, "phone-otp-sms");
        signIn(username, username + "-password");
        waitForValue("from", "+15005550006");

        retype(field("from"), "+15005550007");
        save();
        String refusal = alert("admin-console-7-view-only-refused");
        assertTrue(refusal.toLowerCase().contains("could not"), refusal);
        assertEquals("+15005550006", stored().get("from").asText(), "nothing was stored");
    }

    /** The realm component in which the admin console keeps what a tab shows, as Keycloak's component API returns it. */
    private JsonNode tabComponent(String tab) throws Exception {
        JsonNode all = json.readTree(AdminRest.get("/admin/realms/" + REALM + "/components?type=org.keycloak.services.ui.extend.UiTabProvider",
                admin()).body());
        for (JsonNode component : all) {
            if (tab.equals(component.path("providerId").asText())) {
                return component;
            }
        }
        throw new AssertionError("no component for the tab " + tab + " in " + all);
    }

    private void openAsAdmin(String tab) {
        open("master", tab);
        signIn("admin", "admin");
    }

    /** A fresh start of the console (a new page load, no session), at one of our tabs. */
    private void open(String consoleRealm, String tab) {
        // cookies are deleted for the page's host: Keycloak's, then the console is loaded anew
        chrome().get("http://localhost:8080/realms/master/");
        chrome().manage().deleteAllCookies();
        chrome().get(String.format(CONSOLE, consoleRealm, tab));
    }

    private void signIn(String username, String password) {
        waitFor(By.id("username")).sendKeys(username);
        chrome().findElement(By.id("password")).sendKeys(password);
        chrome().findElement(By.id("kc-login")).click();
    }

    private JsonNode stored() throws Exception {
        return json.readTree(AdminRest.get(ProviderSettingsAdminTest.SMS, admin()).body());
    }

    /** The input of a field of the tab, by its property name. */
    private WebElement field(String name) {
        return new WebDriverWait(chrome(), Duration.ofSeconds(60)).withMessage("the field " + name)
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("input[data-testid='" + name + "'], input[id$='" + name + "']")));
    }

    private WebElement waitForValue(String name, String value) {
        WebElement input = field(name);
        new WebDriverWait(chrome(), Duration.ofSeconds(30)).withMessage(name + " shows " + value)
                .until(d -> value.equals(field(name).getAttribute("value")));
        return field(name);
    }

    private static void retype(WebElement input, String value) {
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        input.sendKeys(value);
    }

    private void save() {
        chrome().findElement(By.cssSelector("button[data-testid='save']")).click();
    }

    /**
     * The text of the alert the console shows after a save, with a screenshot of it unless {@code screenshot} is null;
     * the alert is closed, so that the next save shows its own.
     */
    private String alert(String screenshot) {
        By title = By.cssSelector(".pf-v5-c-alert__title");
        String text = waitFor(title).getText();
        if (screenshot != null) {
            Chromium.screenshot(chrome(), screenshot);
        }
        for (WebElement close : chrome().findElements(By.cssSelector(".pf-v5-c-alert__action button"))) {
            close.click();
        }
        new WebDriverWait(chrome(), Duration.ofSeconds(30)).until(ExpectedConditions.invisibilityOfElementLocated(title));
        return text;
    }

    private WebElement waitFor(By locator) {
        return new WebDriverWait(chrome(), Duration.ofSeconds(60)).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }
}
