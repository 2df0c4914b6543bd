package dev.acmejx.mux;

import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a backend's {@code HOST:PORT}. Host names are resolved once, here, at start-up: a name that does not
 * resolve is an error now rather than a blocked event loop on every connection later.
 */
public final class BackendAddress {

    private static final Pattern FORM = Pattern.compile("^(?:\\[([0-9A-Fa-f:.]+)]|([A-Za-z0-9.-]+)):(\\d{1,5})$");

    private BackendAddress() {
    }

    /** @throws IllegalArgumentException naming the value and the expected form */
    public static InetSocketAddress parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches() || Integer.parseInt(m.group(3)) > 65535 || Integer.parseInt(m.group(3)) == 0) {
            throw new IllegalArgumentException("backend '" + text + "' is not HOST:PORT (e.g. 127.0.0.1:8443, "
                    + "[::1]:8443 or web.internal:8443)");
        }
        InetSocketAddress address = new InetSocketAddress(m.group(1) != null ? m.group(1) : m.group(2),
                Integer.parseInt(m.group(3)));
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("backend host '" + address.getHostString() + "' does not resolve");
        }
        return address;
    }
}
