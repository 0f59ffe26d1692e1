package io.phoneotp.bench;

import dasniko.testcontainers.keycloak.KeycloakContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.Testcontainers;
import org.testcontainers.junit.jupiter.Container;

import java.io.File;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official Keycloak image with exactly the packaged jar in {@code providers/} (testcontainers-keycloak), Twilio's
 * API replaced by the benchmark's fake on this machine, reached from the container as
 * {@code host.testcontainers.internal}. One realm set up through the admin REST API as an administrator would
 * (the benchmark's {@code Setup}), then one sign-in through the real login pages: password, then the code the fake
 * received (the benchmark's {@code Visitor}).
 *
 * <p>In package {@code io.phoneotp.bench} to reuse those package-private classes. Without a Docker engine the class is
 * reported as skipped, never as passed.
 */
@org.testcontainers.junit.jupiter.Testcontainers(disabledWithoutDocker = true)
class ContainerSignInTest {

    private static final CodeBox CODES = new CodeBox();
    private static final Users USERS = new Users(2);
    private static FakeTwilio twilio;

    @Container
    private static final KeycloakContainer KEYCLOAK = keycloak();

    private static KeycloakContainer keycloak() {
        try {
            // Before the container starts: it is given the fake's port.
            twilio = new FakeTwilio(CODES);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        int port = Integer.parseInt(twilio.baseUrl().substring(twilio.baseUrl().lastIndexOf(':') + 1));
        Testcontainers.exposeHostPorts(port);
        File jar = new File(System.getProperty("containers.jar", ""));
        if (!jar.isFile()) {
            throw new IllegalStateException("no provider jar at '" + jar + "': run through the parent build (mvn -B -Pcontainers verify)");
        }
        return new KeycloakContainer("quay.io/keycloak/keycloak:" + System.getProperty("keycloak.version", "26.7.3"))
                .withProviderLibsFrom(List.of(jar))
                .withAccessToHost(true)
                .withEnv("KC_SPI_PHONE_OTP_SENDER__TWILIO__API_BASE_URL", "http://host.testcontainers.internal:" + port);
    }

    @BeforeAll
    static void realm() throws Exception {
        new Setup(new AdminApi(KEYCLOAK.getAuthServerUrl()), USERS).realm(Variant.SMS_TWILIO);
    }

    @AfterAll
    static void stopTwilio() {
        if (twilio != null) {
            twilio.close();
        }
    }

    @Test
    void signsInWithTheCodeOfATextMessageSentThroughTwilio() {
        Visitor visitor = new Visitor(KEYCLOAK.getAuthServerUrl().replaceAll("/$", ""), CODES, USERS);
        Visitor.Result result = visitor.signIn(Variant.SMS_TWILIO, 0);
        assertTrue(result.ok(), "signed in: " + result.error());
        assertEquals(1, twilio.messages.get(), "one text message, through the fake Twilio");
    }
}
