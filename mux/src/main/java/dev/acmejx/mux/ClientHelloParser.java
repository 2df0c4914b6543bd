package dev.acmejx.mux;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the two extensions routing needs, server_name (RFC 6066) and ALPN (RFC 7301), from the body of a
 * reassembled ClientHello. Every length is checked against its enclosing structure; anything inconsistent is
 * reported as malformed rather than guessed at.
 */
final class ClientHelloParser {

    private static final int EXT_SERVER_NAME = 0;
    private static final int EXT_ALPN = 16;
    private static final int NAME_TYPE_HOST_NAME = 0;
    private static final int RANDOM_BYTES = 32;
    private static final int MAX_SESSION_ID = 32;

    private ClientHelloParser() {
    }

    static ClientHello parseBody(byte[] data, int offset, int length) throws MalformedClientHelloException {
        ByteBuffer body = ByteBuffer.wrap(data, offset, length).slice();
        try {
            skip(body, 2 + RANDOM_BYTES);
            int sessionIdLength = u8(body);
            if (sessionIdLength > MAX_SESSION_ID) {
                throw MalformedClientHelloException.malformed("session id of " + sessionIdLength + " bytes");
            }
            skip(body, sessionIdLength);
            int cipherSuites = u16(body);
            if (cipherSuites < 2 || cipherSuites % 2 != 0) {
                throw MalformedClientHelloException.malformed("cipher suite list of " + cipherSuites + " bytes");
            }
            skip(body, cipherSuites);
            int compression = u8(body);
            if (compression < 1) {
                throw MalformedClientHelloException.malformed("empty compression method list");
            }
            skip(body, compression);
            if (!body.hasRemaining()) {
                return new ClientHello(Optional.empty(), List.of());
            }
            ByteBuffer extensions = block(body, u16(body));
            if (body.hasRemaining()) {
                throw MalformedClientHelloException.malformed(body.remaining() + " bytes after the extensions");
            }
            return readExtensions(extensions);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw MalformedClientHelloException.malformed("ClientHello truncated inside a length-prefixed field");
        }
    }

    private static ClientHello readExtensions(ByteBuffer extensions) throws MalformedClientHelloException {
        BitSet seen = new BitSet();
        Optional<String> serverName = Optional.empty();
        List<String> alpn = List.of();
        while (extensions.hasRemaining()) {
            int type = u16(extensions);
            ByteBuffer data = block(extensions, u16(extensions));
            if (seen.get(type)) {
                throw MalformedClientHelloException.malformed("extension " + type + " appears twice");
            }
            seen.set(type);
            if (type == EXT_SERVER_NAME) {
                serverName = readServerName(data);
            } else if (type == EXT_ALPN) {
                alpn = readAlpn(data);
            }
        }
        return new ClientHello(serverName, alpn);
    }

    private static Optional<String> readServerName(ByteBuffer data) throws MalformedClientHelloException {
        ByteBuffer list = wholeList(data, "server_name");
        Optional<String> hostName = Optional.empty();
        while (list.hasRemaining()) {
            int nameType = u8(list);
            ByteBuffer name = block(list, u16(list));
            if (nameType == NAME_TYPE_HOST_NAME && hostName.isEmpty()) {
                hostName = Optional.of(hostName(name));
            }
        }
        return hostName;
    }

    private static String hostName(ByteBuffer name) throws MalformedClientHelloException {
        if (!name.hasRemaining()) {
            throw MalformedClientHelloException.malformed("empty SNI host_name");
        }
        byte[] bytes = new byte[name.remaining()];
        name.get(bytes);
        for (byte b : bytes) {
            if (b <= 0x20 || b >= 0x7f) {
                throw MalformedClientHelloException.malformed("SNI host_name contains byte " + (b & 0xff));
            }
        }
        return new String(bytes, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
    }

    private static List<String> readAlpn(ByteBuffer data) throws MalformedClientHelloException {
        ByteBuffer list = wholeList(data, "ALPN");
        List<String> protocols = new ArrayList<>();
        while (list.hasRemaining()) {
            int length = u8(list);
            if (length == 0) {
                throw MalformedClientHelloException.malformed("empty ALPN protocol name");
            }
            byte[] protocol = new byte[length];
            list.get(protocol);
            protocols.add(new String(protocol, StandardCharsets.ISO_8859_1));
        }
        return protocols;
    }

    /** The non-empty list that must fill an extension's data exactly (RFC 6066 §3, RFC 7301 §3.1). */
    private static ByteBuffer wholeList(ByteBuffer data, String extension) throws MalformedClientHelloException {
        ByteBuffer list = block(data, u16(data));
        if (!list.hasRemaining() || data.hasRemaining()) {
            throw MalformedClientHelloException.malformed(extension + " extension with "
                    + (list.hasRemaining() ? "trailing bytes" : "an empty list"));
        }
        return list;
    }

    private static ByteBuffer block(ByteBuffer in, int length) {
        ByteBuffer slice = in.slice();
        slice.limit(length);
        in.position(in.position() + length);
        return slice;
    }

    private static void skip(ByteBuffer in, int length) {
        in.position(in.position() + length);
    }

    private static int u8(ByteBuffer in) {
        return in.get() & 0xff;
    }

    private static int u16(ByteBuffer in) {
        return in.getShort() & 0xffff;
    }
}
