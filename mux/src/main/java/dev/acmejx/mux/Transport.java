package dev.acmejx.mux;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.StandardSocketOptions;
import java.util.Locale;

/**
 * The socket transport. Native epoll is the default where it loads (Linux on x86_64 and aarch64): it forwards with
 * fewer system calls, and a connection reset costs a stackless native error rather than a full exception. It runs
 * on {@link CorrectedEpollIoHandler}, which corrects two defects of Netty 4.2.18's epoll handler; NIO is the
 * fallback and stays selectable.
 */
public enum Transport {
    EPOLL, NIO;

    /** The default: epoll where the native library loads, NIO elsewhere. */
    public static Transport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /**
     * The transport named {@code epoll} or {@code nio}; epoll falls back to NIO where it cannot load.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Transport named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "epoll" -> best();
            case "nio" -> NIO;
            default -> throw new IllegalArgumentException("unknown transport '" + name + "': use epoll or nio");
        };
    }

    /** The transport a channel runs on, so a backend connection is made on the same kind. */
    static Transport of(Channel channel) {
        return channel instanceof EpollSocketChannel ? EPOLL : NIO;
    }

    MultiThreadIoEventLoopGroup newGroup(int threads) {
        IoHandlerFactory factory = this == EPOLL ? CorrectedEpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    /** SO_REUSEPORT for a listener: the native option on epoll, the JDK's (Linux) one on NIO. */
    ChannelOption<Boolean> reusePort() {
        return this == EPOLL ? EpollChannelOption.SO_REUSEPORT : NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT);
    }

    Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
