package dev.acmejx.mux;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Listening sockets handed over by systemd's socket activation (sd_listen_fds(3)): a socket unit binds them,
 * holds them across every restart of the service, and passes them as descriptors 3, 4, … with {@code LISTEN_PID},
 * {@code LISTEN_FDS} and {@code LISTEN_FDNAMES} in the environment. While the unit holds them, a connection that
 * arrives between two runs of the service waits in the kernel's queue instead of being refused.
 */
public final class SocketActivation {

    static final String LISTEN_PID = "LISTEN_PID";
    static final String LISTEN_FDS = "LISTEN_FDS";
    static final String LISTEN_FDNAMES = "LISTEN_FDNAMES";
    /** sd_listen_fds' SD_LISTEN_FDS_START: the first passed descriptor, after stdin, stdout and stderr. */
    static final int FIRST_DESCRIPTOR = 3;
    /** sd_listen_fds_with_names' name for a descriptor the unit named none for. */
    static final String UNKNOWN_NAME = "unknown";

    /**
     * One passed socket.
     *
     * @param name the socket unit's {@code FileDescriptorName=} (by default the unit's name)
     */
    public record Passed(int descriptor, String name) {
    }

    private SocketActivation() {
    }

    /**
     * The sockets passed to the process {@code pid}: none when the environment says nothing, or names another
     * process (a parent's variables, inherited).
     *
     * @throws IllegalArgumentException when the variables are there for this process but make no sense
     */
    public static List<Passed> passed(Map<String, String> environment, long pid) {
        String forPid = environment.get(LISTEN_PID);
        if (forPid == null || !forPid.strip().equals(String.valueOf(pid))) {
            return List.of();
        }
        int count;
        try {
            count = Integer.parseInt(environment.getOrDefault(LISTEN_FDS, "").strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(LISTEN_FDS + " '" + environment.get(LISTEN_FDS) + "' is not a count "
                    + "of descriptors; check the socket unit, or unset " + LISTEN_PID + " to bind --listen", e);
        }
        if (count < 1) {
            throw new IllegalArgumentException(LISTEN_FDS + " is " + count + ": the socket unit passed no socket; "
                    + "give it a ListenStream=, or unset " + LISTEN_PID + " to bind --listen");
        }
        String[] names = environment.getOrDefault(LISTEN_FDNAMES, "").split(":", -1);
        List<Passed> passed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = names.length == count && !names[i].isEmpty() ? names[i] : UNKNOWN_NAME;
            passed.add(new Passed(FIRST_DESCRIPTOR + i, name));
        }
        return List.copyOf(passed);
    }
}
