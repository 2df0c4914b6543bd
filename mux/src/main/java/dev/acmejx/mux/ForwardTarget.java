package dev.acmejx.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Forwards a connection byte for byte to one backend: connect (on the client's own event loop, so both
 * sides of a connection never cross threads), write the PROXY header if asked, replay what the peek
 * buffered, then relay both ways until either side is done. On epoll the backend is a {@link BackendSocket}, on
 * NIO a second channel.
 */
public final class ForwardTarget implements RouteTarget {

    private final InetSocketAddress backend;
    private final String name;
    private final ProxyProtocol proxyProtocol;
    private final int connectTimeoutMillis;
    private final Duration idleTimeout;

    public ForwardTarget(InetSocketAddress backend, ProxyProtocol proxyProtocol, Duration connectTimeout,
            Duration idleTimeout) {
        this.backend = backend;
        this.name = ListenAddress.format(backend);
        this.proxyProtocol = proxyProtocol;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.idleTimeout = idleTimeout;
    }

    @Override
    public void accept(Channel client, ClientHello hello, ByteBuf buffered) {
        ConnectionRecord record = ConnectionRecord.of(client);
        PendingBytes pending = new PendingBytes(buffered);
        client.pipeline().addLast(pending);
        Consumer<RelayPeer> connected = backendPeer -> startRelay(client, backendPeer, hello, record, pending);
        Consumer<Throwable> failed = cause -> connectFailed(client, record, pending, cause);
        Runnable closeBackend;
        try {
            closeBackend = Transport.of(client) == Transport.EPOLL
                    ? BackendSocket.connect(client, backend, connectTimeoutMillis, record, connected, failed)::close
                    : connectChannel(client, record, connected, failed)::close;
        } catch (ChannelException e) {
            failed.accept(e);
            return;
        }
        client.closeFuture().addListener(closed -> closeBackend.run());
    }

    /**
     * NIO's way: the backend is a second channel, registered on the client's event loop, where this runs, and
     * connected at once. Not a {@code Bootstrap}: one per connection would copy its options and attributes into the
     * channel and hand the connect to the loop as a task for later.
     */
    private Channel connectChannel(Channel client, ConnectionRecord record, Consumer<RelayPeer> connected,
            Consumer<Throwable> failed) {
        Channel channel = new NioSocketChannel();
        channel.config().setConnectTimeoutMillis(connectTimeoutMillis);
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        channel.pipeline().addLast(new Relay(new ChannelPeer(client), record, false));
        ChannelFuture registered = client.eventLoop().register(channel);
        if (registered.cause() != null) {
            channel.unsafe().closeForcibly();
            failed.accept(registered.cause());
            return channel;
        }
        channel.connect(backend).addListener((ChannelFutureListener) done -> {
            if (done.isSuccess()) {
                connected.accept(new ChannelPeer(channel));
            } else {
                failed.accept(done.cause());
            }
        });
        return channel;
    }

    private void connectFailed(Channel client, ConnectionRecord record, PendingBytes pending, Throwable cause) {
        record.end(Outcome.CONNECT_FAILED, name + ": " + cause.getMessage());
        pending.release();
        client.close();
    }

    /** The PROXY header and the client's first bytes go out as one buffer: one system call for both. */
    private void startRelay(Channel client, RelayPeer backendPeer, ClientHello hello, ConnectionRecord record,
            PendingBytes pending) {
        record.addUp(pending.readableBytes());
        ByteBuf first = pending.take();
        backendPeer.write(proxyProtocol.encodedHeader(client, hello)
                .map(header -> (ByteBuf) Unpooled.wrappedBuffer(header, first)).orElse(first));
        backendPeer.flush();
        client.pipeline().replace(pending, "relay", new Relay(backendPeer, record, true));
        if (!idleTimeout.isZero() && !idleTimeout.isNegative()) {
            client.pipeline().addBefore("relay", "idle", new IdleTimeout(record, idleTimeout));
        }
        new ChannelPeer(client).resumeReading();
        if (pending.inputShutdown()) {
            client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }

    @Override
    public String name() {
        return name;
    }
}
