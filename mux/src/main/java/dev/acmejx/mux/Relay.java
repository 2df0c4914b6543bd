package dev.acmejx.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.unix.Errors;
import java.io.IOException;

/**
 * Copies what one side reads to the other, with backpressure through auto-read and writability: each side reads
 * freely until the other side's outbound buffer passes its high water mark, then stops reading until that buffer
 * has drained below the low mark, so a slow reader holds a fast sender back at about one high water mark per
 * direction. (One exception is Netty's: a paused epoll channel that sees its peer half-close still reads what its
 * socket holds, up to the receive buffer.) Interest in reading changes only under backpressure, not for every read:
 * with epoll that saves {@code epoll_ctl} calls per read and per connection. A half-close is passed on as a
 * half-close; an error or a full close on either side closes both.
 */
final class Relay extends ChannelInboundHandlerAdapter {

    static final String CLIENT = "client";
    static final String BACKEND = "backend";

    private final RelayPeer peer;
    private final ConnectionRecord record;
    private final boolean fromClient;

    /**
     * @param fromClient true on the client's channel (bytes go up to the backend), false on the backend's
     */
    Relay(RelayPeer peer, ConnectionRecord record, boolean fromClient) {
        this.peer = peer;
        this.record = record;
        this.fromClient = fromClient;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        if (!peer.isActive()) {
            bytes.release();
            return;
        }
        if (fromClient) {
            record.addUp(bytes.readableBytes());
        } else {
            record.addDown(bytes.readableBytes());
        }
        peer.write(bytes);
        if (!peer.isWritable()) {
            // Pause first: the flush may drain the peer at once, and its writability event must find us paused.
            ctx.channel().config().setAutoRead(false);
            peer.flush();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
    }

    /** The peer's reads were paused while this side could not take more; resume them once it can. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            peer.resumeReading();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            halfClose(ctx.channel());
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** This side will send no more: tell the peer once everything already sent to it is flushed. */
    private void halfClose(Channel self) {
        peer.passHalfClose(() -> {
            record.end(Outcome.COMPLETED, side(!fromClient) + " finished first");
            closeBothOnFlush(self);
        }, cause -> {
            record.end(Outcome.ERROR, "passing on the " + side(fromClient) + "'s half-close failed: " + cause);
            closeBoth(self);
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        record.end(Outcome.COMPLETED, side(fromClient) + " closed");
        peer.closeOnFlush();
    }

    /**
     * A reset from either side ends the connection like a close, as far as the proxy is concerned: many clients
     * (wrk, browsers closing tabs) reset instead of closing, and that is not an error of the path.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        recordFailure(record, side(fromClient), cause);
        closeBoth(ctx.channel());
    }

    /** Records how a side's error ended the connection: a reset as a normal end, anything else as an error. */
    static void recordFailure(ConnectionRecord record, String side, Throwable cause) {
        if (isReset(cause)) {
            record.end(Outcome.COMPLETED, side + " reset the connection");
        } else {
            record.end(Outcome.ERROR, side + ": " + cause);
        }
    }

    /**
     * Epoll's errors carry their errno; the C library's message for it is in the system's language. NIO's carry
     * only a message, the JDK's own English "Connection reset".
     */
    private static boolean isReset(Throwable cause) {
        if (cause instanceof Errors.NativeIoException nativeError) {
            return nativeError.expectedErr() == Errors.ERRNO_ECONNRESET_NEGATIVE;
        }
        return cause instanceof IOException && String.valueOf(cause.getMessage()).contains("reset");
    }

    /**
     * Both sides have finished sending: each is closed once what is queued for it is sent, the backend first. The
     * client's channel closing closes the backend at once, so it must wait for that; while it waits, the client's
     * idle timeout still bounds how long a backend that reads nothing keeps both.
     */
    private void closeBothOnFlush(Channel self) {
        RelayPeer own = new ChannelPeer(self);
        if (fromClient) {
            peer.closeOnFlush(own::closeOnFlush);
        } else {
            own.closeOnFlush(peer::closeOnFlush);
        }
    }

    private void closeBoth(Channel self) {
        peer.closeOnFlush();
        self.close();
    }

    static String side(boolean client) {
        return client ? CLIENT : BACKEND;
    }
}
