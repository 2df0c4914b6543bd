package dev.acmejx.mux;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.Locale;

/**
 * The socket transport. Native epoll is the default where it loads (Linux on x86_64 and aarch64): it forwards with
 * fewer system calls, and a connection reset costs a stackless native error rather than a full exception. It runs
 * on {@link CorrectedEpollIoHandler}, which corrects two defects of Netty 4.2.18's epoll handler; NIO is the
 * fallback and stays selectable. Netty's io_uring transport is selectable where the kernel allows it (Linux 5.14 or
 * later on x86_64, and not disabled by {@code kernel.io_uring_disabled}); bench/README.md says how it measured.
 */
public enum Transport {
    EPOLL, IO_URING, NIO;

    /** The default: epoll where the native library loads, NIO elsewhere. */
    public static Transport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /**
     * The transport named {@code epoll}, {@code io_uring} or {@code nio}; epoll falls back to NIO where it cannot
     * load.
     *
     * @throws IllegalArgumentException for any other name, or io_uring where the kernel does not offer it
     */
    public static Transport named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "epoll" -> best();
            case "io_uring" -> ioUring();
            case "nio" -> NIO;
            default -> throw new IllegalArgumentException("unknown transport '" + name
                    + "': use epoll, io_uring or nio");
        };
    }

    /** No silent fallback: who asks for io_uring by name wants to know when it is not what runs. */
    private static Transport ioUring() {
        if (!IoUring.isAvailable()) {
            throw new IllegalArgumentException("io_uring is not available here (" + IoUring.unavailabilityCause()
                    + "): use epoll, or allow io_uring (sysctl kernel.io_uring_disabled=0, Linux 5.14+ on x86_64)");
        }
        return IO_URING;
    }

    /** Whether this transport can run here: the native ones need their library and the kernel's support. */
    public boolean isAvailable() {
        return switch (this) {
            case EPOLL -> Epoll.isAvailable();
            case IO_URING -> IoUring.isAvailable();
            case NIO -> true;
        };
    }

    /** The transport a channel runs on, so a backend connection is made on the same kind. */
    static Transport of(Channel channel) {
        if (channel instanceof EpollSocketChannel) {
            return EPOLL;
        }
        return channel instanceof IoUringSocketChannel ? IO_URING : NIO;
    }

    MultiThreadIoEventLoopGroup newGroup(int threads) {
        IoHandlerFactory factory = switch (this) {
            case EPOLL -> CorrectedEpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    /** SO_REUSEPORT for a listener: the native option on epoll and io_uring, the JDK's (Linux) one on NIO. */
    ChannelOption<Boolean> reusePort() {
        return switch (this) {
            case EPOLL -> EpollChannelOption.SO_REUSEPORT;
            case IO_URING -> IoUringChannelOption.SO_REUSEPORT;
            case NIO -> NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT);
        };
    }

    Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IoUringServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    /**
     * Makes the channels that connect to {@code remote}. On epoll the socket is of the remote address's own family:
     * Netty's default is an IPv6 socket for every address, which costs an IPV6_V6ONLY setsockopt per connection and
     * reaches an IPv4 backend through a mapped address.
     */
    ChannelFactory<Channel> connectingTo(InetSocketAddress remote) {
        if (this == NIO) {
            return NioSocketChannel::new;
        }
        if (this == IO_URING) {
            return IoUringSocketChannel::new;
        }
        SocketProtocolFamily family = remote.getAddress() instanceof Inet4Address
                ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        return () -> new EpollSocketChannel(family);
    }
}
