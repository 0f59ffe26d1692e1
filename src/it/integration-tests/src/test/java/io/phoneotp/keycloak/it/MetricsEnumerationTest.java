package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sign-in by phone answers alike for accounts that exist and for those that do not. Does
 * /metrics (the management interface, port 9000, no authentication) tell them apart? A passing
 * test is a defence; a failing one an enumeration oracle for whoever can scrape the metrics.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class MetricsEnumerationTest extends PhoneOtpTestBase {

    private static final String RITA = "+14155552681";

    @Test
    void theMetricsDoNotTellAnAccountFromNone() throws Exception {
        bindBrowserFlow("passwordless-phone");
        double[] start = settled();

        openLogin();
        identifyPage.identify("rita");
        twilio.awaitText(RITA, 1);
        double[] afterReal = settled();

        newVisitor();
        openLogin();
        identifyPage.identify("+14155550100"); // no account has this number
        assertTrue(twilio.messagesTo("+14155550100").isEmpty());
        double[] afterUnknown = settled();

        double realSent = afterReal[0] - start[0];
        double realBudget = afterReal[1] - start[1];
        double unknownSent = afterUnknown[0] - afterReal[0];
        double unknownBudget = afterUnknown[1] - afterReal[1];
        assertEquals(1.0, realSent, "the account's sign-in counted as a code sent");
        assertEquals(realSent, unknownSent, "phone_otp_codes_sent_total{outcome=\"sent\"}: account " + realSent
                + ", no account " + unknownSent + "; phone_otp_realm_budget_used_total: account " + realBudget + ", no account " + unknownBudget);
        assertEquals(realBudget, unknownBudget, "phone_otp_realm_budget_used_total");
    }

    /** [codes sent, budget used] of the test realm, once they stand still for two seconds. */
    private double[] settled() throws Exception {
        double[] last = counts();
        for (int i = 0; i < 10; i++) {
            Thread.sleep(2000);
            double[] now = counts();
            if (now[0] == last[0] && now[1] == last[1]) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static double[] counts() throws Exception {
        double sent = 0;
        double budget = 0;
        for (String line : MetricsTest.scrape().text().lines().toList()) {
            if (!line.contains("realm=\"" + REALM + "\"")) {
                continue;
            }
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith("phone_otp_codes_sent_total{") && line.contains("outcome=\"sent\"")) {
                sent += value;
            } else if (line.startsWith("phone_otp_realm_budget_used_total{")) {
                budget += value;
            }
        }
        return new double[] {sent, budget};
    }
}
