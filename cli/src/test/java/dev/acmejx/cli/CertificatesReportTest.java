package dev.acmejx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acmejx.core.LineageStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The two faces of {@code acmejx certificates}: certbot's text, and JSON with fixed field names. */
class CertificatesReportTest {

    private static final Path LIVE = Path.of("/etc/letsencrypt/live");

    private static final LineageStatus VALID = new LineageStatus("a.test", LIVE.resolve("a.test/fullchain.pem"),
            LIVE.resolve("a.test/privkey.pem"), Optional.of(new LineageStatus.Facts(2, List.of("a.test", "b.test"),
                    "ECDSA P-256", "fa3c", Instant.parse("2027-02-19T10:00:00Z"), 89)), List.of());

    private static final LineageStatus BROKEN = new LineageStatus("gone.test",
            LIVE.resolve("gone.test/fullchain.pem"), LIVE.resolve("gone.test/privkey.pem"), Optional.empty(),
            List.of("cert.pem is missing"));

    @Test
    void humanTextHasCertbotsLines() {
        String text = CertificatesReport.human(List.of(VALID, BROKEN), Path.of("/etc/letsencrypt"));

        assertEquals("""
                Found the following certificates:
                  Certificate Name: a.test
                    Serial Number: fa3c
                    Key Type: ECDSA P-256
                    Domains: a.test b.test
                    Expiry Date: 2027-02-19 10:00:00+00:00 (VALID: 89 days)
                    Certificate Path: /etc/letsencrypt/live/a.test/fullchain.pem
                    Private Key Path: /etc/letsencrypt/live/a.test/privkey.pem
                  Certificate Name: gone.test
                    Expiry Date: unknown (INVALID: cert.pem is missing)
                    Certificate Path: /etc/letsencrypt/live/gone.test/fullchain.pem
                    Private Key Path: /etc/letsencrypt/live/gone.test/privkey.pem
                """, text);
    }

    @Test
    void noLineagesSaySo() {
        assertEquals("No certificates found in /etc/letsencrypt.\n",
                CertificatesReport.human(List.of(), Path.of("/etc/letsencrypt")));
    }

    @Test
    void jsonHasEveryDocumentedFieldAndNullsForWhatCouldNotBeRead() {
        JsonNode json = CertificatesReport.json(List.of(VALID, BROKEN));

        JsonNode valid = json.get(0);
        assertEquals("a.test", valid.get("name").asText());
        assertEquals(List.of("a.test", "b.test"), List.of(valid.get("domains").get(0).asText(),
                valid.get("domains").get(1).asText()));
        assertEquals("ECDSA P-256", valid.get("keyType").asText());
        assertEquals("fa3c", valid.get("serial").asText());
        assertEquals("2027-02-19T10:00:00Z", valid.get("notAfter").asText());
        assertEquals(89, valid.get("daysLeft").asInt());
        assertEquals(2, valid.get("version").asInt());
        assertEquals("/etc/letsencrypt/live/a.test/fullchain.pem", valid.get("fullchain").asText());
        assertEquals("/etc/letsencrypt/live/a.test/privkey.pem", valid.get("privkey").asText());
        assertTrue(valid.get("valid").asBoolean());
        assertTrue(valid.get("reason").isNull());

        JsonNode broken = json.get(1);
        assertEquals(0, broken.get("domains").size());
        for (String field : List.of("keyType", "serial", "notAfter", "daysLeft", "version")) {
            assertTrue(broken.get(field).isNull(), field);
        }
        assertEquals(false, broken.get("valid").asBoolean());
        assertEquals("cert.pem is missing", broken.get("reason").asText());
    }
}
