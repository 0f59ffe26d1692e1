package io.phoneotp.keycloak.it.cluster;

import io.phoneotp.keycloak.it.RawVisitor;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sign-in whose steps land on different nodes, as behind a load balancer without sticky sessions, and one whose node dies. */
@Order(2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSignInTest extends ClusterTestBase {

    static final String ALICE = "+14155552671";

    @Test
    @Order(1)
    void aCodeSentThroughNodeAIsAcceptedOnNodeB() {
        int servedByB = cluster.front.served(b);
        RawVisitor alice = signIn("alice", a);
        assertTrue(alice.hasForm("phone-otp-form"), "node A shows the code page: " + alice.page());
        String code = twilio.awaitText(ALICE, 1).code();

        typeCode(alice, code, b);

        assertTrue(alice.signedIn(), "node B accepts the code node A sent: " + alice.location() + " " + alice.page());
        assertEquals(servedByB + 1, cluster.front.served(b), "node B served the code");
        assertEquals(1, twilio.textsTo(ALICE).size(), "one text, no second one from node B");
    }

    @Test
    @Order(3)
    void aSignInGoesOnOnNodeBAfterNodeAIsKilled() {
        RawVisitor alice = signIn("alice", a);
        String code = twilio.awaitText(ALICE, 1).code();

        a.kill();
        typeCode(alice, code, b);

        assertTrue(alice.signedIn(), "node B finishes the sign-in node A began: " + alice.location() + " " + alice.page());
        b.awaitClusterOf(1);

        a.start();
        cluster.awaitFormed();
    }
}
