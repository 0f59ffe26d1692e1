package io.phoneotp.keycloak.it;

import com.sun.net.httpserver.HttpServer;
import io.phoneotp.keycloak.it.page.CodePage;
import io.phoneotp.keycloak.it.page.IdentifyPage;
import io.phoneotp.keycloak.it.page.NoticePage;
import io.phoneotp.keycloak.it.page.RegistrationPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.events.EventType;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.idm.AuthenticationExecutionInfoRepresentation;
import org.keycloak.representations.idm.AuthenticatorConfigRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectEvents;
import org.keycloak.testframework.annotations.InjectHttpServer;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.events.Events;
import org.keycloak.testframework.oauth.OAuthClient;
import org.keycloak.testframework.oauth.annotations.InjectOAuthClient;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.ui.annotations.InjectPage;
import org.keycloak.testframework.ui.annotations.InjectWebDriver;
import org.keycloak.testframework.ui.page.LoginPage;
import org.keycloak.testframework.ui.webdriver.ManagedWebDriver;
import org.keycloak.testsuite.util.oauth.AuthorizationEndpointResponse;
import org.openqa.selenium.By;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What every browser test needs: the test realm (imported from phone-otp-test-realm.json, the same
 * shape as the demo realm), the application that signs users in, the fake Twilio, the pages, and
 * the realm's events.
 */
abstract class PhoneOtpTestBase {

    static final String REALM = "phone-otp-test";
    static final String FORMS_FLOW = "browser-phone-otp forms";
    static final String SECOND_FACTOR_FLOW = "browser-phone-otp second factor";
    /** The SMS step's settings as phone-otp-test-realm.json has them; restored after each test. */
    static final Map<String, String> SMS_STEP_DEFAULTS = Map.of("codeLength", "6", "codeTtlSeconds", "300", "maxAttempts", "3",
            "maxSends", "3", "resendCooldownSeconds", "30", "allowRegistrationDuringLogin", "true", "showInfoBeforeRegistration", "true",
            "deliveryMode", "code");

    @InjectRealm(fromJson = "/phone-otp-test-realm.json", config = FreshRealmId.class)
    ManagedRealm realm;

    @InjectAdminClient
    Keycloak adminClient;

    @InjectWebDriver
    ManagedWebDriver driver;

    @InjectHttpServer
    HttpServer httpServer;

    @InjectOAuthClient(config = PhoneOtpApp.class)
    OAuthClient oauth;

    @InjectEvents
    Events events;

    @InjectPage
    LoginPage loginPage;

    @InjectPage
    CodePage codePage;

    @InjectPage
    IdentifyPage identifyPage;

    @InjectPage
    RegistrationPage registrationPage;

    @InjectPage
    NoticePage noticePage;

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

    /** Binds a flow as the realm's browser flow for one test; the next test starts with the usual bindings again. */
    void bindBrowserFlow(String alias) {
        var rep = realm.admin().toRepresentation();
        rep.setBrowserFlow(alias);
        realm.admin().update(rep);
    }

