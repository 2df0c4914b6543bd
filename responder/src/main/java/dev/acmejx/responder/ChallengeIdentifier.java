package dev.acmejx.responder;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What a challenge proves control of: a DNS name, or an IP address (RFC 8738), and the SNI a validator sends
 * for it.
 *
 * @param ip true for an IP address identifier
 * @param value the lower-cased DNS name, or the IP address in its canonical text form
 */
public record ChallengeIdentifier(boolean ip, String value) {

    public static ChallengeIdentifier dns(String name) {
        return new ChallengeIdentifier(false, name.toLowerCase(Locale.ROOT));
    }

    /**
     * The identifier a bare name stands for: an IP literal (any text form, such as {@code 2001:DB8::1}) is an IP
     * identifier, anything else a DNS name. Never looked up in DNS.
     */
    public static ChallengeIdentifier of(String name) {
        return isIpLiteral(name) ? ip(name) : dns(name);
    }

    /** @param literal an IPv4 or IPv6 literal; never looked up in DNS */
    public static ChallengeIdentifier ip(String literal) {
        return new ChallengeIdentifier(true, address(literal).getHostAddress());
    }

    /** The address of an IP identifier. */
    public InetAddress address() {
        return address(value);
    }

    /**
     * The server name a validator puts in its SNI: the name itself, or for an IP the reverse-DNS name
     * ({@code 4.3.2.1.in-addr.arpa}, or the nibble form under {@code ip6.arpa}), RFC 8738 §6.
     */
    public String sniName() {
        if (!ip) {
            return value;
        }
        byte[] bytes = address().getAddress();
        StringBuilder name = new StringBuilder();
        if (bytes.length == 4) {
            for (int i = 3; i >= 0; i--) {
                name.append(bytes[i] & 0xff).append('.');
            }
            return name.append("in-addr.arpa").toString();
        }
        String hex = HexFormat.of().formatHex(bytes);
        for (int i = hex.length() - 1; i >= 0; i--) {
            name.append(hex.charAt(i)).append('.');
        }
        return name.append("ip6.arpa").toString();
    }

    @Override
    public String toString() {
        return (ip ? "ip:" : "dns:") + value;
    }

    /** IPv6 literals are the names with a colon; IPv4 ones are four dotted decimals. */
    private static boolean isIpLiteral(String name) {
        return name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static InetAddress address(String literal) {
        if (!isIpLiteral(literal)) {
            throw new IllegalArgumentException("'" + literal + "' is not an IP address literal");
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + literal + "' is not an IP address literal", e);
        }
    }
}
