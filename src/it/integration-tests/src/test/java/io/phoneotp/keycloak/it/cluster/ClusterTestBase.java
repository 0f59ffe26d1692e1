package io.phoneotp.keycloak.it.cluster;

import io.phoneotp.keycloak.it.FakeTwilio;
import io.phoneotp.keycloak.it.RawVisitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every cluster test needs: the two nodes, the front door that decides which node serves a
 * request, the fake Twilio, and sign-ins through the real login pages (HTTP only, as {@link RawVisitor}).
 */
@Tag("cluster")
@ExtendWith(ClusterExtension.class)
abstract class ClusterTestBase {

    /** The realm file's policy: limits out of the way unless a test sets one. */
    static final Map<String, Object> REALM_FILE_POLICY = Map.of("allowedCountries", List.of(), "maxSendsPerNumberPerHour", 1000,
            "maxSendsPerUserPerHour", 1000, "maxSendsPerIpPerHour", 1000, "maxSendsPerRealmPerHour", 10000, "maxSendsPerPrefixPerHour", 1000);
    static final String TOO_MANY = "Too many codes were requested. Try again in";

    Cluster cluster;
    KeycloakNode a;
    KeycloakNode b;
    FakeTwilio twilio;

    /** Codes the realm sent before this test: its hourly budget counts them (the realm lives as long as the cluster). */
    static int sentBefore;

    @BeforeEach
    void cluster() {
        cluster = Cluster.current();
        a = cluster.a;
        b = cluster.b;
        twilio = cluster.twilio;
        cluster.front.routeTo(a);
        twilio.reset();
    }

    @AfterEach
    void restorePolicy() {
        assertEquals(List.of(), errorsOfKeycloakOrTheExtension(a), a.name);
        assertEquals(List.of(), errorsOfKeycloakOrTheExtension(b), b.name);
        sentBefore += twilio.requests().size();
        cluster.front.routeTo(a);
        LocalServices.policy(REALM_FILE_POLICY);
    }

    /** From now on the front door sends every request to this node. */
    void via(KeycloakNode node) {
        cluster.front.routeTo(node);
    }

    /** A new visitor opens the application's sign-in and posts username and password, all through this node. */
    RawVisitor signIn(String username, KeycloakNode node) {
        via(node);
        return new RawVisitor().open(RawVisitor.LOGIN).submit("kc-form-login", Map.of("username", username, "password", username + "-password"));
    }

    /** Types a code on the code page, through this node. */
    RawVisitor typeCode(RawVisitor visitor, String code, KeycloakNode node) {
        via(node);
        return visitor.submit("phone-otp-form", Map.of("code", code));
    }

    /**
     * ERROR lines of the node's current run, except the cluster transport's: JGroups (TLS between the
     * nodes, on by default) logs an ERROR "failed sending graceful close" whenever a peer's connection
     * closes, also when a node joins or leaves normally.
     */
    static List<String> errorsOfKeycloakOrTheExtension(KeycloakNode node) {
        return node.log().stream().filter(l -> l.contains(" ERROR ") && !l.contains("[org.jgroups.") && !l.contains("[org.infinispan.")).toList();
    }

    static void assertShows(RawVisitor visitor, String text) {
        assertTrue(visitor.page().contains(text), "expected \"" + text + "\" on the page: " + visitor.page());
    }
}
