package dev.acmejx.mux;

import static dev.acmejx.mux.HelloBytes.HANDSHAKE;
import static dev.acmejx.mux.HelloBytes.bytes;
import static dev.acmejx.mux.HelloBytes.concat;
import static dev.acmejx.mux.HelloBytes.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** Well-formed ClientHellos, real (JDK) and hand-built, however they are cut into records and reads. */
class ClientHelloReaderTest {

    // --- ClientHellos produced by the JDK's SSLEngine ---

    @Test
    void parsesSniAndAlpnOfJdkTls13Hello() throws Exception {
        byte[] hello = jdkHello("a.test", new String[] {"h2", "http/1.1"}, null);

        ClientHello parsed = readAll(hello).orElseThrow();

        assertEquals(Optional.of("a.test"), parsed.serverName());
        assertEquals(List.of("h2", "http/1.1"), parsed.alpnProtocols());
    }

    @Test
    void parsesSniAndAlpnOfJdkTls12OnlyHello() throws Exception {
        byte[] hello = jdkHello("a.test", new String[] {"acme-tls/1"}, new String[] {"TLSv1.2"});

        ClientHello parsed = readAll(hello).orElseThrow();

        assertEquals(Optional.of("a.test"), parsed.serverName());
        assertEquals(List.of("acme-tls/1"), parsed.alpnProtocols());
        assertTrue(parsed.offers("acme-tls/1"));
    }

    @Test
    void jdkHelloFedOneByteAtATimeIsEmptyUntilTheLastByte() throws Exception {
        byte[] hello = jdkHello("a.test", new String[] {"h2", "http/1.1"}, null);

        ClientHello parsed = feedOneByteAtATime(new ClientHelloReader(), hello, hello.length);

        assertEquals(Optional.of("a.test"), parsed.serverName());
        assertEquals(List.of("h2", "http/1.1"), parsed.alpnProtocols());
    }

    @Test
    void jdkTls12HelloFedOneByteAtATimeIsEmptyUntilTheLastByte() throws Exception {
        byte[] hello = jdkHello("a.test", new String[] {"acme-tls/1"}, new String[] {"TLSv1.2"});

        ClientHello parsed = feedOneByteAtATime(new ClientHelloReader(), hello, hello.length);

        assertEquals(List.of("acme-tls/1"), parsed.alpnProtocols());
    }

    @Test
    void jdkHelloRefragmentedIntoRecordsOf1And7AndRestBytes() throws Exception {
        byte[] handshake = handshakeOf(jdkHello("a.test", new String[] {"h2", "http/1.1"}, null));
        byte[] records = HelloBytes.inRecords(handshake, 1, 7);
        assertEquals(handshake.length + 3 * 5, records.length, "three records expected");

        ClientHello parsed = readAll(records).orElseThrow();

        assertEquals(Optional.of("a.test"), parsed.serverName());
        assertEquals(List.of("h2", "http/1.1"), parsed.alpnProtocols());
    }

    @Test
    void refragmentedJdkHelloFedOneByteAtATimeCompletesOnlyWithTheLastRecord() throws Exception {
        byte[] handshake = handshakeOf(jdkHello("a.test", new String[] {"acme-tls/1"}, null));
        byte[] records = HelloBytes.inRecords(handshake, 1, 7, 3, 100);

        ClientHello parsed = feedOneByteAtATime(new ClientHelloReader(), records, records.length);

        assertEquals(Optional.of("a.test"), parsed.serverName());
        assertEquals(List.of("acme-tls/1"), parsed.alpnProtocols());
    }

