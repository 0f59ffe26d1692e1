package io.phoneotp.keycloak.link;

import io.phoneotp.keycloak.delivery.Channel;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The step setting deliveryMode as an administrator writes it, and what each channel can carry. */
class DeliveryModeTest {

    @Test
    void theSettingReadsAsWrittenAndAnythingElseIsACode() {
        assertEquals(DeliveryMode.CODE, DeliveryMode.of(null));
        assertEquals(DeliveryMode.CODE, DeliveryMode.of(Map.of()));
        assertEquals(DeliveryMode.LINK, DeliveryMode.of(Map.of("deliveryMode", "link")));
        assertEquals(DeliveryMode.BOTH, DeliveryMode.of(Map.of("deliveryMode", " Both ")));
        assertEquals(DeliveryMode.CODE, DeliveryMode.of(Map.of("deliveryMode", "qr")));
    }

    @Test
    void aCallAlwaysCarriesACode() {
        assertEquals(DeliveryMode.CODE, DeliveryMode.LINK.by(Channel.VOICE));
        assertEquals(DeliveryMode.LINK, DeliveryMode.LINK.by(Channel.SMS));
        assertTrue(DeliveryMode.BOTH.code() && DeliveryMode.BOTH.link());
        assertFalse(DeliveryMode.LINK.code());
        assertEquals("both", DeliveryMode.BOTH.id());
    }
}
