package io.phoneotp.keycloak.registration;

import io.phoneotp.keycloak.codepage.CodeDispatch;
import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.OtpText;
import io.phoneotp.keycloak.delivery.PhoneOtpSenders;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.Optional;

/**
 * Tells the replaced number that the account now uses another one, so a takeover does not go
 * unnoticed by the person who held the old phone. Best effort: the change is already saved.
 */
final class OldNumberNotice {

    private static final Logger LOG = Logger.getLogger(OldNumberNotice.class);
    private static final int VALIDITY_SECONDS = 24 * 3600;

    private OldNumberNotice() {
    }

    /** @param oldNumber the replaced number, which the user had verified: a number never proved to be theirs is told nothing */
    static void send(KeycloakSession session, RealmModel realm, UserModel user, String oldNumber, String newNumber) {
        String lastDigits = newNumber.substring(Math.max(0, newNumber.length() - 2));
        Optional<CodeDispatch.Refused> refused = new CodeDispatch(session, realm).refusal(user, oldNumber);
        if (refused.isPresent()) { // the same destination policy and hourly limits as every code
            LOG.infof("Realm '%s': the previous number %s is not told about a phone number change (%s: %s)", realm.getName(),
                    PhoneNumbers.mask(oldNumber), refused.get().eventError(), refused.get().reason());
            return;
        }
        try {
            PhoneOtpSenders.forChannel(session, realm, Channel.SMS)
                    .sendSms(oldNumber, OtpText.numberChanged(session, realm, user, lastDigits), VALIDITY_SECONDS);
        } catch (DeliveryException | RuntimeException e) {
            LOG.warnf("Realm '%s': could not tell the previous number %s about a phone number change (%s)",
                    realm.getName(), PhoneNumbers.mask(oldNumber), e.getClass().getSimpleName());
        }
    }
}
