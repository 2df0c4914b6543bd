package dev.acmejx.core;

import java.util.Map;
import java.util.Optional;

/**
 * How a lineage's challenges are answered, as {@code issue} chose and its renewal conf keeps it for {@code renew}:
 * through the {@code serve} listening on a control socket when one answers there, else by acmejx itself on a
 * listen address.
 *
 * @param controlSocket the serve's control socket ({@code --control})
 * @param listen where acmejx answers tls-alpn-01 itself ({@code --listen}, {@code HOST:PORT})
 */
public record ResponderSettings(Optional<String> controlSocket, Optional<String> listen) {

    /** Nothing chosen: the defaults of whoever opens the responder. */
    public static final ResponderSettings DEFAULT = new ResponderSettings(Optional.empty(), Optional.empty());

    public static ResponderSettings of(String controlSocket, String listen) {
        return new ResponderSettings(Optional.of(controlSocket), Optional.of(listen));
    }

    static ResponderSettings read(RenewalConf conf) {
        return new ResponderSettings(conf.param(ConfKeys.CONTROL_SOCKET), conf.param(ConfKeys.TLS_ALPN_LISTEN));
    }

    /** Into a conf's {@code [renewalparams]}, in the key order the conf has always had. */
    void writeTo(Map<String, String> params) {
        controlSocket.ifPresent(path -> params.put(ConfKeys.CONTROL_SOCKET, path));
        listen.ifPresent(address -> params.put(ConfKeys.TLS_ALPN_LISTEN, address));
    }
}
