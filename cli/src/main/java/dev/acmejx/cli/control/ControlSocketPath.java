package dev.acmejx.cli.control;

import dev.acmejx.core.AcmejxException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * The checks that make the control socket's path safe to bind: a directory that only this user (or root) can
 * write, so no one else can swap the socket for their own, and a path that holds nothing but an old socket, so
 * a mistyped {@code --control} never destroys a file.
 */
final class ControlSocketPath {

    private static final int FILE_TYPE = 0170000;
    private static final int SOCKET = 0140000;
    private static final String STAGED_SOCKET = "s";

    private ControlSocketPath() {
    }

    /** Creates the directory 0700 when missing; an existing one must be a real directory nobody else may write. */
    static void prepareDirectory(Path directory) throws AcmejxException {
        try {
            if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                return;
            }
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                throw new AcmejxException(directory + " (for the control socket) is not a directory, or is a "
                        + "symbolic link; give --control a path in a real directory");
            }
            UserPrincipal owner = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
            boolean ours = ControlProtocol.trusted(owner, currentUser());
            boolean shared = mode.contains(PosixFilePermission.GROUP_WRITE)
                    || mode.contains(PosixFilePermission.OTHERS_WRITE);
            if (!ours || shared) {
                throw new AcmejxException(directory + " is owned by " + owner.getName() + " with mode "
                        + PosixFilePermissions.toString(mode) + ": another user could replace the control socket "
                        + "there; give --control a path in a directory only this user or root can write");
            }
        } catch (AccessDeniedException e) {
            throw new AcmejxException("cannot create " + directory + " for the control socket: permission denied; "
                    + "run serve as root (or under systemd's RuntimeDirectory=acmejx), or give --control a path in "
                    + "a directory this user may write", e);
        } catch (IOException e) {
            throw new AcmejxException("cannot prepare " + directory + " for the control socket: " + e, e);
        }
    }

    /**
     * @return whether an old socket is there to be replaced (a stale one, or a running serve's during an upgrade)
     * @throws AcmejxException when something other than a socket is at the path
     */
    static boolean checkReplaceable(Path path) throws AcmejxException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & FILE_TYPE) == SOCKET) {
                return true;
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new AcmejxException("cannot tell what " + path + " is: " + e.getMessage(), e);
        }
        throw new AcmejxException("--control " + path + " exists and is not a socket; acmejx replaces only an old "
                + "control socket there: remove it yourself or choose another path");
    }

    /** Where in a fresh staging directory the socket is bound before it is renamed into place. */
    static Path stagedSocket(Path staging) {
        return staging.resolve(STAGED_SOCKET);
    }

    /** Removes the staging directory a bind used, whatever is left in it. */
    static void removeStaging(Path staging) {
        if (staging == null) {
            return;
        }
        try {
            Files.deleteIfExists(stagedSocket(staging));
            Files.deleteIfExists(staging);
        } catch (IOException e) {
            System.getLogger("acmejx.control").log(System.Logger.Level.WARNING,
                    "could not remove " + staging + ": " + e.getMessage());
        }
    }

    /** The user this process runs as, who owns the socket file it binds. */
    static UserPrincipal currentUser() throws IOException {
        return FileSystems.getDefault().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
    }
}
