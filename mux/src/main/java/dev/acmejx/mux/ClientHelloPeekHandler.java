package dev.acmejx.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
 * that target. Slow, malformed or oversized openings are closed with one log line; none of them can hurt the
 * event loop because the reader is linear and bounded.
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
        timeout = ctx.executor().schedule(() -> reject(ctx, "no complete ClientHello within " + inspectTimeout),
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
            reject(ctx, e.getMessage());
            return;
        }
        hello.ifPresent(h -> handOver(ctx, h));
    }

    private void handOver(ChannelHandlerContext ctx, ClientHello hello) {
        RouteTarget target = router.route(hello);
        LOG.log(Level.INFO, "{0} sni={1} alpn={2} -> {3}", ctx.channel().remoteAddress(),
                hello.serverNameForLog(), String.join(",", hello.alpnProtocols()), target.name());
        ByteBuf bytes = buffered;
        buffered = null;
        ctx.pipeline().remove(this);
        try {
            target.accept(ctx.channel(), hello, bytes);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "{0} closed: route {1} failed to take the connection: {2}",
                    ctx.channel().remoteAddress(), target.name(), e.toString());
            if (bytes.refCnt() > 0) {
                bytes.release();
            }
            ctx.channel().close();
        }
    }

    private void reject(ChannelHandlerContext ctx, String reason) {
        if (rejected) {
            return;
        }
        rejected = true;
        LOG.log(Level.INFO, "{0} closed: {1}", ctx.channel().remoteAddress(), reason);
        release();
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        reject(ctx, "error before the ClientHello: " + cause.getMessage());
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
