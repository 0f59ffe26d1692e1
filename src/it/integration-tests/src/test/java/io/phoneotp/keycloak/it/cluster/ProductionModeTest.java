package io.phoneotp.keycloak.it.cluster;

import io.phoneotp.keycloak.it.FakeTwilio;
import io.phoneotp.keycloak.it.RawVisitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar as an operator installs it in production: the real distribution, exactly the shaded jar in
 * providers/, {@code kc.sh build --db=postgres --health-enabled=true --metrics-enabled=true}, then
 * {@code kc.sh start --optimized} on PostgreSQL with a hostname (HTTP on 127.0.0.1:8080, management on 9000).
 */
@Tag("cluster")
@Order(1)
class ProductionModeTest {

    /**
     * The warnings Keycloak 26.7.3 prints for every provider of an SPI it declares internal: one per
     * factory, from DefaultKeycloakSessionFactory, for any class outside the org.keycloak packages.
     * Keycloak offers no way to declare such a provider supported (see README "Production mode and cluster").
     */
    static final Set<String> INTERNAL_SPI_NOTICES = Set.of(
            "phone-otp (io.phoneotp.keycloak.admin.PhoneOtpAdminResourceProviderFactory) admin-realm-restapi-extension",
            "phone-otp (io.phoneotp.keycloak.link.LinkResourceProviderFactory) realm-restapi-extension",
            "phone-otp (io.phoneotp.keycloak.user.PhoneCredentialProviderFactory) credential",
            "phone-otp-condition (io.phoneotp.keycloak.flow.PhoneRegisteredConditionFactory) authenticator",
            "phone-otp-sms (io.phoneotp.keycloak.flow.SmsOtpAuthenticatorFactory) authenticator",
            "phone-otp-identify (io.phoneotp.keycloak.flow.IdentifyAuthenticatorFactory) authenticator",
            "phone-otp-voice (io.phoneotp.keycloak.flow.VoiceOtpAuthenticatorFactory) authenticator",
            "phone-number-config (io.phoneotp.keycloak.registration.PhoneNumberConfigActionFactory) required-action",
            "phone-otp-number (io.phoneotp.keycloak.user.PhoneNumberValidator) validator",
            "phone-otp-removal (io.phoneotp.keycloak.user.PhoneRemovalListenerFactory) eventsListener",
            // the admin console's tabs: noticed by the build even where the declarative-ui feature is off (then unused)
            "phone-otp-sms (io.phoneotp.keycloak.admin.SenderTabFactory$Sms) ui-tab",
            "phone-otp-voice (io.phoneotp.keycloak.admin.SenderTabFactory$Voice) ui-tab",
            "phone-otp-policy (io.phoneotp.keycloak.admin.PolicyTabFactory) ui-tab");
    private static final Pattern NOTICE = Pattern.compile("KC-SERVICES0047: (\\S+ \\(\\S+\\)) is implementing the internal SPI (\\S+)\\.");
    /** The one warning the same distribution's build prints without any provider installed. */
    private static final String KEYCLOAKS_OWN_WARNING = "[org.keycloak.common.Profile]";
    private static final String ALICE = "+14155552671";

    static BuiltDistribution dist;
    static KeycloakNode server;

    @BeforeAll
    static void buildAndStart() {
        Postgres.emptyOnce();
        dist = BuiltDistribution.get();
        server = new KeycloakNode("production", dist.home, 8080, 9000, 7800).start();
        LocalServices.importTestRealm();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void theBuildWarnsOfNothingButTheInternalSpisOurProvidersImplement() throws Exception {
        assertEquals(-1, Files.mismatch(dist.jar, dist.installedJar), "providers/ holds exactly the packaged jar");
        List<String> warnings = dist.buildOutput.stream().filter(l -> l.contains(" WARN ")).toList();
        Set<String> notices = warnings.stream().map(NOTICE::matcher).filter(Matcher::find)
                .map(m -> m.group(1) + " " + m.group(2)).collect(Collectors.toSet());
        assertEquals(INTERNAL_SPI_NOTICES, notices, "one notice per provider of an internal SPI");
        List<String> others = warnings.stream().filter(l -> !NOTICE.matcher(l).find()).toList();
        assertTrue(others.stream().allMatch(l -> l.contains(KEYCLOAKS_OWN_WARNING) && !l.contains("phone")),
                "a warning beyond Keycloak's own deprecation notice: " + others);
        assertTrue(dist.buildOutput.stream().noneMatch(l -> l.contains(" ERROR ")), String.join("\n", dist.buildOutput));
    }

    @Test
    void theServerStartsCleanlyInProductionMode() throws Exception {
        List<String> log = server.log();
        assertTrue(log.stream().anyMatch(l -> l.contains("Keycloak 26.7.3 on JVM") && l.contains("started")), String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.contains("Profile prod activated")), "not production mode: " + String.join("\n", log));
        assertEquals(List.of(), log.stream().filter(l -> l.contains(" ERROR ")).toList());

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:9000/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(ready.body().contains("\"UP\""), ready.body());
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:9000/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("jvm_"), "metrics are served");
    }

    @Test
    void aUserSignsInWithACodeByTextMessage() {
        FakeTwilio twilio = LocalServices.twilio();
        twilio.reset();
        RawVisitor alice = new RawVisitor().open(RawVisitor.LOGIN).submit("kc-form-login", Map.of("username", "alice", "password", "alice-password"));
        assertTrue(alice.hasForm("phone-otp-form"), "the code page: " + alice.page());

        FakeTwilio.Recorded text = twilio.awaitText(ALICE, 1);
        assertEquals(LocalServices.TWILIO_TOKEN, text.password(), "sent with the realm's Twilio account");
        alice.submit("phone-otp-form", Map.of("code", text.code()));

        assertTrue(alice.signedIn(), "signed in: " + alice.location() + " " + alice.page());
        assertEquals(1, twilio.requests().size());
        assertEquals(List.of(), server.log().stream().filter(l -> l.contains(" ERROR ")).toList());
    }

    /** With the server's hostname set (--hostname), a sign-in link names that host, whatever host a request claims. */
    @Test
    void aSignInLinkNamesTheServersHostname() {
        LocalServices.stepConfig(Map.of("deliveryMode", "link"));
        try {
            FakeTwilio twilio = LocalServices.twilio();
            twilio.reset();
            RawVisitor alice = new RawVisitor().open(RawVisitor.LOGIN).header("X-Forwarded-Host", "login.evil.example")
                    .submit("kc-form-login", Map.of("username", "alice", "password", "alice-password"));
            FakeTwilio.Recorded text = twilio.awaitText(ALICE, 1);
            assertTrue(text.body().contains("http://localhost:8080/realms/" + LocalServices.REALM + "/phone-otp/link/"), text.body());

            alice.open(text.link());

            assertTrue(alice.signedIn(), "the same browser continues: " + alice.location() + " " + alice.page());
        } finally {
            LocalServices.stepConfig(Map.of("deliveryMode", "code"));
        }
    }
}
