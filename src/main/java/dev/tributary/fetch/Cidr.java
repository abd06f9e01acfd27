package dev.tributary.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address range such as {@code 127.0.0.0/8} or {@code fc00::/7}. */
public record Cidr(byte[] network, int prefix) {

    /** Parses {@code address/prefix} (a bare address means a single host); throws IllegalArgumentException when malformed. */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        if (addr.isEmpty() || !addr.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not a CIDR network: '" + text + "'");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(addr).getAddress(); // literal only: the regex rules out host names
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a CIDR network: '" + text + "'");
        }
        int max = bytes.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? max : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR network: '" + text + "'");
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix out of range in '" + text + "'");
        }
        return new Cidr(bytes, prefix);
    }

    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }
}
