package dev.acmejx.mux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The peek handler on a channel: every byte handed over once, every refusal closed with nothing leaked. */
class ClientHelloPeekHandlerTest {

    private final CapturingTarget target = new CapturingTarget();

    @Test
    void helloInPiecesIsHandedOverWithEveryByteAndTheHandlerLeaves() {
        byte[] hello = new HelloBytes().sni("a.test").alpn("h2").record();
        EmbeddedChannel channel = new EmbeddedChannel(handler(Duration.ofSeconds(5)));
        ByteBuf first = Unpooled.wrappedBuffer(Arrays.copyOfRange(hello, 0, 3));
        ByteBuf second = Unpooled.wrappedBuffer(Arrays.copyOfRange(hello, 3, 40));
        ByteBuf rest = Unpooled.wrappedBuffer(Arrays.copyOfRange(hello, 40, hello.length));

        channel.writeInbound(first);
        channel.writeInbound(second);
        assertNull(target.hello, "not routed before the hello is complete");
        channel.writeInbound(rest);

        assertEquals(Optional.of("a.test"), target.hello.serverName());
        assertArrayEquals(hello, ByteBufUtil.getBytes(target.buffered));
        assertNull(channel.pipeline().get(ClientHelloPeekHandler.class));
        assertTrue(channel.isOpen());
        assertTrue(target.buffered.release());
        channel.finishAndReleaseAll();
    }

    @Test
    void incompleteHelloIsClosedWhenTheInspectTimeoutPasses() {
        EmbeddedChannel channel = new EmbeddedChannel(handler(Duration.ofSeconds(5)));
        ByteBuf partial = Unpooled.wrappedBuffer(Arrays.copyOf(new HelloBytes().sni("a.test").record(), 20));
        channel.writeInbound(partial);

        channel.advanceTimeBy(4, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen());
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertFalse(channel.isOpen());
        assertNull(target.hello);
        assertEquals(0, partial.refCnt(), "the buffered bytes are released");
    }

    @Test
    void nonTlsBytesAreClosedAndReleasedAtOnce() {
        EmbeddedChannel channel = new EmbeddedChannel(handler(Duration.ofSeconds(5)));
        ByteBuf http = Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII);

        channel.writeInbound(http);

        assertFalse(channel.isOpen());
        assertEquals(0, http.refCnt());
        assertNull(target.hello);
    }

    @Test
    void targetThatThrowsGetsTheConnectionClosed() {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHelloPeekHandler(hello -> new RouteTarget() {
            @Override
            public void accept(Channel ch, ClientHello h, ByteBuf buffered) {
                buffered.release();
                throw new IllegalStateException("broken target, which still owned the bytes");
            }

            @Override
            public String name() {
                return "broken";
            }
        }, Duration.ofSeconds(5)));
        ByteBuf hello = Unpooled.wrappedBuffer(new HelloBytes().sni("a.test").record());

        channel.writeInbound(hello);

        assertFalse(channel.isOpen());
        assertEquals(0, hello.refCnt());
    }

    private ClientHelloPeekHandler handler(Duration timeout) {
        return new ClientHelloPeekHandler(hello -> target, timeout);
    }

    /** Takes the connection and keeps what it was given. */
    private static final class CapturingTarget implements RouteTarget {
        ClientHello hello;
        ByteBuf buffered;

        @Override
        public void accept(Channel channel, ClientHello hello, ByteBuf buffered) {
            this.hello = hello;
            this.buffered = buffered;
        }

        @Override
        public String name() {
            return "capture";
        }
    }
}
