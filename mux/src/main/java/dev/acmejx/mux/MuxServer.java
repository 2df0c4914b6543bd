package dev.acmejx.mux;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The listening half of the mux: accepts on every configured address and gives each connection a
 * {@link ClientHelloPeekHandler}; the {@link Router} decides the rest.
 */
public final class MuxServer implements AutoCloseable {

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final List<Channel> listeners;

    private MuxServer(EventLoopGroup bossGroup, EventLoopGroup workerGroup, List<Channel> listeners) {
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.listeners = listeners;
    }

    /**
     * Binds every address or none: when one fails, those already bound are closed again.
     *
     * @param workerThreads event loops for connections; 0 for Netty's default (twice the cores)
     */
    public static MuxServer start(List<InetSocketAddress> addresses, Router router, Duration inspectTimeout,
            int workerThreads) throws ListenException {
        Transport transport = Transport.best();
        EventLoopGroup boss = transport.newGroup(1);
        EventLoopGroup workers = transport.newGroup(workerThreads);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ClientHelloPeekHandler(router, inspectTimeout));
                    }
                });
        List<Channel> bound = new ArrayList<>();
        MuxServer server = new MuxServer(boss, workers, bound);
        for (InetSocketAddress address : addresses) {
            try {
                bound.add(bootstrap.bind(address).syncUninterruptibly().channel());
            } catch (Exception e) {
                server.close();
                throw new ListenException(address, e);
            }
        }
        return server;
    }

    /** The addresses actually bound, with real port numbers when port 0 was asked for. */
    public List<InetSocketAddress> boundAddresses() {
        return listeners.stream().map(ch -> (InetSocketAddress) ch.localAddress()).toList();
    }

    /** Stops accepting and closes open connections. */
    @Override
    public void close() {
        listeners.forEach(ch -> ch.close().syncUninterruptibly());
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
