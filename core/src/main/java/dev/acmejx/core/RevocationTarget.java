package dev.acmejx.core;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The certificate {@code acmejx revoke} revokes and the CA it asks. A lineage's CA is the one its renewal conf
 * names ({@code server}, {@code ca_cert}); {@code --server} and {@code --ca-cert}, when given, win.
 *
 * @param source what the certificate was read from, for messages
 */
public record RevocationTarget(X509Certificate certificate, URI server, Optional<Path> caCert, Path source) {

    /** The live certificate of a lineage ({@code --cert-name}). */
    public static RevocationTarget ofLineage(Lineage lineage, Optional<URI> server, Optional<Path> caCert)
            throws AcmejxException {
        return of(lineage.live("cert"), Optional.of(lineage), server, caCert);
    }

    /**
     * A certificate file ({@code --cert-path}). Inside a lineage of {@code configDir} (its live links or its
     * archive) the lineage's CA is used; anywhere else {@code server} is needed.
     */
    public static RevocationTarget ofFile(Path configDir, Path file, Optional<URI> server, Optional<Path> caCert)
            throws AcmejxException {
        return of(file, lineageOf(configDir.toAbsolutePath().normalize(), file), server, caCert);
    }

    private static RevocationTarget of(Path file, Optional<Lineage> lineage, Optional<URI> server,
            Optional<Path> caCert) throws AcmejxException {
        X509Certificate certificate = read(file);
        Optional<RenewalConf> conf = lineage.isPresent() ? conf(lineage.get()) : Optional.empty();
        Optional<URI> confServer = conf.flatMap(c -> c.param(ConfKeys.SERVER)).map(URI::create);
        URI chosen = server.or(() -> confServer).orElseThrow(() -> new AcmejxException(lineage.isPresent()
                ? lineage.get().renewalConf() + " names no server: give --server with the CA that issued " + file
                : file + " is not inside a lineage of the config dir: give --server with the CA that issued it"));
        Optional<Path> trust = caCert.or(() -> conf.flatMap(c -> c.param(ConfKeys.CA_CERT)).map(Path::of));
        return new RevocationTarget(certificate, chosen, trust, file);
    }

    /** The lineage whose {@code live/<name>/} or {@code archive/<name>/} holds {@code file}, if any. */
    static Optional<Lineage> lineageOf(Path configDir, Path file) {
        Optional<Lineage> lineage = under(configDir, file.toAbsolutePath().normalize());
        if (lineage.isPresent()) {
            return lineage;
        }
        try {
            return under(configDir.toRealPath(), file.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Lineage> under(Path configDir, Path file) {
        if (!file.startsWith(configDir)) {
            return Optional.empty();
        }
        Path relative = configDir.relativize(file);
        boolean lineageFile = relative.getNameCount() == 3
                && List.of("live", "archive").contains(relative.getName(0).toString());
        return lineageFile ? Optional.of(new Lineage(configDir, relative.getName(1).toString())) : Optional.empty();
    }

    private static Optional<RenewalConf> conf(Lineage lineage) throws AcmejxException {
        if (!Files.exists(lineage.renewalConf())) {
            return Optional.empty();
        }
        try {
            return Optional.of(RenewalConf.read(lineage.renewalConf()));
        } catch (IOException e) {
            throw new AcmejxException("cannot read " + lineage.renewalConf() + ": " + e.getMessage()
                    + "; give --server (and --ca-cert) by hand", e);
        }
    }

    private static X509Certificate read(Path file) throws AcmejxException {
        try {
            return Pem.firstCertificate(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new AcmejxException("cannot read the certificate to revoke, " + file + ": " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new AcmejxException(file + " is not a PEM certificate (" + e.getMessage() + "); give cert.pem or "
                    + "fullchain.pem", e);
        }
    }
}
