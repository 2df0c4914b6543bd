package dev.acmejx.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Pebble's management API, an independent view of what the CA recorded: asked over HTTPS that trusts only the
 * root of Pebble's own TLS certificate.
 */
final class PebbleManagement {

    private final Pebble pebble;
    private final HttpClient client;

    PebbleManagement(Pebble pebble) throws Exception {
        this.pebble = pebble;
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pebble.caCert)) {
            trust.setCertificateEntry("pebble", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        this.client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** {@code {"Status": "Valid"|"Revoked", "Reason": <RFC 5280 code>, "RevokedAt": …, "Certificate": PEM}}. */
    JsonNode certificateStatus(BigInteger serial) throws Exception {
        URI uri = pebble.management.resolve("/cert-status-by-serial/" + serial.toString(16));
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return new ObjectMapper().readTree(response.body());
    }
}
