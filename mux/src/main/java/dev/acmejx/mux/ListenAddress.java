package dev.acmejx.mux;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the {@code HOST:PORT} forms people type for listen addresses: {@code 0.0.0.0:443}, {@code [::1]:8443},
 * {@code :443} or {@code 443} (every address). Only literal addresses are accepted: a listener that depends on
 * DNS at start-up is a listener that fails to start one day.
 */
public final class ListenAddress {

    private static final Pattern FORM =
            Pattern.compile("^(?:\\[([0-9A-Fa-f:.%\\w]+)]|((?:\\d{1,3}\\.){3}\\d{1,3})|)(?:^|:)(\\d{1,5})$");

    private ListenAddress() {
    }

    /**
     * @throws IllegalArgumentException with a message that names the value and the accepted forms
     */
    public static InetSocketAddress parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw invalid(text, "expected HOST:PORT with a literal address, e.g. 0.0.0.0:443, [::]:443 or :443");
        }
        int port = Integer.parseInt(m.group(3));
        if (port > 65535) {
            throw invalid(text, "port " + port + " is above 65535");
        }
        String host = m.group(1) != null ? m.group(1) : m.group(2);
        if (host == null) {
            return new InetSocketAddress(port);
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
        if (address == null) {
            throw invalid(text, "'" + host + "' is not an IP address");
        }
        return new InetSocketAddress(address, port);
    }

    /** The form {@link #parse} accepts, for messages and stored configuration. */
    public static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid listen address '" + text + "': " + why);
    }
}
