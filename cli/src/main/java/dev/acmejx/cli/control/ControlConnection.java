package dev.acmejx.cli.control;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * One control client: each request line gets exactly one answer line, in order. A client that sends faster than
 * it reads its answers is not read from until its answers drain, so it cannot make {@code serve} buffer without
 * bound; a line over {@link ControlServer#MAX_LINE} is skipped with an error answer, and the connection goes on.
 */
final class ControlConnection extends SimpleChannelInboundHandler<String> {

    private static final Logger LOG = System.getLogger("acmejx.control");

    private final ControlRequests requests;

    ControlConnection(ControlRequests requests) {
        this.requests = requests;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
        ctx.write(requests.answer(line));
        if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            ctx.writeAndFlush(ControlRequests.error("request line longer than " + ControlServer.MAX_LINE
                    + " bytes; ignored"));
            return;
        }
        if (!(cause instanceof ReadTimeoutException)) {
            LOG.log(Level.DEBUG, "control client dropped: {0}", cause.toString());
        }
        ctx.close();
    }
}
