package dev.acmejx.mux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of {@link ClientHelloReader} with Jazzer: arbitrary bytes, fed in one piece and cut into
 * arbitrary pieces, must give the same outcome.
 *
 * <p>{@code mvn test} runs this only on the files in {@code src/test/resources/dev/acmejx/mux/
 * ClientHelloFuzzTestInputs/readsTheSameHelloHoweverTheBytesAreCut/} (Jazzer's regression mode); in {@code mvn verify}
 * the surefire execution {@code fuzz-client-hello} of this module's pom fuzzes it for {@code maxDuration}. See
 * "Fuzzing" in the README.
 *
 * <p>One input, as {@link FuzzedDataProvider} reads it: control values from the end, and the front is the bytes the
 * client sends. From the last byte backwards: the number of cuts (1 byte; 0 means every byte is its own piece), for
 * each cut the size of that piece (2 bytes, the first one read the high byte; 0 is a read with nothing new), how many
 * unrelated bytes sit before the reader index (1 byte), whether the buffer is direct (1 byte, lowest bit). Values out
 * of range are taken modulo it. Whatever follows the last cut is the last piece.
 */
class ClientHelloFuzzTest {

    static final int MAX_CUTS = 32;
    static final int MAX_PIECE = 4096;
    static final int MAX_SKIPPED = 3;

    @FuzzTest(maxDuration = "30s")
    void readsTheSameHelloHoweverTheBytesAreCut(FuzzedDataProvider data) {
        int cuts = data.consumeInt(0, MAX_CUTS);
        int[] pieces = new int[cuts];
        for (int i = 0; i < cuts; i++) {
            pieces[i] = data.consumeInt(0, MAX_PIECE);
        }
        int skipped = data.consumeInt(0, MAX_SKIPPED);
        boolean direct = data.consumeBoolean();
        byte[] sent = data.consumeRemainingAsBytes();

        Outcome whole = feed(sent, new int[] {sent.length}, skipped, direct);
        Outcome inPieces = feed(sent, cuts == 0 ? onesFor(sent.length) : pieces, skipped, direct);

        assertEquals(whole, inPieces, () -> "one piece vs "
                + (cuts == 0 ? "one byte per piece" : "pieces " + Arrays.toString(pieces) + " then the rest")
                + " of " + sent.length + " bytes: " + ByteBufUtil.hexDump(sent, 0, Math.min(sent.length, 256))
                + (sent.length > 256 ? "..." : ""));
        whole.hello().ifPresent(ClientHelloFuzzTest::assertRoutable);
    }

    /**
     * Appends {@code sent} to one growing buffer piece by piece, as the peek handler's cumulation does, and asks one
     * new reader (readers keep state) after each piece; whatever follows the listed pieces is one more piece. Stops at
     * the first hello or refusal, like the handler.
     */
    private static Outcome feed(byte[] sent, int[] pieces, int skipped, boolean direct) {
        ByteBuf buf = direct ? PooledByteBufAllocator.DEFAULT.directBuffer(skipped + sent.length)
                : Unpooled.buffer(skipped + sent.length);
        try {
            buf.writeZero(skipped).readerIndex(skipped);
            ClientHelloReader reader = new ClientHelloReader();
            int offset = 0;
            for (int i = 0; i <= pieces.length; i++) {
                int size = i < pieces.length ? Math.min(pieces[i], sent.length - offset) : sent.length - offset;
                if (i == pieces.length && size == 0 && pieces.length > 0) {
                    break;
                }
                buf.writeBytes(sent, offset, size);
                offset += size;
                Optional<ClientHello> hello;
                try {
                    hello = reader.read(buf);
                } catch (MalformedClientHelloException e) {
                    assertIndices(buf, skipped, skipped + offset);
                    return Outcome.refused(e);
                } catch (RuntimeException e) {
                    throw new AssertionError("read() may only throw MalformedClientHelloException, after " + offset
                            + " of " + sent.length + " bytes", e);
                }
                assertIndices(buf, skipped, skipped + offset);
                if (hello.isPresent()) {
                    return Outcome.read(hello.get());
                }
            }
            return Outcome.INCOMPLETE;
        } finally {
            assertTrue(buf.release());
        }
    }

    private static int[] onesFor(int length) {
        int[] ones = new int[length];
        Arrays.fill(ones, 1);
        return ones;
    }

    private static void assertIndices(ByteBuf buf, int readerIndex, int writerIndex) {
        assertEquals(readerIndex, buf.readerIndex(), "read() moved the reader index");
        assertEquals(writerIndex, buf.writerIndex(), "read() moved the writer index");
    }

    private static void assertRoutable(ClientHello hello) {
        hello.serverName().ifPresent(name -> {
            assertFalse(name.isEmpty(), "empty server name");
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                assertTrue(c > 0x20 && c < 0x7f && !(c >= 'A' && c <= 'Z'),
                        () -> "server name " + name + " has character " + (int) c);
            }
        });
        for (String protocol : hello.alpnProtocols()) {
            assertFalse(protocol.isEmpty(), "empty ALPN protocol name");
        }
    }

    /** What a reader made of the bytes: a hello, a refusal (and whether it was "not TLS at all"), or nothing yet. */
    private record Outcome(Optional<ClientHello> hello, boolean refused, boolean notTls) {

        static final Outcome INCOMPLETE = new Outcome(Optional.empty(), false, false);

        static Outcome read(ClientHello hello) {
            return new Outcome(Optional.of(hello), false, false);
        }

        static Outcome refused(MalformedClientHelloException e) {
            return new Outcome(Optional.empty(), true, e.isNotTls());
        }
    }
}
