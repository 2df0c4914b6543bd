package dev.acmejx.cli;

import dev.acmejx.cli.control.ControlClient;
import dev.acmejx.cli.control.ControlServer;
import dev.acmejx.cli.control.ServeChallenges;
import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.ChallengeResponder;
import dev.acmejx.core.ConfKeys;
import dev.acmejx.core.ResponderSettings;
import dev.acmejx.mux.ListenAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How challenges are answered ({@code --control}, {@code --listen}), for {@code issue}, which answers them now,
 * and {@code adopt}, which records the choice for {@code renew}; both keep it in the renewal conf.
 */
final class ResponderOptions {

    /** Where the built-in responder answers when neither the command line nor the conf says. */
    static final String DEFAULT_LISTEN = ":443";

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = DEFAULT_LISTEN,
            converter = AddressConverters.Listen.class,
            description = "Where the built-in responder answers tls-alpn-01 when no serve answers on --control "
                    + "(default: port 443 on all addresses).")
    InetSocketAddress listen;

    @Option(names = "--control", paramLabel = "PATH", defaultValue = ControlServer.DEFAULT_PATH,
            description = "A running `acmejx serve`'s control socket: when one answers there, challenges are "
                    + "published through it and --listen is not bound (default: ${DEFAULT-VALUE}).")
    Path control;

    /** The choice as the renewal conf keeps it. */
    ResponderSettings settings() {
        return ResponderSettings.of(control.toString(), ListenAddress.format(listen));
    }

    /** A running serve when one answers on the control socket, else the in-process responder on the address. */
    static ChallengeResponder open(ResponderSettings settings) throws AcmejxException {
        Optional<ControlClient> serve = settings.controlSocket().isPresent()
                ? ControlClient.ifRunning(Path.of(settings.controlSocket().get())) : Optional.empty();
        if (serve.isPresent()) {
            return new ServeChallenges(serve.get());
        }
        InetSocketAddress address = confListen(settings.listen().orElse(DEFAULT_LISTEN));
        try {
            return InProcessResponder.listen(address);
        } catch (AcmejxException e) {
            throw new AcmejxException(e.getMessage() + "; no acmejx serve answers on --control "
                    + settings.controlSocket().orElse(ControlServer.DEFAULT_PATH) + " either (start one there, or "
                    + "give --control the path yours uses)", e);
        }
    }

    /** Written by issue or adopt from a checked --listen; a hand edit may still have broken it. */
    private static InetSocketAddress confListen(String value) throws AcmejxException {
        try {
            return ListenAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw new AcmejxException(ConfKeys.TLS_ALPN_LISTEN + " in the renewal conf: " + e.getMessage()
                    + "; fix it there, or run `acmejx adopt` or `acmejx issue` again with --listen", e);
        }
    }
}
