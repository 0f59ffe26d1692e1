package io.phoneotp.keycloak.it;

import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ClientConfig;

/**
 * The application the tests sign in to, created by the test framework's OAuth client for each
 * test class (its redirect URI is the framework's test app on 127.0.0.1:8500). A name of its
 * own: the realm file's client test-app stays for the timing benchmark.
 */
public class PhoneOtpApp implements ClientConfig {

    @Override
    public ClientBuilder configure(ClientBuilder client) {
        return client.clientId("phone-otp-app").publicClient(true).directAccessGrantsEnabled(true);
    }
}
