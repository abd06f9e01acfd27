package dev.tributary.fetch;

import java.net.InetAddress;
import java.util.List;

/**
 * Decides whether an outbound connection to an address is allowed: refuses loopback, private, link-local, CGNAT,
 * unique-local, multicast, unspecified and reserved ranges, including IPv4 addresses embedded in IPv6 (mapped,
 * compatible, NAT64, 6to4, Teredo), unless a configured allow-list network contains the address.
 */
public final class AddressGuard {

    private static final List<Cidr> BLOCKED_V4 = List.of(
            Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/10"), Cidr.parse("127.0.0.0/8"),
            Cidr.parse("169.254.0.0/16"), Cidr.parse("172.16.0.0/12"), Cidr.parse("192.0.0.0/24"),
            Cidr.parse("192.0.2.0/24"), Cidr.parse("192.168.0.0/16"), Cidr.parse("198.18.0.0/15"),
            Cidr.parse("198.51.100.0/24"), Cidr.parse("203.0.113.0/24"), Cidr.parse("224.0.0.0/4"),
            Cidr.parse("240.0.0.0/4"));

    private static final List<Cidr> BLOCKED_V6 = List.of(
            Cidr.parse("::/128"), Cidr.parse("::1/128"), Cidr.parse("fc00::/7"), Cidr.parse("fe80::/10"),
            Cidr.parse("fec0::/10"), Cidr.parse("ff00::/8"), Cidr.parse("100::/64"), Cidr.parse("2001:db8::/32"));

    // IPv4-mapped addresses (::ffff:a.b.c.d) need no rule: Java turns them into IPv4 addresses when it parses them.
    private static final Cidr COMPATIBLE = Cidr.parse("::/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr NAT64_LOCAL = Cidr.parse("64:ff9b:1::/48");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
    private static final Cidr TEREDO = Cidr.parse("2001::/32");

    private final boolean enabled;
    private final List<Cidr> allowed;

    public AddressGuard(boolean enabled, List<Cidr> allowed) {
        this.enabled = enabled;
        this.allowed = List.copyOf(allowed);
    }

    /** Null when the address may be connected to, else the reason it may not. */
    public String refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (!enabled || allowed.stream().anyMatch(c -> c.contains(bytes))) {
            return null;
        }
        return blockedReason(bytes) == null ? null : address.getHostAddress() + " is " + blockedReason(bytes);
    }

    private static String blockedReason(byte[] b) {
        if (b.length == 4) {
            return BLOCKED_V4.stream().anyMatch(c -> c.contains(b)) ? "a private, loopback or reserved address" : null;
        }
        if (BLOCKED_V6.stream().anyMatch(c -> c.contains(b))) {
            return "a private, loopback or reserved IPv6 address";
        }
        byte[] embedded = embeddedV4(b);
        if (embedded != null) {
            return blockedReason(embedded) == null ? null : "an IPv6 address embedding a non-public IPv4 address";
        }
        return null;
    }

    /** The IPv4 address carried inside a transition-mechanism IPv6 address, or null. */
    static byte[] embeddedV4(byte[] b) {
        if (COMPATIBLE.contains(b) || NAT64.contains(b)) {
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if (NAT64_LOCAL.contains(b)) {
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if (SIX_TO_FOUR.contains(b)) {
            return new byte[] {b[2], b[3], b[4], b[5]};
        }
        if (TEREDO.contains(b)) {
            return new byte[] {(byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]};
        }
        return null;
    }
}
