package io.phoneotp.keycloak.delivery;

import java.util.Arrays;
import java.util.Optional;

/** How a code reaches the phone. Each channel has its own realm-level provider setting. */
public enum Channel {
    SMS("sms"),
    VOICE("voice");

    private final String id;

    Channel(String id) {
        this.id = id;
    }

    /** The name used in REST paths, form fields and event details. */
    public String id() {
        return id;
    }

    public static Optional<Channel> fromId(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
    }
}
