package dev.acmejx.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.nio.channels.NotYetConnectedException;
import java.util.function.Consumer;

/** A Netty channel as the other side of a {@link Relay}: the client's always, the backend's on NIO. */
final class ChannelPeer implements RelayPeer {

    private final Channel channel;

    ChannelPeer(Channel channel) {
        this.channel = channel;
    }

    @Override
    public boolean isActive() {
        return channel.isActive();
    }

    /** Write failures surface as the channel's own {@code exceptionCaught}, which closes both sides. */
    @Override
    public void write(ByteBuf bytes) {
        channel.write(bytes, channel.voidPromise());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    /**
     * Netty closes a channel whose input is shut down when asked to read from it, which would cut the other direction
     * of a half-closed connection: such a channel is left as it is.
     */
    @Override
    public void resumeReading() {
        if (channel.isActive() && !isInputShutdown()) {
            channel.config().setAutoRead(true);
        }
    }

    @Override
    public boolean isInputShutdown() {
        return channel instanceof DuplexChannel duplex && duplex.isInputShutdown();
    }

    /**
     * Flushes an empty buffer to learn when everything before it is sent. After that, closing instead of shutting
     * when this side has finished too sends the same FIN, without a shutdown call that fails (ENOTCONN) once the
     * peer has closed its socket.
     */
    @Override
    public void passHalfClose(Runnable bothDone, Consumer<Throwable> failed) {
        if (isInputShutdown()) {
            bothDone.run();
            return;
        }
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) flushed -> {
            if (!(channel instanceof DuplexChannel duplex) || !flushed.isSuccess()) {
                failed.accept(flushed.cause());
                return;
            }
            shutdownOutput(duplex, shut -> {
                if (!shut || duplex.isInputShutdown()) {
                    bothDone.run();
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
    public void closeOnFlush(Runnable afterwards) {
        boolean writable = channel.isActive()
                && !(channel instanceof DuplexChannel duplex && duplex.isOutputShutdown());
        if (writable) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed -> {
                channel.close();
                afterwards.run();
            });
        } else {
            channel.close();
            afterwards.run();
        }
    }
}
