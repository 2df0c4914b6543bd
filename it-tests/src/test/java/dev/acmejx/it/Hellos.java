package dev.acmejx.it;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** Real ClientHello bytes from the JDK's TLS client, for tests that then speak raw bytes. */
final class Hellos {

    private Hellos() {
    }

    static byte[] clientHello(String sni, String... alpn) {
        try {
            SSLEngine engine = SSLContext.getDefault().createSSLEngine(sni, 443);
            engine.setUseClientMode(true);
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(sni)));
            parameters.setApplicationProtocols(alpn);
            engine.setSSLParameters(parameters);
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.beginHandshake();
            engine.wrap(ByteBuffer.allocate(0), out);
            return Arrays.copyOf(out.array(), out.position());
        } catch (Exception e) {
            throw new IllegalStateException("the JDK could not produce a ClientHello", e);
        }
    }
}
