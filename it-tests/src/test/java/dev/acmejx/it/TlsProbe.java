package dev.acmejx.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A validator's TLS connection, made with the JDK's own TLS client (not the code under test): SNI, an ALPN list,
 * the certificate the server presented and whatever it sent after the handshake. Trusts any certificate, as a
 * validator does: what it checks is the certificate's content, done by {@link ChallengeCertificates}.
 */
final class TlsProbe {

    /** What one handshake showed. */
    record Handshake(X509Certificate certificate, String alpn, String protocol, int bytesAfterHandshake) {
    }

    private TlsProbe() {
    }

    /** A validator's connection: the handshake, then everything the server sends until it closes. */
    static Handshake connect(int port, String sni, String... alpn) throws IOException {
        try (SSLSocket socket = handshake(port, sni, alpn)) {
            X509Certificate certificate = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            return new Handshake(certificate, socket.getApplicationProtocol(), socket.getSession().getProtocol(),
                    drain(socket.getInputStream()));
        }
    }

    /** A visitor's view: the certificate a web server presents for {@code sni}. */
    static X509Certificate certificate(int port, String sni) throws IOException {
        try (SSLSocket socket = handshake(port, sni)) {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static SSLSocket handshake(int port, String sni, String... alpn) throws IOException {
        SSLSocket socket = (SSLSocket) trustingEverything().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), port);
        try {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(sni)));
            parameters.setApplicationProtocols(alpn);
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Application bytes the server sent before closing; a challenge responder must send none. */
    private static int drain(InputStream in) throws IOException {
        int count = 0;
        try {
            for (int b = in.read(); b >= 0; b = in.read()) {
                count++;
            }
        } catch (javax.net.ssl.SSLException e) {
            // A close without close_notify: the server sent nothing more, which is all this counts.
        }
        return count;
    }

    private static SSLContext trustingEverything() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
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
            }}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
