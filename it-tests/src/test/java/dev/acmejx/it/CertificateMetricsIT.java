package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code serve --config-dir} reports each lineage in {@code /metrics} from the files that issue and renew, other
 * processes, write: the live certificate's expiry and how the last renewal went, failures included.
 */
class CertificateMetricsIT extends PebbleTest {

    private static final String NAME = "metrics.test";

    private Serve serve;
    private int metricsPort;

    @BeforeEach
    void startServe() {
        metricsPort = FreePorts.next();
        serve = Serve.start("--listen", "127.0.0.1:" + pebble.tlsPort, "--backend", "127.0.0.1:" + FreePorts.next(),
                "--metrics", "127.0.0.1:" + metricsPort, "--config-dir", configDir.toString());
    }

    @AfterEach
    void stopServe() {
        assertEquals(0, serve.stop());
        serve.close();
    }

    @Test
    void expiryAndTheLastRenewalsResultOfEachLineage() throws Exception {
        assertEquals(Optional.empty(), sample(scrape(), "acmejx_certificate_not_after_timestamp_seconds"),
                "no lineage yet");
        Acmejx.issueThrough(serve.control(), pebble, configDir, "-d", NAME).assertSuccess();

        String issued = scrape();
        assertEquals(Optional.of(String.valueOf(liveNotAfter())),
                sample(issued, "acmejx_certificate_not_after_timestamp_seconds"), issued);
        assertEquals(Optional.empty(), sample(issued, "acmejx_renewal_last_success"), "never renewed yet");

        renew().assertSuccess();
        String renewed = scrape();
        assertEquals(Optional.of("1"), sample(renewed, "acmejx_renewal_last_success"), renewed);
        assertEquals(Optional.of(String.valueOf(liveNotAfter())),
                sample(renewed, "acmejx_certificate_not_after_timestamp_seconds"), "the new certificate's");
        assertTrue(sample(renewed, "acmejx_renewal_last_run_timestamp_seconds").isPresent(), renewed);

        long before = liveNotAfter();
        pebble.resolve(NAME, "127.0.0.2");
        try {
            assertEquals(1, renew().exit(), "the validation cannot reach serve");
        } finally {
            pebble.forget(NAME);
        }
        String failed = scrape();
        assertEquals(Optional.of("0"), sample(failed, "acmejx_renewal_last_success"), failed);
        assertEquals(Optional.of(String.valueOf(before)),
                sample(failed, "acmejx_certificate_not_after_timestamp_seconds"), "the previous certificate is live");
    }

    private Command.Result renew() {
        return Acmejx.run(List.of("renew", "--config-dir", configDir.toString(), "--force-renewal",
                "--no-random-sleep-on-renew"));
    }

    private long liveNotAfter() throws Exception {
        try (InputStream in = Files.newInputStream(configDir.resolve("live/" + NAME + "/cert.pem"))) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
            return certificate.getNotAfter().toInstant().getEpochSecond();
        }
    }

    private String scrape() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static Optional<String> sample(String metrics, String family) {
        Matcher matcher = Pattern.compile("(?m)^" + family + "\\{lineage=\"" + Pattern.quote(NAME) + "\"} (\\S+)$")
                .matcher(metrics);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
