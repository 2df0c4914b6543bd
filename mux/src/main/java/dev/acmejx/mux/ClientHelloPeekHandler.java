package dev.acmejx.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * First handler of every accepted connection: buffers bytes until one whole ClientHello is there, asks the
 * {@link Router} where the connection goes, removes itself and hands the connection with every buffered byte to
 * that target. Slow, malformed or oversized openings are closed and their reason recorded for the connection's
 * log line; none of them can hurt the event loop because the reader is linear and bounded.
 */
final class ClientHelloPeekHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger("acmejx.mux");

    private final Router router;
    private final Duration inspectTimeout;
    private final ClientHelloReader reader = new ClientHelloReader();
    private ByteBuf buffered;
    private Future<?> timeout;
    private boolean rejected;

    ClientHelloPeekHandler(Router router, Duration inspectTimeout) {
        this.router = router;
        this.inspectTimeout = inspectTimeout;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> reject(ctx, Outcome.INSPECT_TIMEOUT,
                "no complete ClientHello within " + inspectTimeout.toMillis() + " ms"),
                inspectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (rejected) {
            in.release();
            return;
        }
        buffered = buffered == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), buffered, in);
        Optional<ClientHello> hello;
        try {
            hello = reader.read(buffered);
        } catch (MalformedClientHelloException e) {
            reject(ctx, e.isNotTls() ? Outcome.NOT_TLS : Outcome.MALFORMED, e.getMessage());
            return;
        }
        hello.ifPresent(h -> handOver(ctx, h));
    }

    private void handOver(ChannelHandlerContext ctx, ClientHello hello) {
        RouteTarget target = router.route(hello);
        ConnectionRecord.of(ctx.channel()).routed(hello, target.name());
        ByteBuf bytes = buffered;
        buffered = null;
        ctx.pipeline().remove(this);
        try {
            target.accept(ctx.channel(), hello, bytes);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "route " + target.name() + " failed to take a connection", e);
            ConnectionRecord.of(ctx.channel()).end(Outcome.ERROR, "route failed: " + e);
            ctx.channel().close();
        }
    }

    private void reject(ChannelHandlerContext ctx, Outcome outcome, String reason) {
        if (rejected) {
            return;
        }
        rejected = true;
        ConnectionRecord.of(ctx.channel()).end(outcome, reason);
        release();
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            reject(ctx, Outcome.MALFORMED, "client closed before a complete ClientHello");
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        reject(ctx, Outcome.ERROR, "before the ClientHello: " + cause.getMessage());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
        if (buffered != null) {
            buffered.release();
            buffered = null;
        }
    }
}
