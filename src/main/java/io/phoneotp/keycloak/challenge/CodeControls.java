package io.phoneotp.keycloak.challenge;

import org.keycloak.common.util.Time;
import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.delivery.SenderSettingsStore;
import org.keycloak.models.RealmModel;

import java.util.HashMap;
import java.util.Map;

/**
 * What every page with a code field shows about the challenge (the code field, resend with its
 * countdown, the switch to the other channel), by the names phone-otp-commons.ftl reads.
 */
public final class CodeControls {

    private CodeControls() {
    }

    public static Map<String, Object> model(RealmModel realm, CodeSettings settings, CodeChallenge challenge, Channel current) {
        Channel other = current == Channel.SMS ? Channel.VOICE : Channel.SMS;
        Map<String, Object> model = new HashMap<>();
        model.put("channel", current.id());
        // the other channel only where the realm has a provider for it
        model.put("otherChannel", SenderSettingsStore.find(realm, other).isPresent() ? other.id() : "");
        model.put("codeLength", settings.codeLength());
        model.put("resendWaitSeconds", challenge.secondsUntilResend(settings.resendCooldownSeconds(), Time.currentTimeMillis()));
        model.put("canResend", !challenge.sendsExhausted(settings.maxSends()));
        return model;
    }
}
