package dev.acmejx.mux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Linux's {@code net.ipv4.tcp_migrate_req}. When one of several SO_REUSEPORT listeners on a port closes (the web
 * server's during the cutover, an old serve's during an upgrade), the connections waiting in its accept queue are
 * reset unless this is 1, which moves them to a listener that stays. A zero-downtime hand-over needs it.
 */
public final class TcpMigrateRequests {

    /** Where the kernel shows it, per network namespace. */
    static final Path SYSCTL = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");
    public static final String SETTING = "net.ipv4.tcp_migrate_req";

    private TcpMigrateRequests() {
    }

    /** @return whether queued connections move to another listener; empty where the kernel has no such setting */
    public static Optional<Boolean> enabled(Path sysctl) {
        try {
            return Optional.of(Files.readString(sysctl).strip().equals("1"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The warning a serve that shares its port should log, if any. */
    public static Optional<String> warning() {
        Optional<Boolean> enabled = enabled(SYSCTL);
        if (enabled.isEmpty()) {
            return Optional.of("this kernel has no " + SETTING + " (Linux 5.14+): when another listener on the port "
                    + "closes, the connections waiting in its queue are reset");
        }
        return enabled.get() ? Optional.empty() : Optional.of(SETTING + " is 0: when another listener on the port "
                + "closes (the web server's at the cutover, an old serve's in an upgrade), the connections waiting in "
                + "its queue are reset. `sysctl -w " + SETTING + "=1`, kept in /etc/sysctl.d/, moves them to the "
                + "listener that stays");
    }
}
