package dev.acmejx.mux;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The listening half of the mux: accepts on every configured address, gives each connection a
 * {@link ClientHelloPeekHandler} and a {@link ConnectionRecord}, and logs that record as one line when the
 * connection closes. The {@link Router} decides everything in between.
 */
public final class MuxServer implements AutoCloseable {

    private static final Logger LOG = System.getLogger("acmejx.mux");

    /**
     * @param workerThreads event loops, each accepting (with SO_REUSEPORT) and serving connections; 0 for Netty's
     *     default (twice the cores)
     * @param maxConnections open client connections at most; further ones are closed at accept
     * @param reusePort bind with SO_REUSEPORT so a new process can listen beside this one
     */
    public record Settings(List<InetSocketAddress> listen, Duration inspectTimeout, int workerThreads,
            int maxConnections, boolean reusePort, Transport transport) {

        public Settings {
            listen = List.copyOf(listen);
        }

        /**
         * Event loops for a machine with {@code cores} cores when none are asked for: half of them, at least one.
         * The relay shares the machine with the web server behind it, which terminates TLS and so spends more CPU
         * on every connection than the relay does; more loops than the relay's share of the cores only add
         * wake-ups. On 2 cores one loop used about 15% less CPU per new connection and 6% less per keep-alive
         * request than two, at the same requests/s (bench/README.md).
         */
        public static int defaultEventLoops(int cores) {
            return Math.max(1, cores / 2);
        }

        /** One listener, defaults for the rest: what {@code issue}'s own responder needs. */
        public static Settings single(InetSocketAddress address, Duration inspectTimeout, int workerThreads) {
            return new Settings(List.of(address), inspectTimeout, workerThreads, Integer.MAX_VALUE, false,
                    Transport.best());
        }
    }

    private final EventLoopGroup loops;
    private final List<Channel> listeners = new ArrayList<>();
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final MuxMetrics metrics;

    private MuxServer(EventLoopGroup loops, MuxMetrics metrics) {
        this.loops = loops;
        this.metrics = metrics;
    }

    /** Binds every address or none: when one fails, those already bound are closed again. */
    public static MuxServer start(Settings settings, Router router) throws ListenException {
        return start(settings, router, new MuxMetrics());
    }

    /**
     * With SO_REUSEPORT every event loop gets a listener of its own on each address, so the kernel spreads new
     * connections over the loops and each connection is accepted, inspected and forwarded on one thread, with no
     * hand-over from an acceptor thread (a wake-up and a task per connection). Without it one loop accepts for all.
     *
     * @param metrics where the connections are counted; made before the listeners so it can be served first
     */
    public static MuxServer start(Settings settings, Router router, MuxMetrics metrics) throws ListenException {
        MuxServer server = new MuxServer(settings.transport().newGroup(settings.workerThreads()), metrics);
        server.bind(settings, server.bootstrap(settings, router).channel(settings.transport().serverChannel()));
        return server;
    }

    /**
     * Accepts on sockets systemd passed instead of binding {@link Settings#listen}: one listener per socket, on one
     * event loop, handing its connections to all of them. A passed socket cannot be opened again once per loop as
     * SO_REUSEPORT does (that would be a new socket, outside the unit's queue), so with several loops each accepted
     * connection costs the hand-over that a listener per loop saves. Epoll only: the JDK cannot wrap a descriptor.
     */
    public static MuxServer start(Settings settings, Router router, MuxMetrics metrics,
            List<SocketActivation.Passed> passed) throws ListenException {
        if (passed.isEmpty()) {
            return start(settings, router, metrics);
        }
        if (settings.transport() != Transport.EPOLL) {
            throw new ListenException("systemd passed " + passed.size() + " sockets, and only the epoll transport "
                    + "can take a passed socket: drop --transport nio, or run serve without the socket unit");
        }
        MuxServer server = new MuxServer(settings.transport().newGroup(settings.workerThreads()), metrics);
        ServerBootstrap template = server.bootstrap(settings, router);
        for (SocketActivation.Passed socket : passed) {
            try {
                Channel listener = template.clone()
                        .channelFactory(() -> new EpollServerSocketChannel(socket.descriptor()))
                        .group(server.loops.next(), server.loops).register().syncUninterruptibly().channel();
                server.listeners.add(listener);
                if (!(listener.localAddress() instanceof InetSocketAddress) || !listener.isActive()) {
                    throw new IllegalStateException("not a listening socket");
                }
            } catch (RuntimeException e) {
                server.close();
                throw new ListenException("descriptor " + socket.descriptor() + " (" + socket.name() + ") that "
                        + "systemd passed is not a listening TCP socket (" + e.getMessage() + "); give the socket "
                        + "unit ListenStream= lines only");
            }
        }
        return server;
    }

