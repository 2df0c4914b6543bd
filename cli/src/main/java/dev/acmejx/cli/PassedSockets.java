package dev.acmejx.cli;

import dev.acmejx.core.AcmejxException;
import dev.acmejx.mux.SocketActivation;
import dev.acmejx.mux.TcpMigrateRequests;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where serve's listeners come from: the sockets of a systemd socket unit ({@code packaging/systemd/acmejx.socket})
 * when it passed some, which then are the only ones (the unit's {@code ListenStream=} lines say where); else
 * {@code --listen}, bound by serve itself.
 */
final class PassedSockets {

    private static final Logger LOG = System.getLogger("acmejx.serve");

    private PassedSockets() {
    }

    /**
     * @param serve to tell a {@code --listen} given on the command line, which contradicts passed sockets, from the
     *     default
     */
    static List<SocketActivation.Passed> fromSystemd(CommandSpec serve) throws AcmejxException {
        List<SocketActivation.Passed> passed;
        try {
            passed = SocketActivation.passed(System.getenv(), ProcessHandle.current().pid());
        } catch (IllegalArgumentException e) {
            throw new AcmejxException(e.getMessage(), e);
        }
        if (!passed.isEmpty() && serve.commandLine().getParseResult().hasMatchedOption("--listen")) {
            throw new AcmejxException("systemd passed " + passed.size() + " listening sockets (" + names(passed)
                    + ") and --listen names others: say where to listen in one place, the socket unit's ListenStream= "
                    + "lines (then drop --listen) or --listen (then run serve without the socket unit)");
        }
        if (!passed.isEmpty()) {
            LOG.log(Level.INFO, "listening on the {0} sockets systemd passed ({1}); --listen is not bound",
                    passed.size(), names(passed));
        }
        return passed;
    }

    /** Logs why a hand-over of the port may reset connections, when serve shares it with another listener. */
    static void warnUnlessQueuesMigrate(boolean shared) {
        if (shared) {
            TcpMigrateRequests.warning().ifPresent(warning -> LOG.log(Level.WARNING, warning));
        }
    }

    private static String names(List<SocketActivation.Passed> passed) {
        return passed.stream().map(p -> p.name() + " on descriptor " + p.descriptor())
                .collect(Collectors.joining(", "));
    }
}
