package dev.acmejx.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.nio.channels.NotYetConnectedException;
import java.util.function.Consumer;

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

    private final Channel peer;
    private final ConnectionRecord record;
    private final boolean fromClient;

    /**
     * @param fromClient true on the client's channel (bytes go up to the backend), false on the backend's
     */
    Relay(Channel peer, ConnectionRecord record, boolean fromClient) {
        this.peer = peer;
        this.record = record;
        this.fromClient = fromClient;
    }

    /** Write failures surface as the peer's {@link #exceptionCaught}, which closes both sides. */
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
        peer.write(bytes, peer.voidPromise());
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
            resumeReading(peer);
        }
    }

    /**
     * Turns reading back on, unless the channel has nothing left to read: Netty closes a channel whose input is
     * shut down when asked to read from it, which would cut the other direction of a half-closed connection.
     */
    static void resumeReading(Channel channel) {
        if (channel.isActive() && !(channel instanceof DuplexChannel duplex && duplex.isInputShutdown())) {
            channel.config().setAutoRead(true);
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

    /**
     * This side will send no more: tell the peer once everything already sent to it is flushed. When the peer has
     * finished sending too, both directions are done, and closing after the flush sends the same FIN as a shutdown
     * would, without a shutdown call that fails (ENOTCONN) once the peer has closed its socket.
     */
    private void halfClose(Channel self) {
        if (peer instanceof DuplexChannel duplex && duplex.isInputShutdown()) {
            record.end(Outcome.COMPLETED, side(!fromClient) + " finished first");
            closeBoth(self);
            return;
        }
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) flushed -> {
            if (!(peer instanceof DuplexChannel duplex) || !flushed.isSuccess()) {
                record.end(Outcome.ERROR, "passing on the " + side(fromClient) + "'s half-close failed: "
                        + flushed.cause());
                closeBoth(self);
                return;
            }
            shutdownOutput(duplex, shut -> {
                if (!shut || duplex.isInputShutdown()) {
                    record.end(Outcome.COMPLETED, side(!fromClient) + " finished first");
                    closeBoth(self);
                }
            });
        });
    }

    /**
     * Shuts a flushed channel's output and tells {@code then} whether that worked. Netty's own shutdownOutput
     * makes an exception, stack trace and all, to fail writes that could still be queued, once per half-closed
     * connection; after a flush there are none, so a native socket is shut directly, and Netty, which asks the
     * socket for its state, sees the same half-closed channel.
     */
    private static void shutdownOutput(DuplexChannel channel, Consumer<Boolean> then) {
        if (channel instanceof UnixChannel unix && unix.fd() instanceof Socket socket) {
            then.accept(shutdownOutput(socket));
        } else {
            channel.shutdownOutput().addListener(done -> then.accept(done.isSuccess()));
        }
    }

    /**
     * @return false when the socket could not be shut: closed already, or reset by its peer, which Netty reports
     *     as an unchecked {@link NotYetConnectedException} (ENOTCONN)
     */
    static boolean shutdownOutput(Socket socket) {
        try {
            socket.shutdown(false, true);
            return true;
        } catch (IOException | NotYetConnectedException e) {
            return false;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        record.end(Outcome.COMPLETED, side(fromClient) + " closed");
        closeOnFlush(peer);
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

    private void closeBoth(Channel self) {
        closeOnFlush(peer);
        self.close();
    }

    /** Closes once what was already written is flushed; at once when nothing more can be written anyway. */
    static void closeOnFlush(Channel channel) {
        boolean writable = channel.isActive()
                && !(channel instanceof DuplexChannel duplex && duplex.isOutputShutdown());
        if (writable) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    private static String side(boolean client) {
        return client ? "client" : "backend";
    }
}
