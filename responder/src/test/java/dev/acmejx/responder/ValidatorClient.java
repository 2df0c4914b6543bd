package dev.acmejx.responder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The client side of a validation, as a CA's validator opens it: the JDK's TLS client with an SNI and the ALPN
 * list of the challenge form, trusting any certificate (a validator judges its contents instead). For what a TLS
 * client would hide, it also sends the same ClientHello over a plain socket and returns the raw reply.
 */
final class ValidatorClient {

    private static final int TIMEOUT_MILLIS = 5000;

    private final InetSocketAddress server;

    ValidatorClient(InetSocketAddress server) {
        this.server = server;
    }

    /**
     * A TLS socket, not yet handshaken.
     *
     * @param alpn the protocols to offer; none leaves the extension out, as legacy validators did
     */
    SSLSocket connect(String sni, String... alpn) throws IOException {
        SSLSocket socket = (SSLSocket) context().getSocketFactory().createSocket(server.getAddress(),
                server.getPort());
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.setSSLParameters(parameters(socket.getSSLParameters(), sni, alpn));
        return socket;
    }

    /** Sends a ClientHello for {@code sni} and {@code alpn}, then reads every byte the server sends until EOF. */
    byte[] rawReplyToHello(String sni, String... alpn) throws IOException {
        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.getOutputStream().write(clientHello(sni, alpn));
            return socket.getInputStream().readAllBytes();
        }
    }

    /** The first flight of a JDK TLS client: one ClientHello record. */
    static byte[] clientHello(String sni, String... alpn) throws IOException {
        SSLEngine engine = context().createSSLEngine();
        engine.setUseClientMode(true);
        engine.setSSLParameters(parameters(engine.getSSLParameters(), sni, alpn));
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    private static SSLParameters parameters(SSLParameters parameters, String sni, String... alpn) {
        parameters.setServerNames(List.of(new SNIHostName(sni)));
        parameters.setApplicationProtocols(alpn);
        return parameters;
    }

    private static SSLContext context() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS client in this JVM", e);
        }
    }

    /** A validator trusts no chain: it checks the self-signed certificate's contents instead. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
