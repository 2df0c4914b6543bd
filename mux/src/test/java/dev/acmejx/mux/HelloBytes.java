package dev.acmejx.mux;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds raw TLS ClientHello bytes for tests: the handshake message (type 1, u24 length, legacy_version 0x0303,
 * 32 random bytes, session id, cipher suites, compression methods, extensions) and the TLS records around it.
 */
final class HelloBytes {

    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;
    static final int PADDING = 21;

    private final ByteArrayOutputStream extensions = new ByteArrayOutputStream();
    private byte[] cipherSuites = {0x13, 0x01, (byte) 0xc0, 0x2f};
    private byte[] rawExtensionsBlock;
    private boolean withExtensions = true;

    HelloBytes cipherSuites(int... suites) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int suite : suites) {
            u16(out, suite);
        }
        cipherSuites = out.toByteArray();
        return this;
    }

    HelloBytes extension(int type, byte[] data) {
        u16(extensions, type);
        u16(extensions, data.length);
        extensions.writeBytes(data);
        return this;
    }

    HelloBytes sni(String hostName) {
        return extension(0, serverNameData(hostName.getBytes(StandardCharsets.ISO_8859_1)));
    }

    HelloBytes alpn(String... protocols) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (String protocol : protocols) {
            byte[] name = protocol.getBytes(StandardCharsets.ISO_8859_1);
            list.write(name.length);
            list.writeBytes(name);
        }
        return extension(16, prefixed16(list.toByteArray()));
    }

    HelloBytes padding(int length) {
        return extension(PADDING, new byte[length]);
    }

    /** Omits the extensions block entirely (the hello ends after the compression methods). */
    HelloBytes withoutExtensions() {
        withExtensions = false;
        return this;
    }

    /** Uses {@code block} verbatim where the extensions block (its u16 length included) goes. */
    HelloBytes rawExtensionsBlock(int... block) {
        rawExtensionsBlock = bytes(block);
        return this;
    }

    /** The ClientHello handshake message: type 1, u24 length, body. */
    byte[] handshake() {
        return handshakeMessage(1, body());
    }

    /** The hello in one TLS handshake record. */
    byte[] record() {
        return record(HANDSHAKE, handshake());
    }

    private byte[] body() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, 0x0303);
        byte[] random = new byte[32];
        Arrays.fill(random, (byte) 0x5a);
        body.writeBytes(random);
        body.write(32);
        body.writeBytes(new byte[32]);
        body.writeBytes(prefixed16(cipherSuites));
        body.write(1);
        body.write(0);
        if (rawExtensionsBlock != null) {
            body.writeBytes(rawExtensionsBlock);
        } else if (withExtensions) {
            body.writeBytes(prefixed16(extensions.toByteArray()));
        }
        return body.toByteArray();
    }

    static byte[] serverNameData(byte[] hostName) {
        ByteArrayOutputStream entry = new ByteArrayOutputStream();
        entry.write(0);
        entry.writeBytes(prefixed16(hostName));
        return prefixed16(entry.toByteArray());
    }

    static byte[] handshakeMessage(int type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.write(body.length >>> 16);
        out.write(body.length >>> 8);
        out.write(body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] record(int contentType, byte[] payload) {
        return recordWithVersion(contentType, 3, 1, payload);
    }

    static byte[] recordWithVersion(int contentType, int major, int minor, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(contentType);
        out.write(major);
        out.write(minor);
        u16(out, payload.length);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** A record header alone, declaring {@code length} payload bytes. */
    static byte[] recordHeader(int contentType, int length) {
        return new byte[] {(byte) contentType, 3, 1, (byte) (length >>> 8), (byte) length};
    }

    /**
     * Cuts {@code handshake} into handshake records: first fragments of the given sizes, then the rest in records
     * of at most 2^14 bytes.
     */
    static byte[] inRecords(byte[] handshake, int... fragmentSizes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int offset = 0;
        for (int size : fragmentSizes) {
            out.writeBytes(record(HANDSHAKE, Arrays.copyOfRange(handshake, offset, offset + size)));
            offset += size;
        }
        while (offset < handshake.length) {
            int size = Math.min(1 << 14, handshake.length - offset);
            out.writeBytes(record(HANDSHAKE, Arrays.copyOfRange(handshake, offset, offset + size)));
            offset += size;
        }
        return out.toByteArray();
    }

    /** Cuts {@code handshake} into records of {@code size} payload bytes each (the last may be shorter). */
    static byte[] inRecordsOf(byte[] handshake, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int offset = 0; offset < handshake.length; offset += size) {
            int end = Math.min(handshake.length, offset + size);
            out.writeBytes(record(HANDSHAKE, Arrays.copyOfRange(handshake, offset, end)));
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] prefixed16(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u16(out, data.length);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }
}
