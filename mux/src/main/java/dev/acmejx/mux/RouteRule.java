package dev.acmejx.mux;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * One {@code --route}: conditions on the ClientHello and where a match goes, e.g.
 * {@code sni=*.example.org -> 10.0.0.5:443} or {@code alpn=h2,sni=api.example.com -> 127.0.0.1:9443}. Every
 * condition must hold; {@code sni=*.example.org} matches any name below example.org (not example.org itself),
 * like HAProxy's {@code req.ssl_sni -m end .example.org}.
 */
public record RouteRule(List<String> sniPatterns, List<String> alpn, RouteTarget target) {

    private static final String ARROW = "->";

    /**
     * A rule as written, its backend address not yet a target: what a command line parser can check on its own,
     * before the forwarding settings (PROXY protocol, timeouts) that make the target are known.
     */
    public record Written(List<String> sniPatterns, List<String> alpn, InetSocketAddress backend) {

        /** @param targets makes the forward target for the rule's backend address */
        public RouteRule to(Function<InetSocketAddress, RouteTarget> targets) {
            return new RouteRule(sniPatterns, alpn, targets.apply(backend));
        }
    }

    /**
     * @param targets makes the forward target for the rule's backend address
     * @throws IllegalArgumentException naming the rule and what is wrong with it
     */
    public static RouteRule parse(String text, Function<InetSocketAddress, RouteTarget> targets) {
        return parse(text).to(targets);
    }

    /** @throws IllegalArgumentException naming the rule and what is wrong with it */
    public static Written parse(String text) {
        int arrow = text.indexOf(ARROW);
        if (arrow < 0) {
            throw invalid(text, "expected CONDITIONS -> HOST:PORT");
        }
        List<String> sni = new ArrayList<>();
        List<String> alpn = new ArrayList<>();
        for (String condition : text.substring(0, arrow).split(",")) {
            String[] pair = condition.trim().split("=", 2);
            if (pair.length != 2 || pair[1].isBlank()) {
                throw invalid(text, "condition '" + condition.trim() + "' is not sni=NAME or alpn=PROTOCOL");
            }
            switch (pair[0].trim().toLowerCase(Locale.ROOT)) {
                case "sni" -> sni.add(pair[1].trim().toLowerCase(Locale.ROOT));
                case "alpn" -> alpn.add(pair[1].trim());
                default -> throw invalid(text, "unknown condition '" + pair[0].trim() + "' (use sni= or alpn=)");
            }
        }
        try {
            return new Written(sni, alpn, BackendAddress.parse(text.substring(arrow + ARROW.length()).trim()));
        } catch (IllegalArgumentException e) {
            throw invalid(text, e.getMessage());
        }
    }

    /** Whether every condition holds for {@code hello}; runs for every connection, so it allocates nothing. */
    public boolean matches(ClientHello hello) {
        for (String pattern : sniPatterns) {
            Optional<String> name = hello.serverName();
            if (name.isEmpty() || !sniMatches(pattern, name.get())) {
                return false;
            }
        }
        for (String protocol : alpn) {
            if (!hello.offers(protocol)) {
                return false;
            }
        }
        return true;
    }

    /** {@code *.example.org}: the name ends in {@code .example.org}; otherwise the exact name. */
    private static boolean sniMatches(String pattern, String name) {
        if (!pattern.startsWith("*.")) {
            return name.equals(pattern);
        }
        int suffix = pattern.length() - 1;
        return name.length() > suffix && name.regionMatches(name.length() - suffix, pattern, 1, suffix);
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid --route '" + text + "': " + why);
    }
}
