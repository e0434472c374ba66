package dev.payoutcallbacks.commpix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** CIDR matching of the source address, IPv4 and IPv6, without DNS. */
class CommPixSenderAllowListTest {

    @Test
    void ipv4BlockAdmitsItsAddressesOnly() {
        CommPixSenderAllowList list = CommPixSenderAllowList.parse("203.0.113.0/24");
        assertTrue(list.allows("203.0.113.0"));
        assertTrue(list.allows("203.0.113.255"));
        assertFalse(list.allows("203.0.114.1"));
        assertFalse(list.allows("203.0.112.255"));
    }

    @Test
    void prefixThatIsNotAByteBoundaryIsMaskedBitwise() {
        CommPixSenderAllowList list = CommPixSenderAllowList.parse("198.51.100.64/27"); // .64 - .95
        assertTrue(list.allows("198.51.100.64"));
        assertTrue(list.allows("198.51.100.95"));
        assertFalse(list.allows("198.51.100.96"));
        assertFalse(list.allows("198.51.100.63"));
    }

    @Test
    void bareAddressIsASingleHost() {
        CommPixSenderAllowList list = CommPixSenderAllowList.parse(" 192.0.2.7 , 2001:db8::7 ");
        assertTrue(list.allows("192.0.2.7"));
        assertFalse(list.allows("192.0.2.8"));
        assertTrue(list.allows("2001:db8:0:0:0:0:0:7"));
        assertFalse(list.allows("2001:db8::8"));
    }

    @Test
    void ipv6BlocksMatchAnyNotationOfTheSameAddress() {
        CommPixSenderAllowList list = CommPixSenderAllowList.parse("127.0.0.1/32,::1/128,2001:db8:abcd::/48");
        assertTrue(list.allows("::1"));
        assertTrue(list.allows("0:0:0:0:0:0:0:1"));
        assertTrue(list.allows("2001:DB8:ABCD:12::99"));
        assertFalse(list.allows("2001:db8:abce::1"));
        assertFalse(list.allows("::2"));
    }

    @Test
    void familiesNeverCrossMatchButMappedIpv4CountsAsIpv4() {
        CommPixSenderAllowList v4 = CommPixSenderAllowList.parse("203.0.113.0/24");
        assertTrue(v4.allows("::ffff:203.0.113.9"), "an IPv4-mapped source is that IPv4 address");
        assertFalse(v4.allows("::cb00:7109"), "an IPv4-compatible IPv6 address is not IPv4");
        CommPixSenderAllowList v6 = CommPixSenderAllowList.parse("::/0");
        assertTrue(v6.allows("2001:db8::1"));
        assertFalse(v6.allows("203.0.113.9"));
    }

    @Test
    void sourcesThatAreNotLiteralsAreRefusedWithoutLookup() {
        CommPixSenderAllowList list = CommPixSenderAllowList.parse("0.0.0.0/0");
        assertTrue(list.allows("8.8.8.8"));
        assertFalse(list.allows(null));
        assertFalse(list.allows(""));
        assertFalse(list.allows("localhost"));
        assertFalse(list.allows("203.0.113.256"));
        assertFalse(list.allows("203.0.113"));
        assertFalse(list.allows("010.0.0.1"), "leading zeros are ambiguous (octal in some parsers)");
        assertFalse(list.allows("203.0.113.9, 10.0.0.1"), "a forwarded-for style list is not an address");
        assertNull(CommPixSenderAllowList.literal("fe80::1%eth0"));
        assertNull(CommPixSenderAllowList.literal("1:2:3"));
        assertArrayEquals(new byte[] {(byte) 203, 0, 113, 9}, CommPixSenderAllowList.literal("203.0.113.9"));
    }

    @Test
    void invalidConfigurationFailsAtStart() {
        assertThrows(IllegalArgumentException.class, () -> CommPixSenderAllowList.parse(""));
        assertThrows(IllegalArgumentException.class, () -> CommPixSenderAllowList.parse(" , "));
        assertThrows(IllegalArgumentException.class, () -> CommPixSenderAllowList.parse("203.0.113.0/33"));
        assertThrows(IllegalArgumentException.class, () -> CommPixSenderAllowList.parse("::1/129"));
        assertThrows(IllegalArgumentException.class, () -> CommPixSenderAllowList.parse("203.0.113.0/-1"));
        assertThrows(IllegalArgumentException.class, () -> CommPixSenderAllowList.parse("commpix.example.com"));
        assertThrows(IllegalArgumentException.class, () -> CommPixSenderAllowList.parse("203.0.113.0/24,nonsense"));
    }
}
