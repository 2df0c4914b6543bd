package dev.acmejx.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a monitor wants of each lineage under {@code live/}: when its certificate expires and how its last renewal
 * went. Read from the config dir at each call, as cheaply as renew's own decision (two dates from the DER, a small
 * JSON file), so {@code serve} can answer a Prometheus scrape from files another process writes.
 *
 * @param notAfter empty when the live certificate cannot be read, which a monitor should see as missing
 */
public record LineageReadings(String name, Optional<Instant> notAfter, Optional<LineageState.LastRenewal> lastRenewal) {

    /** Every lineage under {@code live/}, by name; an unreadable config dir is an empty list, never a failed scrape. */
    public static List<LineageReadings> of(Path configDir) {
        Path dir = configDir.toAbsolutePath().normalize();
        List<LineageReadings> readings = new ArrayList<>();
        try {
            for (String name : Lineage.live(dir)) {
                Lineage lineage = new Lineage(dir, name);
                readings.add(new LineageReadings(name, notAfter(lineage), LineageState.read(lineage).lastRenewal()));
            }
        } catch (IOException e) {
            return List.of();
        }
        return readings;
    }

    private static Optional<Instant> notAfter(Lineage lineage) {
        try {
            return Optional.of(CertificateValidity.read(Files.readAllBytes(lineage.live("cert"))).notAfter());
        } catch (IOException | CertificateException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
