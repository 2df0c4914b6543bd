package dev.acmejx.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Netty's native socket, opened in the family asked for (Netty's own factory opens IPv6 ones only), that reads and
 * sends a buffer whatever its kind.
 */
final class StreamSocket extends Socket {

    private StreamSocket(int fd) {
        super(fd);
    }

    static StreamSocket open(boolean ipv6) {
        return new StreamSocket(newSocketStream0(ipv6));
    }

    /** @return bytes read into {@code bytes}' writable space, 0 when there are none now, -1 at end of stream */
    int read(ByteBuf bytes) throws IOException {
        if (bytes.hasMemoryAddress()) {
            return recvAddress(bytes.memoryAddress(), bytes.writerIndex(), bytes.capacity());
        }
        ByteBuffer buffer = bytes.internalNioBuffer(bytes.writerIndex(), bytes.writableBytes());
        return recv(buffer, buffer.position(), buffer.limit());
    }

    /** @return bytes sent from {@code bytes}' readable ones, 0 when the socket buffer is full */
    int send(ByteBuf bytes) throws IOException {
        if (bytes.hasMemoryAddress()) {
            return sendAddress(bytes.memoryAddress(), bytes.readerIndex(), bytes.writerIndex());
        }
        if (bytes.nioBufferCount() == 1) {
            ByteBuffer buffer = bytes.internalNioBuffer(bytes.readerIndex(), bytes.readableBytes());
            if (buffer.isDirect()) {
                return send(buffer, buffer.position(), buffer.limit());
            }
        }
        return sendCopy(bytes);
    }

    /** A heap or composite buffer (a PROXY header before the client's first bytes) goes out through a copy. */
    private int sendCopy(ByteBuf bytes) throws IOException {
        ByteBuf direct = bytes.alloc().directBuffer(bytes.readableBytes());
        try {
            direct.writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes());
            return send(direct);
        } finally {
            direct.release();
        }
    }
}
