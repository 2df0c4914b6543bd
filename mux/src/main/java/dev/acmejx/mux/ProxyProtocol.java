package dev.acmejx.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The PROXY protocol header written to a backend before the client's bytes, so the web server logs the real
 * client address: v1 (text) or v2 (binary, which also carries the SNI as {@code PP2_TYPE_AUTHORITY} and the
 * client's first ALPN choice as {@code PP2_TYPE_ALPN}: TLS is not terminated, so the negotiated protocol is
 * not known, only what the client asked for first).
 */
public enum ProxyProtocol {
    NONE, V1, V2;

    /** The header for this client connection, or empty for {@link #NONE}. */
    private Optional<HAProxyMessage> header(Channel client, ClientHello hello) {
        if (this == NONE) {
            return Optional.empty();
        }
        InetSocketAddress source = (InetSocketAddress) client.remoteAddress();
        InetSocketAddress destination = (InetSocketAddress) client.localAddress();
        // A dual-stack listener's IPv4 clients arrive as Inet4Address on both ends (the JDK unmaps ::ffff:a.b.c.d),
        // so the two addresses are always of one family, as the header requires.
        InetAddress from = source.getAddress();
        InetAddress to = destination.getAddress();
        HAProxyProxiedProtocol family = from instanceof Inet4Address
                ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6;
        HAProxyProtocolVersion version = this == V1 ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2;
        return Optional.of(new HAProxyMessage(version, HAProxyCommand.PROXY, family, NetUtil.toAddressString(from),
                NetUtil.toAddressString(to), source.getPort(), destination.getPort(),
                this == V2 ? tlvs(hello) : List.of()));
    }

    /** The header as bytes, or empty for {@link #NONE}. */
    Optional<ByteBuf> encodedHeader(Channel client, ClientHello hello) {
        return header(client, hello).map(ProxyProtocol::encode);
    }

    /**
     * Netty's {@link HAProxyMessageEncoder} only runs in a pipeline, and a backend socket has none: each thread keeps
     * a channel of its own that does nothing but encode.
     */
    private static ByteBuf encode(HAProxyMessage message) {
        EmbeddedChannel encoder = ENCODERS.get();
        encoder.writeOutbound(message);
        return encoder.readOutbound();
    }

    private static final FastThreadLocal<EmbeddedChannel> ENCODERS = new FastThreadLocal<>() {
        @Override
        protected EmbeddedChannel initialValue() {
            return new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        }
    };

    private static List<HAProxyTLV> tlvs(ClientHello hello) {
        List<HAProxyTLV> tlvs = new ArrayList<>();
        hello.serverName().ifPresent(sni -> tlvs.add(new HAProxyTLV(HAProxyTLV.Type.PP2_TYPE_AUTHORITY,
                Unpooled.copiedBuffer(sni, StandardCharsets.US_ASCII))));
        if (!hello.alpnProtocols().isEmpty()) {
            tlvs.add(new HAProxyTLV(HAProxyTLV.Type.PP2_TYPE_ALPN,
                    Unpooled.copiedBuffer(hello.alpnProtocols().get(0), StandardCharsets.ISO_8859_1)));
        }
        return tlvs;
    }
}
