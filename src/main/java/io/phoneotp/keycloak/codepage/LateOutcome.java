package io.phoneotp.keycloak.codepage;

import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.DeliveryFailure;
import io.phoneotp.keycloak.delivery.DeliveryPool;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of a send that the page did not wait for, kept in Keycloak's cluster-wide single-use
 * store until the login's next request (on any node) takes it, once.
 */
final class LateOutcome {

    private static final Logger LOG = Logger.getLogger(LateOutcome.class);
    private static final String SENT = "sent";
    private static final String FAILURE = "failure";
    private static final String PROVIDER_CODE = "providerCode";

    private LateOutcome() {
    }

    /** Keeps the outcome of the send to {@code to} for {@code lifespanSeconds} once it is known; returns its id. */
    static String keep(KeycloakSession session, String to, CompletableFuture<DeliveryPool.Outcome> pending, long lifespanSeconds) {
        String id = UUID.randomUUID().toString();
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        pending.thenAccept(outcome -> {
            if (!outcome.sent()) {
                LOG.infof("A code to %s was not delivered (%s, provider code %s); the login's next request tells the user",
                        PhoneNumbers.mask(to), outcome.failure().failure(), outcome.failure().providerCode());
            }
            KeycloakModelUtils.runJobInTransaction(factory, own -> own.singleUseObjects().put(key(id), lifespanSeconds, notes(outcome)));
        });
        return id;
    }

    /** The outcome, taken: a second request (or a parallel one) gets empty; empty too while it is not known. */
    static Optional<DeliveryPool.Outcome> take(KeycloakSession session, String id) {
        Map<String, String> notes = session.singleUseObjects().remove(key(id));
        if (notes == null) {
            return Optional.empty();
        }
        if (notes.containsKey(SENT)) {
            String providerId = notes.get(SENT);
            return Optional.of(new DeliveryPool.Outcome(providerId.isEmpty() ? null : providerId, null));
        }
        String code = notes.get(PROVIDER_CODE);
        return Optional.of(new DeliveryPool.Outcome(null, new DeliveryException(DeliveryFailure.valueOf(notes.get(FAILURE)),
                code == null ? null : Integer.valueOf(code), "the provider refused after the page answered", null)));
    }

    private static Map<String, String> notes(DeliveryPool.Outcome outcome) {
        Map<String, String> notes = new HashMap<>();
        if (outcome.sent()) {
            notes.put(SENT, outcome.providerId() == null ? "" : outcome.providerId());
        } else {
            notes.put(FAILURE, outcome.failure().failure().name());
            if (outcome.failure().providerCode() != null) {
                notes.put(PROVIDER_CODE, outcome.failure().providerCode().toString());
            }
        }
        return notes;
    }

    private static String key(String id) {
        return "phone-otp:late-outcome:" + id;
    }
}
