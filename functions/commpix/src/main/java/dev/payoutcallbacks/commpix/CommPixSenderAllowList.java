package dev.payoutcallbacks.commpix;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The addresses Comm.Pix sends notifications from (documented as fixed IPs, not published as a list we
 * could pin here): single IPs or CIDR blocks, IPv4 and IPv6, comma-separated.
 *
 * <p>Only IP literals are accepted, parsed without any DNS lookup: a hostname in the list or as a source
 * would otherwise make {@link InetAddress#getByName} resolve it, and a spoofable name would widen the list.
 * IPv4-mapped IPv6 sources ({@code ::ffff:203.0.113.5}) compare as their IPv4 address.
 */
public final class CommPixSenderAllowList {
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9]\\d{0,2})(\\.(0|[1-9]\\d{0,2})){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    private record Block(byte[] network, int prefixLength) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false; // IPv4 never matches an IPv6 block, nor the reverse
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int remainingBits = prefixLength % 8;
            if (remainingBits == 0) {
                return true;
            }
            int mask = (0xFF << (8 - remainingBits)) & 0xFF;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }

    private final List<Block> blocks;

    private CommPixSenderAllowList(List<Block> blocks) {
        this.blocks = blocks;
    }

    /**
     * Parses "203.0.113.0/24, 198.51.100.7, 2001:db8::/32". A bare address is a /32 (IPv4) or /128 (IPv6).
     *
     * @throws IllegalArgumentException when the list is empty or an entry is not an IP literal or CIDR
     */
    public static CommPixSenderAllowList parse(String commaSeparated) {
        List<Block> blocks = new ArrayList<>();
        if (commaSeparated != null) {
            for (String part : commaSeparated.split(",")) {
                String entry = part.trim();
                if (!entry.isEmpty()) {
                    blocks.add(block(entry));
                }
            }
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("the Comm.Pix sender allow list is empty");
        }
        return new CommPixSenderAllowList(List.copyOf(blocks));
    }

    private static Block block(String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        byte[] network = literal(address);
        if (network == null) {
            throw new IllegalArgumentException("allow list entry \"" + entry + "\" is not an IP address or CIDR block");
        }
        int maxBits = network.length * 8;
        int prefixLength = maxBits;
        if (slash >= 0) {
            String bits = entry.substring(slash + 1);
            if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > maxBits) {
                throw new IllegalArgumentException("allow list entry \"" + entry + "\" has an invalid prefix length");
            }
            prefixLength = Integer.parseInt(bits);
        }
        return new Block(network, prefixLength);
    }

    /** True when the source address (as API Gateway saw it) lies in one of the blocks. */
    public boolean allows(String sourceIp) {
        if (sourceIp == null) {
            return false;
        }
        byte[] address = literal(sourceIp.trim());
        if (address == null) {
            return false;
        }
        for (Block block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The address bytes of an IPv4 or IPv6 literal (4 or 16 bytes); null when it is not one. Never resolves. */
    static byte[] literal(String text) {
        if (IPV4.matcher(text).matches()) {
            String[] octets = text.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int value = Integer.parseInt(octets[i]);
                if (value > 255) {
                    return null;
                }
                bytes[i] = (byte) value;
            }
            return bytes;
        }
        // A string with a colon that starts with a hex digit or colon is parsed as an IPv6 literal by the
        // JDK and never looked up; anything else was rejected above. Zone ids (%eth0) are not accepted.
        if (text.indexOf(':') >= 0 && IPV6.matcher(text).matches()) {
            try {
                return InetAddress.getByName(text).getAddress(); // 4 bytes for an IPv4-mapped address
            } catch (UnknownHostException notAnAddress) {
                return null;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "CommPixSenderAllowList[" + blocks.size() + " blocks]";
    }
}
