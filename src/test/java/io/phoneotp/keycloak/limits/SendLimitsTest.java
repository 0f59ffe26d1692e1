package io.phoneotp.keycloak.limits;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class SendLimitsTest {

    @Test
    void anIpv6HostIsCountedByItsSlash64() {
        assertEquals(SendLimits.networkOf("2001:db8:1:2::1"), SendLimits.networkOf("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        assertEquals("20010db800010002::/64", SendLimits.networkOf("2001:db8:1:2::1"));
        assertNotEquals(SendLimits.networkOf("2001:db8:1:2::1"), SendLimits.networkOf("2001:db8:1:3::1"));
    }

    @Test
    void anIpv4AddressIsCountedAsItIs() {
        assertEquals("192.0.2.7", SendLimits.networkOf("192.0.2.7"));
        assertEquals("192.0.2.7", SendLimits.networkOf("::ffff:192.0.2.7"));
        assertNotEquals(SendLimits.networkOf("192.0.2.7"), SendLimits.networkOf("192.0.2.8"));
    }
}
