package dev.acmejx.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Holds the client's bytes while the backend connection is being made: the peek's buffer, plus anything the
 * read loop still delivers after auto-read was turned off (TLS 1.3 early data can follow the hello at once).
 * Nothing the client sent may be lost or reordered between the peek and the relay.
 */
final class PendingBytes extends ChannelInboundHandlerAdapter {

    private ByteBuf bytes;
    private boolean inputShutdown;

    PendingBytes(ByteBuf buffered) {
        this.bytes = buffered;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (bytes == null) {
            ((ByteBuf) msg).release();
            return;
        }
        bytes = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), bytes, (ByteBuf) msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Whether the client already half-closed: the relay must pass that on once it runs. */
    boolean inputShutdown() {
        return inputShutdown;
    }

    int readableBytes() {
        return bytes.readableBytes();
    }

    /** Hands the bytes over; this handler holds none afterwards. */
    ByteBuf take() {
        ByteBuf taken = bytes;
        bytes = null;
        return taken;
    }

    void release() {
        if (bytes != null) {
            bytes.release();
            bytes = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }
}
