package dev.acmejx.mux;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
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
    private final Duration connectTimeout;
    private final Duration idleTimeout;

    public ForwardTarget(InetSocketAddress backend, ProxyProtocol proxyProtocol, Duration connectTimeout,
            Duration idleTimeout) {
        this.backend = backend;
        this.name = ListenAddress.format(backend);
        this.proxyProtocol = proxyProtocol;
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public void accept(Channel client, ClientHello hello, ByteBuf buffered) {
        ConnectionRecord record = ConnectionRecord.of(client);
        PendingBytes pending = new PendingBytes(buffered);
        client.pipeline().addLast(pending);
        // TCP_NODELAY is already Netty's default on both transports; setting it again costs a system call.
        ChannelFuture connect = new Bootstrap()
                .group(client.eventLoop())
                .channelFactory(Transport.of(client).connectingTo(backend))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                // The relay itself, not an initializer that would add it and then remove itself: two fewer
                // pipeline changes per connection.
                .handler(new Relay(client, record, false))
                .connect(backend);
        Channel backendChannel = connect.channel();
        connect.addListener((ChannelFutureListener) connected -> onClientLoop(client, () -> {
            if (!connected.isSuccess()) {
                record.end(Outcome.CONNECT_FAILED, name + ": " + connected.cause().getMessage());
                pending.release();
                client.close();
                return;
            }
            startRelay(client, backendChannel, hello, record, pending);
        }));
        client.closeFuture().addListener(closed -> backendChannel.close());
    }

    /** The connect's outcome arrives on the client's loop, except when no backend channel could be made at all. */
    private static void onClientLoop(Channel client, Runnable step) {
        if (client.eventLoop().inEventLoop()) {
            step.run();
        } else {
            client.eventLoop().execute(step);
        }
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
