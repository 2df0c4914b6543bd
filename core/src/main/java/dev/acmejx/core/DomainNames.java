package dev.acmejx.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.shredzone.acme4j.Identifier;

/**
 * Turns what people pass to {@code -d} (repeated, or comma lists) into ACME identifiers, rejecting anything a CA
 * would refuse before a single network call: a typo should cost nothing but an error message.
 */
public final class DomainNames {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final int MAX_NAME_LENGTH = 253;

    private DomainNames() {
    }

    /** Parses, normalises (lower case, no trailing dot) and de-duplicates, keeping order. */
    public static List<Identifier> parse(List<String> values) throws AcmejxException {
        Set<Identifier> identifiers = new LinkedHashSet<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                String name = part.trim();
                if (!name.isEmpty()) {
                    identifiers.add(identifier(name));
                }
            }
        }
        if (identifiers.isEmpty()) {
            throw new AcmejxException("no domain given: name at least one with -d, e.g. -d example.com");
        }
        return new ArrayList<>(identifiers);
    }

    /** The identifier's value as certbot lists it in RENEWED_DOMAINS and the renewal conf. */
    public static List<String> values(List<Identifier> identifiers) {
        return identifiers.stream().map(Identifier::getValue).toList();
    }

    private static Identifier identifier(String name) throws AcmejxException {
        if (name.contains(":") || IPV4.matcher(name).matches()) {
            return Identifier.ip(ipLiteral(name));
        }
        if (name.startsWith("*.")) {
            throw invalid(name, "wildcard names can only be validated with dns-01, and acmejx answers "
                    + "tls-alpn-01; list each name instead (e.g. -d www.example.com -d api.example.com)");
        }
        if (!name.chars().allMatch(c -> c < 0x80)) {
            throw invalid(name, "non-ASCII names must be given in punycode (e.g. xn--bcher-kva.example for "
                    + "bücher.example): the JDK's IDNA2003 would turn some names, such as faß.de, into others");
        }
        String ascii = (name.endsWith(".") ? name.substring(0, name.length() - 1) : name).toLowerCase(Locale.ROOT);
        checkLabels(name, ascii);
        return Identifier.dns(ascii);
    }

    private static void checkLabels(String name, String ascii) throws AcmejxException {
        if (ascii.length() > MAX_NAME_LENGTH) {
            throw invalid(name, "longer than " + MAX_NAME_LENGTH + " characters");
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            throw invalid(name, "a certificate needs a fully qualified name with at least one dot, "
                    + "e.g. " + ascii + ".example.com");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw invalid(name, label.isEmpty() ? "it has an empty label (two dots in a row?)"
                        : "label '" + label + "' may only hold letters, digits and inner hyphens, 1-63 characters");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw invalid(name, "the last label is all digits: neither a host name nor an IPv4 address");
        }
    }

    private static InetAddress ipLiteral(String name) throws AcmejxException {
        if (IPV4.matcher(name).matches()) {
            for (String octet : name.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw invalid(name, "octet " + octet + " is above 255");
                }
            }
        }
        String literal = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
        if (!IPV4.matcher(literal).matches() && !IPV6_CHARS.matcher(literal).matches()) {
            throw invalid(name, "not a valid IP address");
        }
        try {
            // Brackets make the JDK treat it as an IPv6 literal and never fall back to a DNS lookup.
            return InetAddress.getByName(literal.contains(":") ? "[" + literal + "]" : literal);
        } catch (UnknownHostException e) {
            throw invalid(name, "not a valid IP address");
        }
    }

    private static AcmejxException invalid(String name, String why) {
        return new AcmejxException("invalid domain '" + name + "': " + why);
    }
}
