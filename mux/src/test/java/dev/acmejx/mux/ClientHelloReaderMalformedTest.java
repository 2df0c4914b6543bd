package dev.acmejx.mux;

import static dev.acmejx.mux.HelloBytes.APPLICATION_DATA;
import static dev.acmejx.mux.HelloBytes.HANDSHAKE;
import static dev.acmejx.mux.HelloBytes.bytes;
import static dev.acmejx.mux.HelloBytes.concat;
import static dev.acmejx.mux.HelloBytes.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Openings that cannot become a routable ClientHello: each must be refused, none may crash or hang the reader. */
class ClientHelloReaderMalformedTest {

    // --- not TLS at all ---

    @Test
    void httpRequestIsNotTls() {
        MalformedClientHelloException e = refused("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));

        assertTrue(e.isNotTls());
    }

    @Test
    void singleNonTlsByteIsAlreadyNotTls() {
        assertTrue(refused(bytes('G')).isNotTls());
    }

    @Test
    void sslv2CompatibleHelloIsNotTls() {
        assertTrue(refused(bytes(0x80, 0x2e, 0x01, 0x03, 0x01)).isNotTls());
    }

    // --- record layer ---

    @Test
    void recordVersion20IsMalformed() {
        byte[] hello = HelloBytes.recordWithVersion(HANDSHAKE, 2, 0, new HelloBytes().handshake());

        assertMalformed(refused(hello));
    }

    @Test
    void recordVersion35IsMalformed() {
        byte[] hello = HelloBytes.recordWithVersion(HANDSHAKE, 3, 5, new HelloBytes().handshake());

        assertMalformed(refused(hello));
    }

    @Test
    void recordOfLengthZeroIsMalformed() {
        assertMalformed(refused(HelloBytes.recordHeader(HANDSHAKE, 0)));
    }

    @Test
    void recordLongerThan16KibIsMalformedFromItsHeaderAlone() {
        assertMalformed(refused(HelloBytes.recordHeader(HANDSHAKE, (1 << 14) + 1)));
    }

    @Test
    void applicationDataRecordBeforeTheHelloIsCompleteIsMalformed() {
        byte[] handshake = new HelloBytes().sni("a.test").handshake();
        byte[] firstHalf = record(HANDSHAKE, Arrays.copyOf(handshake, 20));
        byte[] secondHalf = record(HANDSHAKE, Arrays.copyOfRange(handshake, 20, handshake.length));

        assertMalformed(refused(concat(firstHalf, record(APPLICATION_DATA, new byte[10]), secondHalf)));
    }

    @Test
    void alertRecordBeforeTheHelloIsCompleteIsMalformed() {
        byte[] handshake = new HelloBytes().sni("a.test").handshake();
        byte[] firstHalf = record(HANDSHAKE, Arrays.copyOf(handshake, 3));

        assertMalformed(refused(concat(firstHalf, record(21, bytes(2, 40)))));
    }

    // --- handshake layer ---

    @Test
    void serverHelloIsMalformed() {
        byte[] serverHello = HelloBytes.handshakeMessage(2, Arrays.copyOfRange(new HelloBytes().handshake(), 4, 80));

        assertMalformed(refused(record(HANDSHAKE, serverHello)));
    }

    @Test
    void declaredHelloLengthAboveMaxHelloBytesIsRefusedFromTheHeaderAlone() {
        int body = ClientHelloReader.MAX_HELLO_BYTES - 4 + 1;

        assertMalformed(refused(record(HANDSHAKE, bytes(1, body >>> 16, body >>> 8, body))));
    }

    @Test
    void declaredHelloLengthOfExactlyMaxHelloBytesIsAwaited() throws Exception {
        int body = ClientHelloReader.MAX_HELLO_BYTES - 4;

        byte[] header = record(HANDSHAKE, bytes(1, body >>> 16, body >>> 8, body));

        assertEquals(Optional.empty(), new ClientHelloReader().read(Unpooled.wrappedBuffer(header)));
    }

    @Test
    void helloBodyTooShortForItsFixedFieldsIsMalformed() {
        assertMalformed(refused(record(HANDSHAKE, HelloBytes.handshakeMessage(1, bytes(3, 3, 1, 2, 3)))));
    }

    @Test
    void moreThanMaxBufferedBytesWithoutACompleteHelloIsRefused() throws Exception {
        int body = ClientHelloReader.MAX_HELLO_BYTES - 4;
        byte[] handshake = concat(bytes(1, body >>> 16, body >>> 8, body), new byte[body]);
        byte[] oneByteRecords = HelloBytes.inRecordsOf(handshake, 1);
        assertTrue(oneByteRecords.length > ClientHelloReader.MAX_BUFFERED_BYTES + 6000);
        ClientHelloReader reader = new ClientHelloReader();
        ByteBuf buf = Unpooled.buffer();

        int fed = 0;
        while (fed + 6000 <= ClientHelloReader.MAX_BUFFERED_BYTES) {
            buf.writeBytes(oneByteRecords, fed, 6000);
            fed += 6000;
            assertEquals(Optional.empty(), reader.read(buf), "after " + fed + " bytes");
        }
        buf.writeBytes(oneByteRecords, fed, 6000);

        assertMalformed(assertThrows(MalformedClientHelloException.class, () -> reader.read(buf)));
    }

    // --- extensions ---

    @Test
    void extensionsBlockLongerThanTheHelloIsMalformed() {
        assertMalformed(refused(new HelloBytes().rawExtensionsBlock(0, 100, 0, 21, 0, 0).record()));
    }

    @Test
    void extensionLongerThanTheExtensionsBlockIsMalformed() {
        assertMalformed(refused(new HelloBytes().rawExtensionsBlock(0, 4, 0, 21, 0, 9).record()));
    }

    @Test
    void extensionHeaderCutInHalfIsMalformed() {
        assertMalformed(refused(new HelloBytes().rawExtensionsBlock(0, 3, 0, 21, 0).record()));
    }

    @Test
    void bytesAfterTheExtensionsBlockAreMalformed() {
        assertMalformed(refused(new HelloBytes().rawExtensionsBlock(0, 0, 0xff).record()));
    }

    @Test
    void extensionsLengthCutInHalfIsMalformed() {
        assertMalformed(refused(new HelloBytes().rawExtensionsBlock(0).record()));
    }

    @Test
    void serverNameListLongerThanItsExtensionIsMalformed() {
        byte[] hello = new HelloBytes().extension(0, bytes(0, 10, 0, 0, 1, 'a')).record();

        assertMalformed(refused(hello));
    }

    @Test
    void alpnNameLongerThanItsListIsMalformed() {
        byte[] hello = new HelloBytes().extension(16, bytes(0, 3, 5, 'h', '2')).record();

        assertMalformed(refused(hello));
    }

    @Test
    void duplicateServerNameExtensionIsMalformed() {
        assertMalformed(refused(new HelloBytes().sni("a.test").sni("b.test").record()));
    }

    @Test
    void duplicateUnknownExtensionIsMalformed() {
        byte[] hello = new HelloBytes().extension(0x1234, bytes(1)).alpn("h2").extension(0x1234, bytes(1)).record();

        assertMalformed(refused(hello));
    }

    @Test
    void emptyAlpnProtocolNameIsMalformed() {
        byte[] hello = new HelloBytes().extension(16, bytes(0, 4, 2, 'h', '2', 0)).record();

        assertMalformed(refused(hello));
    }

    @Test
    void emptySniHostNameIsMalformed() {
        byte[] hello = new HelloBytes().extension(0, HelloBytes.serverNameData(new byte[0])).record();

        assertMalformed(refused(hello));
    }

    @Test
    void sniWithControlByteIsMalformed() {
        assertMalformed(refused(new HelloBytes().sni("a\u0001.test").record()));
    }

    @Test
    void sniWithSpaceDelOrNonAsciiByteIsMalformed() {
        for (String name : new String[] {"a .test", "a\u007f.test", "\u00e9.test", "a.test\u0000"}) {
            MalformedClientHelloException e = refused(new HelloBytes().sni(name).record());
            assertFalse(e.isNotTls(), name);
        }
    }

    @Test
    void sniExtensionWithBytesAfterTheListIsMalformed() {
        byte[] data = concat(HelloBytes.serverNameData("a.test".getBytes(StandardCharsets.US_ASCII)), bytes(0xff));
        assertMalformed(refused(new HelloBytes().extension(0, data).record()));
    }

    @Test
    void emptyServerNameOrAlpnListIsMalformed() {
        assertMalformed(refused(new HelloBytes().extension(0, bytes(0, 0)).record()));
        assertMalformed(refused(new HelloBytes().extension(16, bytes(0, 0)).record()));
    }

    @Test
    void alpnExtensionWithBytesAfterTheListIsMalformed() {
        assertMalformed(refused(new HelloBytes().extension(16, bytes(0, 3, 2, 'h', '2', 0x00)).record()));
    }

    @Test
    void helloNeedingMoreThanTheRawCapIsRefusedHoweverItIsCut() {
        byte[] tinyRecords = HelloBytes.inRecordsOf(new HelloBytes().sni("a.test").padding(11000).handshake(), 1);

        assertMalformed(refused(tinyRecords));
        ClientHelloReader reader = new ClientHelloReader();
        ByteBuf growing = Unpooled.buffer();
        try {
            growing.writeBytes(tinyRecords, 0, 65_600);
            assertThrows(MalformedClientHelloException.class, () -> reader.read(growing));
        } finally {
            growing.release();
        }
    }

    // --- helpers ---

    private static MalformedClientHelloException refused(byte[] bytes) {
        return assertThrows(MalformedClientHelloException.class,
                () -> new ClientHelloReader().read(Unpooled.wrappedBuffer(bytes)));
    }

    private static void assertMalformed(MalformedClientHelloException e) {
        assertFalse(e.isNotTls(), "malformed TLS, not plain TCP: " + e.getMessage());
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a message for the log line");
    }
}
