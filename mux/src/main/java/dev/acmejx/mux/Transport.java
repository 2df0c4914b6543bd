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
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.StandardSocketOptions;

/**
 * The socket transport. NIO is the default. Epoll runs on {@link CorrectedEpollIoHandler}: Netty 4.2.18's own epoll
 * handler drops a half-closed socket from the epoll set and then fails its next write that has to wait (epoll_ctl MOD:
 * ENOENT), cutting responses to clients that half-close; {@code HalfCloseForwardingTest} catches that.
 */
public enum Transport {
    EPOLL, NIO;

    /** The default: NIO. */
    public static Transport best() {
        return NIO;
    }

    /** The transport named {@code epoll} or {@code nio}, falling back to NIO where epoll cannot load. */
    public static Transport named(String name) {
        return name.equalsIgnoreCase("epoll") && Epoll.isAvailable() ? EPOLL : NIO;
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

    Class<? extends Channel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
