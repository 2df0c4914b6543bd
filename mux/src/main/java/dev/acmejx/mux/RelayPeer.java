package dev.acmejx.mux;

import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * Where a {@link Relay} sends what its side reads, and all it needs to know about that other side: a Netty channel
 * ({@link ChannelPeer}) or, on epoll, the backend's bare socket ({@link BackendSocket}). Everything is called on the
 * connection's one event loop.
 */
interface RelayPeer {

    /** Whether bytes written now can still be delivered: connected, open and not closing. */
    boolean isActive();

    /** Takes over {@code bytes} (and releases them) to send them; they may wait for {@link #flush}. */
    void write(ByteBuf bytes);

    /** Sends what {@link #write} queued, as far as the socket takes it. */
    void flush();

    /**
     * False while more is queued than the high water mark; the side writing here then stops reading until the peer,
     * drained below the low mark, calls that side's {@link #resumeReading}.
     */
    boolean isWritable();

    /** Turns reading back on, unless this side has nothing left to read. */
    void resumeReading();

    /** Whether this side has read its end of stream: it will send nothing more. */
    boolean isInputShutdown();

    /**
     * Passes the other side's half-close on: once everything queued is sent, shuts this side's output. Calls
     * {@code bothDone} when the connection is finished either way (this side had already finished sending, or its
     * output could not be shut) and {@code failed} when what was queued could not be sent.
     */
    void passHalfClose(Runnable bothDone, Consumer<Throwable> failed);

    /**
     * Closes once what was already written is sent, at once when nothing more can be sent anyway, and then runs
     * {@code afterwards}.
     */
    void closeOnFlush(Runnable afterwards);

    default void closeOnFlush() {
        closeOnFlush(() -> { });
    }
}
