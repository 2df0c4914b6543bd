package dev.acmejx.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.WriteBufferWaterMark;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * What a {@link BackendSocket} has to send and its socket has not taken yet. Bytes are sent as they come and queued
 * only when the socket buffer is full. Like a Netty channel's outbound buffer, the queue turns unwritable past the
 * high water mark and writable again once it has drained below the low one.
 */
final class SendQueue {

    private final StreamSocket socket;
    private final WriteBufferWaterMark marks;
    /** Made at the first byte the socket does not take: most connections never need it. */
    private ArrayDeque<ByteBuf> queued;
    private long bytes;
    private boolean writable = true;

    SendQueue(StreamSocket socket, WriteBufferWaterMark marks) {
        this.socket = socket;
        this.marks = marks;
    }

    /**
     * Sends {@code added} (taken over) behind what is queued, queueing what the socket does not take.
     *
     * @throws IOException when the socket failed; {@code added} is released then
     */
    void add(ByteBuf added) throws IOException {
        if (bytes == 0) {
            try {
                if (sendAll(added)) {
                    added.release();
                    return;
                }
            } catch (IOException e) {
                added.release();
                throw e;
            }
        }
        if (queued == null) {
            queued = new ArrayDeque<>(4);
        }
        queued.add(added);
        bytes += added.readableBytes();
        if (bytes > marks.high()) {
            writable = false;
        }
    }

    /**
     * Sends what is queued, as far as the socket takes it. A buffer that failed stays queued, for {@link #release}.
     *
     * @return true when this made the queue writable again
     */
    boolean send() throws IOException {
        while (bytes > 0) {
            ByteBuf head = queued.peek();
            int before = head.readableBytes();
            boolean all = sendAll(head);
            bytes -= before - head.readableBytes();
            if (!all) {
                break;
            }
            queued.poll().release();
        }
        if (!writable && bytes < marks.low()) {
            writable = true;
            return true;
        }
        return false;
    }

    /** @return true when all of {@code buffer} was sent, false when the socket buffer is full */
    private boolean sendAll(ByteBuf buffer) throws IOException {
        while (buffer.isReadable()) {
            int sent = socket.send(buffer);
            if (sent == 0) {
                return false;
            }
            buffer.skipBytes(sent);
        }
        return true;
    }

    boolean isEmpty() {
        return bytes == 0;
    }

    boolean isWritable() {
        return writable;
    }

    /** Drops what is still queued: the socket is closing. */
    void release() {
        if (queued != null) {
            queued.forEach(ByteBuf::release);
            queued.clear();
            bytes = 0;
        }
    }
}
