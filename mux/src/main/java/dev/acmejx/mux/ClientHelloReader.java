package dev.acmejx.mux;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reassembles one ClientHello from the first bytes of a connection, however they are cut into TCP segments and
 * TLS records, without consuming them: the caller keeps every byte for replay to the chosen route.
 *
 * <p>Stateful and linear: each call only looks at the bytes that arrived since the previous one, so a client
 * that dribbles its hello one byte per segment costs no more than one that sends it at once.
 */
public final class ClientHelloReader {

    /** Largest ClientHello handshake message accepted (header included); bigger is refused, not buffered. */
    public static final int MAX_HELLO_BYTES = 16 * 1024;

    /**
     * Largest number of raw bytes a hello may take, records included (tiny records add 5 bytes each). Counted over
     * whole records, so the verdict is the same however TCP cuts the bytes; the unread rest is under one record.
     */
    public static final int MAX_BUFFERED_BYTES = 64 * 1024;

    private static final int RECORD_HEADER = 5;
    private static final int MAX_RECORD_PAYLOAD = 1 << 14;
    private static final int CONTENT_TYPE_HANDSHAKE = 22;
    private static final int HANDSHAKE_HEADER = 4;
    private static final int HANDSHAKE_CLIENT_HELLO = 1;

    private byte[] handshake = new byte[512];
    private int handshakeLength;
    private int scanned;

    /**
     * Looks at {@code buffered}, all bytes received so far (from its reader index; indices are not changed).
     *
     * @return the hello once it is complete, empty while more bytes are needed
     * @throws MalformedClientHelloException when the bytes cannot become a routable ClientHello
     */
    public Optional<ClientHello> read(ByteBuf buffered) throws MalformedClientHelloException {
        int start = buffered.readerIndex();
        int available = buffered.readableBytes();
        if (scanned == 0 && available > 0) {
            checkFirstByte(buffered.getUnsignedByte(start));
        }
        while (available - scanned >= RECORD_HEADER && !handshakeComplete()) {
            int record = start + scanned;
            int length = checkRecordHeader(buffered, record);
            if (available - scanned - RECORD_HEADER < length) {
                break;
            }
            append(buffered, record + RECORD_HEADER, length);
            scanned += RECORD_HEADER + length;
            if (scanned > MAX_BUFFERED_BYTES && !handshakeComplete()) {
                throw MalformedClientHelloException.malformed(
                        "more than " + MAX_BUFFERED_BYTES + " bytes without a complete ClientHello");
            }
        }
        if (!handshakeComplete()) {
            return Optional.empty();
        }
        return Optional.of(ClientHelloParser.parseBody(handshake, HANDSHAKE_HEADER, handshakeBodyLength()));
    }

    private int checkRecordHeader(ByteBuf buf, int index) throws MalformedClientHelloException {
        int type = buf.getUnsignedByte(index);
        if (type != CONTENT_TYPE_HANDSHAKE) {
            throw MalformedClientHelloException.malformed(
                    "TLS record of content type " + type + " before the ClientHello was complete");
        }
        int major = buf.getUnsignedByte(index + 1);
        int minor = buf.getUnsignedByte(index + 2);
        if (major != 3 || minor > 4) {
            throw MalformedClientHelloException.malformed("unknown TLS record version " + major + "." + minor);
        }
        int length = buf.getUnsignedShort(index + 3);
        if (length == 0 || length > MAX_RECORD_PAYLOAD) {
            throw MalformedClientHelloException.malformed("TLS handshake record of length " + length);
        }
        return length;
    }

    private static void checkFirstByte(int first) throws MalformedClientHelloException {
        if (first != CONTENT_TYPE_HANDSHAKE) {
            throw MalformedClientHelloException.notTls(
                    String.format("first byte 0x%02x is not a TLS handshake record", first));
        }
    }

    private void append(ByteBuf buf, int index, int length) throws MalformedClientHelloException {
        if (handshakeLength + length > handshake.length) {
            handshake = Arrays.copyOf(handshake, Math.max(handshakeLength + length, handshake.length * 2));
        }
        buf.getBytes(index, handshake, handshakeLength, length);
        handshakeLength += length;
        checkHandshakeHeader();
    }

    private void checkHandshakeHeader() throws MalformedClientHelloException {
        if (handshakeLength < HANDSHAKE_HEADER) {
            return;
        }
        int type = handshake[0] & 0xff;
        if (type != HANDSHAKE_CLIENT_HELLO) {
            throw MalformedClientHelloException.malformed("handshake message type " + type + " is not a ClientHello");
        }
        if (HANDSHAKE_HEADER + handshakeBodyLength() > MAX_HELLO_BYTES) {
            throw MalformedClientHelloException.malformed("ClientHello of " + handshakeBodyLength()
                    + " bytes exceeds the limit of " + MAX_HELLO_BYTES);
        }
    }

    private int handshakeBodyLength() {
        return (handshake[1] & 0xff) << 16 | (handshake[2] & 0xff) << 8 | handshake[3] & 0xff;
    }

    private boolean handshakeComplete() {
        return handshakeLength >= HANDSHAKE_HEADER && handshakeLength >= HANDSHAKE_HEADER + handshakeBodyLength();
    }
}