    @Test
    void readLeavesReaderAndWriterIndicesUnchangedAtANonZeroReaderIndex() throws Exception {
        byte[] hello = jdkHello("a.test", new String[] {"h2"}, null);
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes("ignored prefix".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        buf.readerIndex(buf.writerIndex());
        int readerIndex = buf.readerIndex();
        ClientHelloReader reader = new ClientHelloReader();

        buf.writeBytes(hello, 0, 40);
        assertEquals(Optional.empty(), reader.read(buf));
        assertIndices(buf, readerIndex, readerIndex + 40);
        buf.writeBytes(hello, 40, hello.length - 40);
        Optional<ClientHello> parsed = reader.read(buf);

        assertEquals(Optional.of("a.test"), parsed.orElseThrow().serverName());
        assertIndices(buf, readerIndex, readerIndex + hello.length);
    }

    // --- Hand-built ClientHellos ---

    @Test
    void ignoresGreaseExtensionTypesCipherSuitesAndValues() throws Exception {
        byte[] hello = new HelloBytes()
                .cipherSuites(0x0a0a, 0x1301, 0x1302)
                .extension(0x0a0a, new byte[0])
                .sni("a.test")
                .extension(43, bytes(4, 0x1a, 0x1a, 0x03, 0x04))
                .extension(10, bytes(0, 4, 0x2a, 0x2a, 0x00, 0x1d))
                .alpn("h2", "http/1.1")
                .extension(0x1a1a, bytes(0))
                .record();

        ClientHello parsed = readAll(hello).orElseThrow();

        assertEquals(Optional.of("a.test"), parsed.serverName());
        assertEquals(List.of("h2", "http/1.1"), parsed.alpnProtocols());
    }

    @Test
    void helloWithoutExtensionsBlockHasNoSniAndNoAlpn() throws Exception {
        ClientHello parsed = readAll(new HelloBytes().withoutExtensions().record()).orElseThrow();

        assertEquals(new ClientHello(Optional.empty(), List.of()), parsed);
    }

    @Test
    void helloWithEmptyExtensionsBlockHasNoSniAndNoAlpn() throws Exception {
        ClientHello parsed = readAll(new HelloBytes().record()).orElseThrow();

        assertEquals(new ClientHello(Optional.empty(), List.of()), parsed);
        assertEquals("-", parsed.serverNameForLog());
    }

    @Test
    void helloWithoutSniHasEmptyServerNameButKeepsAlpn() throws Exception {
        ClientHello parsed = readAll(new HelloBytes().alpn("acme-tls/1").record()).orElseThrow();

        assertEquals(Optional.empty(), parsed.serverName());
        assertEquals(List.of("acme-tls/1"), parsed.alpnProtocols());
    }

    @Test
    void sniIsLowerCased() throws Exception {
        ClientHello parsed = readAll(new HelloBytes().sni("WWW.A.Test").record()).orElseThrow();

        assertEquals(Optional.of("www.a.test"), parsed.serverName());
    }

    @Test
    void alpnProtocolsKeepTheClientsOrder() throws Exception {
        ClientHello parsed = readAll(new HelloBytes().alpn("http/1.1", "acme-tls/1", "h2").record()).orElseThrow();

        assertEquals(List.of("http/1.1", "acme-tls/1", "h2"), parsed.alpnProtocols());
    }

    @Test
    void tenKibHelloWithPaddingSpreadOverSeveralRecordsCompletesWithTheLastRecord() throws Exception {
        byte[] handshake = new HelloBytes().sni("big.a.test").padding(10 * 1024).alpn("h2").handshake();
        byte[] records = HelloBytes.inRecordsOf(handshake, 3000);
        assertTrue(records.length > 10 * 1024 + 4 * 5, "at least four records expected");
        ClientHelloReader reader = new ClientHelloReader();
        ByteBuf buf = Unpooled.buffer();

        buf.writeBytes(records, 0, records.length - 1);
        assertEquals(Optional.empty(), reader.read(buf));
        buf.writeBytes(records, records.length - 1, 1);
        ClientHello parsed = reader.read(buf).orElseThrow();

        assertEquals(Optional.of("big.a.test"), parsed.serverName());
        assertEquals(List.of("h2"), parsed.alpnProtocols());
    }

    @Test
    void helloOfExactlyMaxHelloBytesIsAccepted() throws Exception {
        byte[] small = new HelloBytes().sni("a.test").padding(0).handshake();
        int paddingForMax = ClientHelloReader.MAX_HELLO_BYTES - small.length;
        byte[] handshake = new HelloBytes().sni("a.test").padding(paddingForMax).handshake();
        assertEquals(ClientHelloReader.MAX_HELLO_BYTES, handshake.length);

        ClientHello parsed = readAll(HelloBytes.inRecords(handshake)).orElseThrow();

        assertEquals(Optional.of("a.test"), parsed.serverName());
    }

    @Test
    void bytesAfterTheHelloInASecondRecordDoNotMatter() throws Exception {
        byte[] hello = new HelloBytes().sni("a.test").alpn("h2").record();
        byte[] after = concat(record(HelloBytes.APPLICATION_DATA, new byte[300]), bytes(0xff, 0x00, 0x00));

        ClientHello parsed = readAll(concat(hello, after)).orElseThrow();

        assertEquals(Optional.of("a.test"), parsed.serverName());
        assertEquals(List.of("h2"), parsed.alpnProtocols());
    }

    @Test
    void handshakeBytesAfterTheHelloInTheSameRecordDoNotMatter() throws Exception {
        byte[] handshake = new HelloBytes().sni("a.test").handshake();
        byte[] oneRecord = record(HANDSHAKE, concat(handshake, bytes(20, 0, 0, 1, 0)));

        assertEquals(Optional.of("a.test"), readAll(oneRecord).orElseThrow().serverName());
    }

    @Test
    void acceptsRecordVersionsFrom30To34() throws Exception {
        byte[] handshake = new HelloBytes().sni("a.test").handshake();
        for (int minor = 0; minor <= 4; minor++) {
            byte[] hello = HelloBytes.recordWithVersion(HANDSHAKE, 3, minor, handshake);
            assertEquals(Optional.of("a.test"), readAll(hello).orElseThrow().serverName(), "3." + minor);
        }
    }

    @Test
    void emptyBufferAndPartialRecordHeaderNeedMoreBytes() throws Exception {
        byte[] hello = new HelloBytes().sni("a.test").record();

        assertEquals(Optional.empty(), readAll(new byte[0]));
        assertEquals(Optional.empty(), readAll(Arrays.copyOf(hello, 4)));
        assertEquals(Optional.empty(), readAll(Arrays.copyOf(hello, 5)));
    }

    @Test
    void recordOfMaximumPayloadLengthIsAwaited() throws Exception {
        assertEquals(Optional.empty(), readAll(HelloBytes.recordHeader(HANDSHAKE, 1 << 14)));
    }

    // --- helpers ---

    @Test
    void completeHelloFollowedByMoreThanTheBufferCapIsStillRead() throws Exception {
        byte[] hello = new HelloBytes().sni("early.test").record();
        byte[] earlyData = new byte[ClientHelloReader.MAX_BUFFERED_BYTES];

        ClientHello parsed = readAll(HelloBytes.concat(hello, earlyData)).orElseThrow();

        assertEquals(Optional.of("early.test"), parsed.serverName());
    }

    static Optional<ClientHello> readAll(byte[] bytes) throws MalformedClientHelloException {
        return new ClientHelloReader().read(Unpooled.wrappedBuffer(bytes));
    }

    /** Appends {@code bytes} to one growing buffer one byte at a time; the hello must appear at {@code at}. */
    private static ClientHello feedOneByteAtATime(ClientHelloReader reader, byte[] bytes, int at)
            throws MalformedClientHelloException {
        ByteBuf buf = Unpooled.buffer();
        for (int i = 0; i < bytes.length; i++) {
            buf.writeByte(bytes[i]);
            Optional<ClientHello> result = reader.read(buf);
            assertIndices(buf, 0, i + 1);
            if (i + 1 < at) {
                assertEquals(Optional.empty(), result, "after " + (i + 1) + " of " + bytes.length + " bytes");
            } else {
                assertTrue(result.isPresent(), "after " + (i + 1) + " of " + bytes.length + " bytes");
                return result.get();
            }
        }
        throw new AssertionError("no ClientHello after all " + bytes.length + " bytes");
    }

    private static void assertIndices(ByteBuf buf, int readerIndex, int writerIndex) {
        assertEquals(readerIndex, buf.readerIndex(), "readerIndex");
        assertEquals(writerIndex, buf.writerIndex(), "writerIndex");
    }

    /** The handshake message inside a single-record hello. */
    static byte[] handshakeOf(byte[] singleRecord) {
        int length = (singleRecord[3] & 0xff) << 8 | singleRecord[4] & 0xff;
        assertEquals(singleRecord.length, 5 + length, "the JDK hello is one record");
        return Arrays.copyOfRange(singleRecord, 5, singleRecord.length);
    }

    /** The raw TLS bytes of the first flight of a JDK client: one record holding the ClientHello. */
    static byte[] jdkHello(String sni, String[] alpn, String[] protocols) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(sni)));
        parameters.setApplicationProtocols(alpn);
        if (protocols != null) {
            parameters.setProtocols(protocols);
        }
        engine.setSSLParameters(parameters);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
        assertEquals(SSLEngineResult.Status.OK, result.getStatus());
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        assertEquals(HANDSHAKE, bytes[0]);
        return bytes;
    }
}
