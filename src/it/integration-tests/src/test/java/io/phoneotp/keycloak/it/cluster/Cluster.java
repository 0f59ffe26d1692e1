package io.phoneotp.keycloak.it.cluster;

import io.phoneotp.keycloak.it.FakeTwilio;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Two Keycloak nodes of the built distribution on one PostgreSQL, clustered with Keycloak's default
 * stack (embedded Infinispan, JGroups discovery through the database: jdbc-ping), behind the
 * {@link FrontProxy} on 127.0.0.1:8080. Started once for all cluster test classes by
 * {@link ClusterExtension}, stopped when the test run ends (and by shutdown hooks if it dies).
 */
final class Cluster implements AutoCloseable {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin";

    private static Cluster current;

    final KeycloakNode a;
    final KeycloakNode b;
    final FrontProxy front;
    final FakeTwilio twilio;

    private Cluster(KeycloakNode a, KeycloakNode b, FrontProxy front, FakeTwilio twilio) {
        this.a = a;
        this.b = b;
        this.front = front;
        this.twilio = twilio;
    }

    static synchronized Cluster current() {
        if (current == null) {
            throw new IllegalStateException("the cluster is started by ClusterExtension");
        }
        return current;
    }

    static synchronized Cluster start() {
        Postgres.emptyOnce();
        BuiltDistribution dist = BuiltDistribution.get();
        FakeTwilio twilio = LocalServices.twilio();
        KeycloakNode a = new KeycloakNode("node-a", dist.copyFor("node-a"), 8081, 9001, 7801);
        KeycloakNode b = new KeycloakNode("node-b", dist.copyFor("node-b"), 8082, 9002, 7802);
        FrontProxy front;
        try {
            front = new FrontProxy(8080);
        } catch (IOException e) {
            throw new UncheckedIOException("port 8080 is taken: is another Keycloak running?", e);
        }
        current = new Cluster(a, b, front, twilio);
        try {
            // one after the other: the first start on an empty database creates the schema and the administrator
            a.start();
            b.start();
            current.awaitFormed();
            front.routeTo(a);
            LocalServices.importTestRealm();
            twilio.reset();
            return current;
        } catch (RuntimeException | AssertionError e) {
            current.close();
            throw e;
        }
    }

    /** Both nodes see a cluster of two. */
    void awaitFormed() {
        a.awaitClusterOf(2);
        b.awaitClusterOf(2);
    }

    /** The other node. */
    KeycloakNode other(KeycloakNode node) {
        return node == a ? b : a;
    }

    @Override
    public synchronized void close() {
        front.close();
        a.close();
        b.close();
        current = null;
    }
}
