package io.phoneotp.keycloak.it;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.AuthenticationExecutionInfoRepresentation;
import org.keycloak.representations.idm.AuthenticatorConfigRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectHttpServer;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.ui.annotations.InjectWebDriver;
import org.keycloak.testframework.ui.webdriver.ManagedWebDriver;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every browser test needs: the test realm (imported from phone-otp-test-realm.json, the same
 * shape as the demo realm), the fake Twilio, and the steps a person takes on the login pages.
 */
abstract class PhoneOtpTestBase {

    static final String REALM = "phone-otp-test";
    static final String FORMS_FLOW = "browser-phone-otp forms";
    static final String SECOND_FACTOR_FLOW = "browser-phone-otp second factor";
    /** The SMS step's settings as phone-otp-test-realm.json has them; restored after each test. */
    static final Map<String, String> SMS_STEP_DEFAULTS = Map.of("codeLength", "6", "codeTtlSeconds", "300", "maxAttempts", "3",
            "maxSends", "3", "resendCooldownSeconds", "30", "allowRegistrationDuringLogin", "true", "showInfoBeforeRegistration", "true");

    @InjectRealm(fromJson = "/phone-otp-test-realm.json", config = FreshRealmId.class)
    ManagedRealm realm;

    @InjectAdminClient
    Keycloak adminClient;

    @InjectWebDriver
    ManagedWebDriver driver;

    @InjectHttpServer
    HttpServer httpServer;

    FakeTwilio twilio;

    @BeforeEach
    void startFresh() {
        twilio = FakeTwilio.on(httpServer);
        twilio.reset();
        newVisitor();
    }

    /** A new visitor: no SSO session, no cookies (they are deleted for Keycloak's host, so it is opened first). */
    void newVisitor() {
        realm.admin().logoutAll();
        driver.open("http://localhost:8080/realms/" + REALM + "/");
        driver.driver().manage().deleteAllCookies();
    }

    @AfterEach
    void restoreFlow() {
        policy(Map.of("allowedCountries", List.of(), "maxSendsPerNumberPerHour", 1000, "maxSendsPerUserPerHour", 1000,
                "maxSendsPerIpPerHour", 1000, "maxSendsPerRealmPerHour", 10000, "maxSendsPerPrefixPerHour", 1000));
        smsStepConfig(SMS_STEP_DEFAULTS);
        requirement(FORMS_FLOW, SECOND_FACTOR_FLOW, "CONDITIONAL");
        requirement(SECOND_FACTOR_FLOW, "conditional-user-configured", "REQUIRED");
        requirement(SECOND_FACTOR_FLOW, "phone-otp-sms", "ALTERNATIVE");
        requirement(SECOND_FACTOR_FLOW, "auth-otp-form", "ALTERNATIVE");
        requirement(SECOND_FACTOR_FLOW, "phone-otp-voice", "ALTERNATIVE");
        policy(Map.of("defaultCountry", "", "notifyOldNumber", true, "uniqueNumbers", true));
    }

    // ---- the steps a person takes -------------------------------------------------------------

