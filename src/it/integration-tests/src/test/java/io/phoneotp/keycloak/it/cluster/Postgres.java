package io.phoneotp.keycloak.it.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL database of the production-mode and cluster tests, as {@code .ci/run} creates it
 * (system properties {@code phone-otp.db.url}, {@code .user}, {@code .password}). Emptied once per
 * test run, before the first Keycloak starts on it.
 */
final class Postgres {

    static final String URL = System.getProperty("phone-otp.db.url", "jdbc:postgresql://127.0.0.1:5432/phoneotp");
    static final String USER = System.getProperty("phone-otp.db.user", "phoneotp");
    static final String PASSWORD = System.getProperty("phone-otp.db.password", "phoneotp");

    private static boolean emptied;

    private Postgres() {
    }

    /** Drops everything an earlier run left (Keycloak's tables, the cluster's discovery table) the first time it is called. */
    static synchronized void emptyOnce() {
        if (emptied) {
            return;
        }
        try (Connection db = DriverManager.getConnection(URL, USER, PASSWORD); Statement sql = db.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS public CASCADE");
            sql.execute("CREATE SCHEMA public");
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + URL + " (user " + USER + ") is not usable: " + e.getMessage()
                    + ". .ci/run starts PostgreSQL and creates this role and database; see README \"Run the tests\".", e);
        }
        emptied = true;
    }
}
