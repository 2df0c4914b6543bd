import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The clients of class-data.sh's training serve, run with the JDK's source launcher (build tooling, not shipped):
 * a validator's tls-alpn-01 handshake for the challenge class-data.sh published, then a visitor's hello that serve
 * forwards to a backend where nothing listens. serve loads what answering and forwarding need, so the archive holds
 * it. Exits 1 when the validator's handshake does not negotiate acme-tls/1: the archive would miss the challenge.
 *
 * <pre>java class-data-handshakes.java PORT CHALLENGE-NAME</pre>
 */
public final class ClassDataHandshakes {

    private static final String ACME_TLS_1 = "acme-tls/1";

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        try (SSLSocket validator = connect(port, args[1], ACME_TLS_1)) {
            validator.startHandshake();
            if (!ACME_TLS_1.equals(validator.getApplicationProtocol())) {
                System.err.println("serve negotiated '" + validator.getApplicationProtocol() + "' for the challenge "
                        + args[1] + ", not " + ACME_TLS_1);
                System.exit(1);
            }
        }
        try (SSLSocket visitor = connect(port, "forwarded.class-data.acmejx.test", "h2", "http/1.1")) {
            visitor.startHandshake();
        } catch (IOException expected) {
            // serve closes the visitor's connection once its connect to the absent backend fails.
        }
    }

    private static SSLSocket connect(int port, String sni, String... alpn) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(sni)));
        parameters.setApplicationProtocols(alpn);
        socket.setSSLParameters(parameters);
        return socket;
    }

    /** A validator judges the certificate's contents, not its chain. */
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