    void openLogin() {
        driver.open("http://localhost:8080/realms/" + REALM + "/protocol/openid-connect/auth?client_id=test-app"
                + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8500%2Fcallback&response_type=code&scope=openid&prompt=login");
    }

    private String lastUser;

    /** The user of the last sign-in, for reading their events. */
    String lastUser() {
        return lastUser;
    }

    void signInWithPassword(String username) {
        lastUser = username;
        openLogin();
        type("username", username);
        type("password", username + "-password");
        driver.findElement(By.id("kc-login")).click();
    }

    static final String CALLBACK = "http%3A%2F%2F127.0.0.1%3A8500%2Fcallback";

    /** What an application does to let the user register or change their number: {@code kc_action=phone-number-config}. */
    void startPhoneAction() {
        driver.open("http://localhost:8080/realms/" + REALM + "/protocol/openid-connect/auth?client_id=test-app"
                + "&redirect_uri=" + CALLBACK + "&response_type=code&scope=openid&kc_action=phone-number-config");
    }

    /** Signs in to test-app again on the existing SSO session (no prompt=login). */
    void openAppAgain() {
        driver.open("http://localhost:8080/realms/" + REALM + "/protocol/openid-connect/auth?client_id=test-app"
                + "&redirect_uri=" + CALLBACK + "&response_type=code&scope=openid");
    }

    boolean onRegistrationPage() {
        return !driver.driver().findElements(By.id("phone-otp-register-form")).isEmpty();
    }

    void enterNumber(String number) {
        type("phoneNumber", number);
        driver.findElement(By.id("phone-otp-send-code")).click();
    }

    void confirmNumber(String code) {
        type("code", code);
        driver.findElement(By.id("phone-otp-confirm")).click();
    }

    /** The status Keycloak hands back to the application after kc_action, or null. */
    String kcActionStatus() {
        String url = driver.getCurrentUrl();
        var m = java.util.regex.Pattern.compile("[?&]kc_action_status=([a-z]+)").matcher(url);
        return m.find() ? m.group(1) : null;
    }

    void submitCode(String code) {
        type("code", code);
        driver.findElement(By.id("kc-login")).click();
    }

    /**
     * Presses "Send a new code" even while the page's countdown keeps it disabled: what the
     * server does with the request is what these tests check.
     */
    void resend() {
        pressEvenIfDisabled("phone-otp-resend");
    }

    /** Presses "Call me instead" / "Send a text message instead", likewise. */
    void switchChannel() {
        pressEvenIfDisabled("phone-otp-switch-channel");
    }

    private void pressEvenIfDisabled(String id) {
        ((org.openqa.selenium.JavascriptExecutor) driver.driver()).executeScript("document.getElementById(arguments[0]).disabled = false;", id);
        driver.findElement(By.id(id)).click();
    }

    void reload() {
        driver.driver().navigate().refresh();
    }

    void type(String id, String value) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    String pageText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    boolean onCodePage() {
        return !driver.driver().findElements(By.id("phone-otp-form")).isEmpty();
    }

    boolean signedIn() {
        return driver.getCurrentUrl().startsWith(FakeTwilio.BASE_URL + "/callback") && driver.getCurrentUrl().contains("code=");
    }

    // ---- administration -----------------------------------------------------------------------

    static final String POLICY = "/admin/realms/" + REALM + "/phone-otp/policy";

    /** A token of the suite's administrator (master realm). */
    String admin() {
        return adminClient.tokenManager().getAccessTokenString();
    }

    /** A PUT that must be refused with 400 and an error message that starts with the offending field. */
    void assertRefused(String path, String json, String field) {
        try {
            var response = AdminRest.put(path, admin(), json);
            org.junit.jupiter.api.Assertions.assertEquals(400, response.statusCode(), response.body());
            String error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("error").asText();
            org.junit.jupiter.api.Assertions.assertTrue(error.startsWith(field), response.body());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Changes keys of the realm's phone policy through the admin REST resource, as an administrator would. */
    void policy(Map<String, Object> changes) {
        try {
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            String token = admin();
            Map<String, Object> policy = json.readValue(AdminRest.get(POLICY, token).body(), Map.class);
            policy.putAll(changes);
            var response = AdminRest.put(POLICY, token, json.writeValueAsString(policy));
            if (response.statusCode() != 200) {
                throw new AssertionError("policy refused: " + response.body());
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Changes the SMS step's settings for one test; the realm is re-imported for the next test class. */
    void smsStepConfig(Map<String, String> changes) {
        AuthenticationExecutionInfoRepresentation execution = smsExecution();
        AuthenticatorConfigRepresentation config = realm.admin().flows().getAuthenticatorConfig(execution.getAuthenticationConfig());
        Map<String, String> values = new HashMap<>(config.getConfig());
        values.putAll(changes);
        config.setConfig(values);
        realm.admin().flows().updateAuthenticatorConfig(config.getId(), config);
    }

    /** Changes the settings of a step found by flow alias and authenticator id (the realm is fresh for each test class). */
    void stepConfig(String flowAlias, String authenticator, Map<String, String> changes) {
        AuthenticationExecutionInfoRepresentation execution = realm.admin().flows().getExecutions(flowAlias).stream()
                .filter(e -> authenticator.equals(e.getProviderId())).findFirst().orElseThrow();
        AuthenticatorConfigRepresentation config = realm.admin().flows().getAuthenticatorConfig(execution.getAuthenticationConfig());
        Map<String, String> values = new HashMap<>(config.getConfig());
        values.putAll(changes);
        config.setConfig(values);
        realm.admin().flows().updateAuthenticatorConfig(config.getId(), config);
    }

    /** Makes the SMS step the one REQUIRED second factor, for users with and without a number. */
    void requireSmsForEveryone() {
        requirement(FORMS_FLOW, SECOND_FACTOR_FLOW, "REQUIRED");
        requirement(SECOND_FACTOR_FLOW, "conditional-user-configured", "DISABLED");
        requirement(SECOND_FACTOR_FLOW, "auth-otp-form", "DISABLED");
        requirement(SECOND_FACTOR_FLOW, "phone-otp-voice", "DISABLED");
        requirement(SECOND_FACTOR_FLOW, "phone-otp-sms", "REQUIRED");
    }

    /** Sets the requirement of an execution, found by authenticator id or, for a sub-flow, by its alias. */
    void requirement(String flowAlias, String authenticatorOrSubflow, String requirement) {
        AuthenticationExecutionInfoRepresentation execution = realm.admin().flows().getExecutions(flowAlias).stream()
                .filter(e -> e.getLevel() == 0)
                .filter(e -> authenticatorOrSubflow.equals(e.getProviderId()) || authenticatorOrSubflow.equals(e.getDisplayName()))
                .findFirst().orElseThrow();
        if (!requirement.equals(execution.getRequirement())) {
            execution.setRequirement(requirement);
            realm.admin().flows().updateExecutions(flowAlias, execution);
        }
    }

    AuthenticationExecutionInfoRepresentation smsExecution() {
        return realm.admin().flows().getExecutions(SECOND_FACTOR_FLOW).stream()
                .filter(e -> "phone-otp-sms".equals(e.getProviderId()))
                .findFirst().orElseThrow();
    }

    String userAttribute(String username, String attribute) {
        var user = realm.admin().users().get(userId(username)).toRepresentation();
        List<String> values = user.getAttributes() == null ? null : user.getAttributes().get(attribute);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    String userId(String username) {
        return realm.admin().users().search(username, true).get(0).getId();
    }

    /** The stored credentials of a user, as the admin console lists them. */
    List<String> storedCredentialTypes(String username) {
        return realm.admin().users().get(userId(username)).credentials().stream().map(c -> c.getType()).toList();
    }

    void setAttribute(String username, String attribute, String value) {
        var user = realm.admin().users().get(userId(username));
        var rep = user.toRepresentation();
        rep.singleAttribute(attribute, value);
        user.update(rep);
    }

    List<EventRepresentation> events(String username, String type) {
        return realm.admin().getEvents(List.of(type), null, userId(username), null, null, null, 0, 100);
    }
}