    private void bind(Settings settings, ServerBootstrap template) throws ListenException {
        List<EventLoop> acceptors = new ArrayList<>();
        if (settings.reusePort()) {
            loops.forEach(loop -> acceptors.add((EventLoop) loop));
        } else {
            acceptors.add(loops.next());
        }
        for (InetSocketAddress address : settings.listen()) {
            InetSocketAddress bindTo = address;
            for (EventLoop acceptor : acceptors) {
                try {
                    Channel listener = template.clone().group(acceptor, settings.reusePort() ? acceptor : loops)
                            .bind(bindTo).syncUninterruptibly().channel();
                    listeners.add(listener);
                    bindTo = (InetSocketAddress) listener.localAddress();
                } catch (Exception e) {
                    // Only the address's first bind may be skipped so; a later loop's failing is a real failure.
                    if (bindTo == address && coveredByDualStack(address)) {
                        LOG.log(Level.INFO, "{0} is already served by the dual-stack wildcard listener on the same "
                                + "port", ListenAddress.format(address));
                        break;
                    }
                    close();
                    throw new ListenException(address, e);
                }
            }
        }
    }

    /** Everything but the channel and the event loops, which each listener gets its own of. */
    private ServerBootstrap bootstrap(Settings settings, Router router) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        admit(ch, router, settings);
                    }
                });
        if (settings.reusePort()) {
            bootstrap.option(settings.transport().reusePort(), true);
        }
        return bootstrap;
    }

    /**
     * Without SO_REUSEPORT, {@code 0.0.0.0:P} cannot be bound beside {@code [::]:P}, which on Linux already accepts
     * IPv4 as well; the default pair of listeners must still work then.
     */
    private boolean coveredByDualStack(InetSocketAddress address) {
        return address.getAddress().isAnyLocalAddress() && address.getAddress().getAddress().length == 4
                && boundAddresses().stream().anyMatch(bound -> bound.getAddress().isAnyLocalAddress()
                        && bound.getAddress().getAddress().length == 16 && bound.getPort() == address.getPort());
    }

    private void admit(Channel channel, Router router, Settings settings) {
        ConnectionRecord record = ConnectionRecord.attach(channel);
        boolean overLimit = metrics.opened() > settings.maxConnections();
        connections.add(channel);
        channel.closeFuture().addListener(closed -> {
            metrics.closed(record);
            LOG.log(Level.INFO, (Supplier<String>) record::logLine);
        });
        if (overLimit) {
            record.end(Outcome.OVER_LIMIT, "--max-connections " + settings.maxConnections() + " reached");
            channel.close();
            return;
        }
        channel.pipeline().addLast(new ClientHelloPeekHandler(router, settings.inspectTimeout()));
    }

    /** The addresses actually bound, with real port numbers when port 0 was asked for. */
    public List<InetSocketAddress> boundAddresses() {
        return listeners.stream().map(ch -> (InetSocketAddress) ch.localAddress()).distinct().toList();
    }

    public MuxMetrics metrics() {
        return metrics;
    }

    /**
     * Graceful stop: no new connections, open ones may finish for up to {@code grace}, then the rest are closed.
     *
     * @return how many connections were still open when the grace period ended
     */
    public int drain(Duration grace) throws InterruptedException {
        listeners.forEach(ch -> ch.close().syncUninterruptibly());
        Instant deadline = Instant.now().plus(grace);
        while (!connections.isEmpty() && Instant.now().isBefore(deadline)) {
            connections.newCloseFuture().await(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()),
                    TimeUnit.MILLISECONDS);
        }
        int left = connections.size();
        close();
        return left;
    }

    /** Stops accepting and closes open connections; once is enough (after {@link #drain} it does nothing). */
    @Override
    public void close() {
        if (loops.isShuttingDown()) {
            return;
        }
        listeners.forEach(ch -> ch.close().syncUninterruptibly());
        connections.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
