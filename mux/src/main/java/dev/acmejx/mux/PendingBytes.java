package dev.acmejx.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Holds the client's bytes while the backend connection is being made: the peek's buffer, plus whatever the client
 * sends meanwhile (TLS 1.3 early data can follow the hello at once). Nothing the client sent may be lost or
 * reordered between the peek and the relay. Reading goes on during the connect, so the common case costs no change
 * of interest in reading; past {@link #MAX_BYTES} it stops until the relay starts.
 */
final class PendingBytes extends ChannelInboundHandlerAdapter {

    /** The most held before reading stops: a ClientHello with early data fits many times over. */
    private static final int MAX_BYTES = 64 * 1024;

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
        if (bytes.readableBytes() >= MAX_BYTES) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    /**
     * The client failed (most often: reset) while the backend was still connecting: nothing is relayed. Closing the
     * client closes the backend too, and removing this handler releases what it held.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Relay.recordFailure(ConnectionRecord.of(ctx.channel()), Relay.CLIENT, cause);
        ctx.close();
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
