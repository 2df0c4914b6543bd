package dev.acmejx.core;

/** The note left in every {@code live/<name>/}, where certbot users expect one. */
final class LiveReadme {

    static final String TEXT = """
            Keys and certificates for this name, kept current by acmejx.

              fullchain.pem  certificate plus intermediates: what nginx's ssl_certificate wants
              privkey.pem    the private key (ssl_certificate_key)
              chain.pem      the intermediates alone (OCSP stapling, ssl_trusted_certificate)
              cert.pem       the certificate alone; most servers need fullchain.pem instead

            Each file is a link into ../../archive/<name>/ that acmejx moves on renewal.
            Point your server at these paths; do not move, copy or rename them.
            """;

    private LiveReadme() {
    }
}