    @AfterEach
    void restoreFlow() {
        var bindings = realm.admin().toRepresentation();
        bindings.setBrowserFlow("browser-phone-otp");
        bindings.setResetCredentialsFlow("reset credentials");
        realm.admin().update(bindings);
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

    // ---- the application's side of a sign-in ---------------------------------------------------

    /** The application asks for a sign-in, always with the login page (prompt=login). */
    void openLogin() {
        oauth.loginForm().prompt("login").open();
    }

    void signInWithPassword(String username) {
        openLogin();
        loginPage.fillLogin(username, username + "-password");
        loginPage.submit();
    }

    /** What an application does to let the user register or change their number: {@code kc_action=phone-number-config}. */
    void startPhoneAction() {
        oauth.loginForm().kcAction("phone-number-config").open();
    }

    /** Signs in to the application again on the existing SSO session (no prompt=login). */
    void openAppAgain() {
        oauth.openLoginForm();
    }

    /** What the application received on its redirect URI, as the browser shows it now. */
    AuthorizationEndpointResponse callback() {
        return new AuthorizationEndpointResponse(oauth);
    }

    /** Whether the browser is back at the application with an authorization code. */
    boolean signedIn() {
        return callback().isSuccess();
    }

    /** The status Keycloak hands back to the application after kc_action, or null. */
    String kcActionStatus() {
        AuthorizationEndpointResponse response = callback();
        return response.isRedirected() ? response.getKcActionStatus() : null;
    }

    /**
     * What an application learns about the user's phone: the access token of a password grant
     * through the realm's client account-test, with Keycloak's built-in {@code phone} scope.
     */
    AccessToken phoneClaims(String username) {
        oauth.scope("phone");
        try {
            String token = oauth.passwordGrantRequest(username, username + "-password").client("account-test").send().getAccessToken();
            Assertions.assertNotNull(token, "no token for " + username);
            return oauth.parseToken(token, AccessToken.class);
        } finally {
            oauth.scope(null);
        }
    }

    /** A token of a user of the test realm, through the given client (password grant): what a script or an application holds. */
    String userToken(String username, String clientId) {
        String token = oauth.passwordGrantRequest(username, username + "-password").client(clientId).send().getAccessToken();
        Assertions.assertNotNull(token, "no token for " + username);
        return token;
    }

    /** A token of a user of the test realm through the realm's admin-cli client, as an administrator's script gets one. */
    String userToken(String username) {
        return userToken(username, "admin-cli");
    }

    void reload() {
        driver.driver().navigate().refresh();
    }

    String pageText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    // ---- events ------------------------------------------------------------------------------

    private final List<EventRepresentation> eventsSeen = new ArrayList<>();

    /** The latest event of this type about this user since the test started. */
    EventRepresentation lastEvent(String username, EventType type) {
        String userId = userId(username);
        return lastEvent(e -> userId.equals(e.getUserId()) && type.name().equals(e.getType()), type + " of " + username);
    }

    /** Every event of this test so far, oldest first. */
    List<EventRepresentation> eventsOfThisTest() {
        for (EventRepresentation e = events.poll(); e != null; e = events.poll()) {
            eventsSeen.add(e);
        }
        return List.copyOf(eventsSeen);
    }

    /** The latest event of this test that matches; waits up to five seconds for one to be stored. */
    EventRepresentation lastEvent(Predicate<EventRepresentation> matching, String what) {
        return Poll.until(Duration.ofSeconds(5), "no event: " + what,
                () -> eventsOfThisTest().stream().filter(matching).reduce((first, second) -> second));
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
            Assertions.assertEquals(400, response.statusCode(), response.body());
            String error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("error").asText();
            Assertions.assertTrue(error.startsWith(field), response.body());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets the realm's Frontend URL (Realm settings → General), or clears it with null. */
    void frontendUrl(String url) {
        var rep = realm.admin().toRepresentation();
        Map<String, String> attributes = new HashMap<>(rep.getAttributes() == null ? Map.of() : rep.getAttributes());
        attributes.put("frontendUrl", url == null ? "" : url);
        rep.setAttributes(attributes);
        realm.admin().update(rep);
    }

    /** A new user with a password ({@code <username>-password}) and an unverified phone number. */
    void createUser(String username, String number) {
        create(withPassword(username, number));
    }

    /**
     * A user whom the administrator asked to register a number (required action phone-number-config), with a password
     * ({@code <username>-password}) and a complete profile, so that the number page is the first after the password;
     * {@code number}, unverified, is the one the user has now, or null.
     */
    void createRegisteringUser(String username, String number) {
        var user = withPassword(username, number);
        user.setEmail(username + "@example.org");
        user.setEmailVerified(true);
        user.setFirstName("Registering");
        user.setLastName("User");
        user.setRequiredActions(List.of("phone-number-config"));
        create(user);
    }

    private static org.keycloak.representations.idm.UserRepresentation withPassword(String username, String number) {
        var user = new org.keycloak.representations.idm.UserRepresentation();
        user.setUsername(username);
        user.setEnabled(true);
        if (number != null) {
            user.singleAttribute("phoneNumber", number);
        }
        var password = new org.keycloak.representations.idm.CredentialRepresentation();
        password.setType("password");
        password.setValue(username + "-password");
        user.setCredentials(List.of(password));
        return user;
    }

    private void create(org.keycloak.representations.idm.UserRepresentation user) {
        try (var response = realm.admin().users().create(user)) {
            Assertions.assertEquals(201, response.getStatus());
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

    /** Changes the SMS step's settings for one test; {@link #restoreFlow} puts the defaults back. */
    void smsStepConfig(Map<String, String> changes) {
        stepConfig(SECOND_FACTOR_FLOW, "phone-otp-sms", changes);
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
}
