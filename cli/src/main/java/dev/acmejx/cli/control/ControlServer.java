package dev.acmejx.cli.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmejx.core.AcmejxException;
import dev.acmejx.responder.PendingChallenges;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The control socket of {@code serve} (DESIGN §7): a Unix domain socket, mode 0600, through which
 * {@code issue}, {@code renew}, {@code acmejx challenge} and ualpn's client publish and withdraw challenges. It
 * runs on its own event loop, so nothing a control client does (a flood, a 10 MB line, a stalled reader) takes
 * time from forwarding.
 *
 * <p>The socket is bound under a temporary name, restricted to 0600 and only then renamed into place: there is
 * no moment when the final path accepts anyone, and a new {@code serve} of a zero-downtime upgrade takes the path
 * over atomically from the old one, which on exit removes the path only if it is still its own socket.
 */
public final class ControlServer implements AutoCloseable {

    /** Where serve listens and issue, renew and challenge look, unless told otherwise. */
    public static final String DEFAULT_PATH = "/run/acmejx/control.sock";

    /** Longer request lines are answered with an error and skipped; a publish request is a few hundred bytes. */
    static final int MAX_LINE = 64 * 1024;

    private static final Logger LOG = System.getLogger("acmejx.control");
    private static final int SUN_PATH_MAX = 107;
    private static final int IDLE_SECONDS = 300;

    private final Path path;
    private final Object fileKey;
    private final EventLoopGroup group;
    private final Channel listener;

    private ControlServer(Path path, Object fileKey, EventLoopGroup group, Channel listener) {
        this.path = path;
        this.fileKey = fileKey;
        this.group = group;
        this.listener = listener;
    }

    /**
     * Binds the socket at {@code path} and answers its clients until {@link #close}.
     *
     * @param challenges where published challenges go and withdrawn ones leave
     * @param status what {@code status} reports about the running serve besides the challenges
     */
    public static ControlServer start(Path path, PendingChallenges challenges, Supplier<ObjectNode> status)
            throws AcmejxException {
        Path absolute = path.toAbsolutePath().normalize();
        checkLength(absolute);
        ControlSocketPath.prepareDirectory(absolute.getParent());
        boolean replacing = ControlSocketPath.checkReplaceable(absolute);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Path staging = null;
        try {
            // Bound inside a fresh 0700 directory: nobody can reach or swap the socket before it is 0600.
            staging = Files.createTempDirectory(absolute.getParent(), ".ctl");
            Path temporary = ControlSocketPath.stagedSocket(staging);
            checkLength(temporary);
            Channel listener = new ServerBootstrap().group(group).channel(NioServerDomainSocketChannel.class)
                    .childHandler(pipeline(new ControlRequests(challenges, status), ControlSocketPath.currentUser()))
                    .bind(UnixDomainSocketAddress.of(temporary)).sync().channel();
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.log(Level.INFO, "control socket at {0}{1}", absolute, replacing
                    ? " (took the path over from an earlier serve or a stale socket)" : "");
            return new ControlServer(absolute, fileKey(absolute), group, listener);
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new AcmejxException("cannot open the control socket " + absolute + ": " + e.getMessage()
                    + "; give --control a path in a directory this user may write", e);
        } catch (InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            Thread.currentThread().interrupt();
            throw new AcmejxException("interrupted while opening the control socket " + absolute, e);
        } finally {
            ControlSocketPath.removeStaging(staging);
        }
    }

    private static ChannelInitializer<Channel> pipeline(ControlRequests requests, UserPrincipal owner) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new PeerCredentialCheck(owner),
                        new ReadTimeoutHandler(IDLE_SECONDS),
                        new LineBasedFrameDecoder(MAX_LINE, true, false),
                        new StringDecoder(StandardCharsets.UTF_8),
                        new StringEncoder(StandardCharsets.UTF_8),
                        new ControlConnection(requests));
            }
        };
    }

    private static void checkLength(Path path) throws AcmejxException {
        if (path.toString().getBytes(StandardCharsets.UTF_8).length > SUN_PATH_MAX) {
            throw new AcmejxException("--control " + path + " is longer than the " + SUN_PATH_MAX
                    + " bytes a Unix socket path may have; choose a shorter path");
        }
    }

    private static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /** Stops accepting and removes the socket file, unless a newer {@code serve} has taken the path over. */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        try {
            if (Objects.equals(fileKey(path), fileKey)) {
                Files.delete(path);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "control socket {0} already gone: {1}", path, e.toString());
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
