package dev.acmejx.mux;

import java.net.InetSocketAddress;

/** A listener could not be opened; the message names the address and says what to do about it. */
public final class ListenException extends Exception {

    ListenException(InetSocketAddress address, Throwable cause) {
        super(describe(address, cause), cause);
    }

    ListenException(String message) {
        super(message);
    }

    private static String describe(InetSocketAddress address, Throwable cause) {
        String where = ListenAddress.format(address);
        String message = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (message.contains("in use")) {
            return "cannot listen on " + where + ": the port is already in use. Find the holder with `ss -ltnp "
                    + "'sport = :" + address.getPort() + "'`; if it is your web server, move it to another port "
                    + "(e.g. 8443) behind `acmejx serve`, or pick a free one with --listen";
        }
        if (message.contains("permission denied") || message.contains("access denied")) {
            return "cannot listen on " + where + ": permission denied. Ports below 1024 need root or "
                    + "CAP_NET_BIND_SERVICE (e.g. `setcap cap_net_bind_service=+ep` on java, or the systemd unit's "
                    + "AmbientCapabilities), or use --listen with a port above 1023";
        }
        if (message.contains("assign requested address")) {
            return "cannot listen on " + where + ": no interface on this machine has that address";
        }
        return "cannot listen on " + where + ": " + cause.getMessage();
    }
}
