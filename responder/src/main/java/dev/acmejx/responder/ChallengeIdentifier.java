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

    private static InetAddress address(String literal) {
        if (!literal.contains(":") && !literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("'" + literal + "' is not an IP address literal");
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + literal + "' is not an IP address literal", e);
        }
    }
}
