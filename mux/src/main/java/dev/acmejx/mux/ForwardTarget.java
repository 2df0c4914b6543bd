package dev.acmejx.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Forwards a connection byte for byte to one backend: connect (on the client's own event loop, so both
 * channels of a connection never cross threads), write the PROXY header if asked, replay what the peek
 * buffered, then relay both ways until either side is done.
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
        Channel backendChannel;
        try {
            backendChannel = Transport.of(client).connectingTo(backend).newChannel();
        } catch (ChannelException e) {
            connectFailed(client, record, pending, e);
            return;
        }
        connect(client, backendChannel, record).addListener((ChannelFutureListener) connected -> {
            if (!connected.isSuccess()) {
                connectFailed(client, record, pending, connected.cause());
                return;
            }
            startRelay(client, backendChannel, hello, record, pending);
        });
        client.closeFuture().addListener(closed -> backendChannel.close());
    }

    /**
     * Registers the backend channel on the client's event loop, where this runs, and connects it. Not a
     * {@code Bootstrap}: one per connection would copy its options and attributes into the channel and hand the
     * connect to the loop as a task for later; registered on its own loop, the channel is registered at once, and
     * the connect starts in the same pass that read the ClientHello.
     */
    private ChannelFuture connect(Channel client, Channel channel, ConnectionRecord record) {
        // TCP_NODELAY is already Netty's default on both transports; setting it again costs a system call.
        channel.config().setConnectTimeoutMillis(connectTimeoutMillis);
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        channel.pipeline().addLast(new Relay(client, record, false));
        ChannelFuture registered = client.eventLoop().register(channel);
        if (registered.cause() != null) {
            channel.unsafe().closeForcibly();
            return registered;
        }
        return channel.connect(backend);
    }

    private void connectFailed(Channel client, ConnectionRecord record, PendingBytes pending, Throwable cause) {
        record.end(Outcome.CONNECT_FAILED, name + ": " + cause.getMessage());
        pending.release();
        client.close();
    }

    private void startRelay(Channel client, Channel backendChannel, ClientHello hello, ConnectionRecord record,
            PendingBytes pending) {
        proxyProtocol.header(client, hello).ifPresent(header -> {
            backendChannel.pipeline().addFirst(HAProxyMessageEncoder.INSTANCE);
            backendChannel.write(header);
            backendChannel.pipeline().remove(HAProxyMessageEncoder.INSTANCE);
        });
        record.addUp(pending.readableBytes());
        backendChannel.writeAndFlush(pending.take());
        client.pipeline().replace(pending, "relay", new Relay(backendChannel, record, true));
        if (!idleTimeout.isZero() && !idleTimeout.isNegative()) {
            client.pipeline().addBefore("relay", "idle", new IdleTimeout(record, idleTimeout));
        }
        Relay.resumeReading(client);
        if (pending.inputShutdown()) {
            client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }

    @Override
    public String name() {
        return name;
    }
}
