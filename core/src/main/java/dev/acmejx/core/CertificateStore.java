package dev.acmejx.core;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The certbot-compatible certificate store. A new version is written completely and fsynced into
 * {@code archive/} before any {@code live/} link moves; each link then moves by an atomic rename. A crash before
 * the first link moves leaves the old version live and an orphan in the archive (the next version skips its
 * number); a crash between two link moves is completed by {@link #recover} under the next run's lock.
 */
public final class CertificateStore implements LineageStore {

    private static final Logger LOG = System.getLogger("acmejx.store");
    private static final Pattern VERSIONED = Pattern.compile("(cert|privkey|chain|fullchain)(\\d+)\\.pem");
    private static final Set<PosixFilePermission> GROUP_BITS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE);

    /**
     * Stores a new version and makes it live: archive, renewal conf, a deployment-pending mark, then the links.
     * The mark stays until {@link #deployed} so that a run dying before its deploy hook ran is noticed by the next.
     *
     * @param chain the leaf first, then the intermediates as the CA sent them
     */
    public LiveCertificate save(Lineage lineage, PrivateKey key, List<X509Certificate> chain, RenewalConf conf)
            throws IOException {
        SecureFiles.directories(lineage.configDir().resolve("archive"), SecureFiles.PRIVATE_DIR);
        int version = highestArchived(SecureFiles.directories(lineage.archiveDir(), SecureFiles.PRIVATE_DIR)) + 1;
        return save(lineage, version, key, chain, conf);
    }

    /**
     * {@link #save} under a version number chosen elsewhere: the fleet's, the same on every node. Files a crashed run
     * left under that number are replaced, each atomically, before any link moves.
     */
    public LiveCertificate save(Lineage lineage, int version, PrivateKey key, List<X509Certificate> chain,
            RenewalConf conf) throws IOException {
        writeArchive(lineage, version, key, chain);
        conf.write(lineage.renewalConf());
        SecureFiles.replace(deploymentMark(lineage), (version + "\n").getBytes(StandardCharsets.US_ASCII),
                SecureFiles.PRIVATE_FILE);
        moveLinks(lineage, version);
        return new LiveCertificate(lineage, version, chain.get(0));
    }

    /** The config dir's lock is held by this process until it exits, so {@code held} is not looked at. */
    @Override
    public LiveCertificate save(LineageLock held, Lineage lineage, PrivateKey key, List<X509Certificate> chain,
            RenewalConf conf) throws IOException {
        return save(lineage, key, chain, conf);
    }

    /** Whether a version went live whose deployment (the deploy hook) was not finished. */
    public boolean deploymentPending(Lineage lineage) {
        return Files.exists(deploymentMark(lineage));
    }

    /** The new version is deployed: the mark set by {@link #save} goes. */
    public void deployed(Lineage lineage) throws IOException {
        if (Files.deleteIfExists(deploymentMark(lineage))) {
            SecureFiles.fsyncDirectory(lineage.archiveDir());
        }
    }

    private static Path deploymentMark(Lineage lineage) {
        return lineage.archiveDir().resolve(".deploy-pending");
    }

    /**
     * The live version, after completing any link move an interrupted run left behind.
     *
     * @return empty when the lineage has no live links yet
     */
    @Override
    public Optional<LiveCertificate> live(Lineage lineage) throws IOException {
        OptionalInt version = recover(lineage);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] pem = Files.readAllBytes(lineage.live("cert"));
            return Optional.of(new LiveCertificate(lineage, version.getAsInt(), Pem.firstCertificate(pem)));
        } catch (CertificateException e) {
            throw new IOException(lineage.live("cert") + " holds no readable certificate", e);
        }
    }

    /** Step one of {@link #save}: the complete version in the archive. */
    void writeArchive(Lineage lineage, int version, PrivateKey key, List<X509Certificate> chain) throws IOException {
        SecureFiles.directories(lineage.configDir().resolve("archive"), SecureFiles.PRIVATE_DIR);
        Path dir = SecureFiles.directories(lineage.archiveDir(), SecureFiles.PRIVATE_DIR);
        Path privkey = lineage.archive("privkey", version);
        SecureFiles.replace(privkey, Pem.privateKey(key), SecureFiles.PRIVATE_FILE);
        keepAdminGroup(lineage, privkey);
        SecureFiles.replace(lineage.archive("cert", version), Pem.certificates(chain.subList(0, 1)),
                SecureFiles.PUBLIC_FILE);
        SecureFiles.replace(lineage.archive("chain", version), Pem.certificates(chain.subList(1, chain.size())),
                SecureFiles.PUBLIC_FILE);
        SecureFiles.replace(lineage.archive("fullchain", version), Pem.certificates(chain),
                SecureFiles.PUBLIC_FILE);
        SecureFiles.fsyncDirectory(dir);
    }

    /** The highest version number in the lineage's archive, 0 when it has none. */
    int highestArchived(Lineage lineage) throws IOException {
        return Files.isDirectory(lineage.archiveDir()) ? highestArchived(lineage.archiveDir()) : 0;
    }

    /** Step two of {@link #save}: every live link to {@code version}, one atomic rename each. */
    void moveLinks(Lineage lineage, int version) throws IOException {
        SecureFiles.directories(lineage.configDir().resolve("live"), SecureFiles.PRIVATE_DIR);
        Path dir = SecureFiles.directories(lineage.liveDir(), SecureFiles.PUBLIC_DIR);
        for (String kind : Lineage.KINDS) {
            SecureFiles.relink(lineage.live(kind), lineage.linkTarget(kind, version));
        }
        Path readme = dir.resolve("README");
        if (!Files.exists(readme)) {
            SecureFiles.replace(readme, LiveReadme.TEXT.getBytes(StandardCharsets.UTF_8), SecureFiles.PUBLIC_FILE);
        }
        SecureFiles.fsyncDirectory(dir);
    }

    /**
     * Makes the live links agree again after an interrupted {@link #moveLinks}: they all move forward to the
     * newest version any of them points at, which was complete in the archive before the first link moved.
     *
     * @return the live version, empty when there are no live links
     */
    OptionalInt recover(Lineage lineage) throws IOException {
        OptionalInt newest = OptionalInt.empty();
        boolean consistent = true;
        for (String kind : Lineage.KINDS) {
            OptionalInt version = linkedVersion(lineage.live(kind));
            if (newest.isPresent() && !newest.equals(version)) {
                consistent = false;
            }
            if (version.isPresent() && (newest.isEmpty() || version.getAsInt() > newest.getAsInt())) {
                newest = version;
            }
        }
        if (!consistent && newest.isPresent()) {
            LOG.log(Level.WARNING, "{0} was left half-updated by an interrupted run; completing the move to "
                    + "version {1}", lineage.liveDir(), newest.getAsInt());
            moveLinks(lineage, newest.getAsInt());
        }
        return newest;
    }

    private static OptionalInt linkedVersion(Path link) throws IOException {
        if (!Files.isSymbolicLink(link)) {
            return OptionalInt.empty();
        }
        Matcher m = VERSIONED.matcher(String.valueOf(Files.readSymbolicLink(link).getFileName()));
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(2))) : OptionalInt.empty();
    }

    private static int highestArchived(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> VERSIONED.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(2)))
                    .max().orElse(0);
        }
    }

    /**
     * certbot's rule: when the admin gave the previous key a group (so a service user can read it), the new key
     * gets that group and its group permissions; never any for others.
     */
    private static void keepAdminGroup(Lineage lineage, Path privkey) throws IOException {
        Path previous = lineage.live("privkey");
        if (!Files.exists(previous)) {
            return;
        }
        PosixFileAttributes old = Files.readAttributes(previous, PosixFileAttributes.class);
        GroupPrincipal group = old.group();
        try {
            Files.getFileAttributeView(privkey, PosixFileAttributeView.class).setGroup(group);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot give {0} the group {1} of the previous key ({2}); it stays 0600 for "
                    + "the owner only: set the group by hand if a service user must read it", privkey,
                    group.getName(), e.getMessage());
            return;
        }
        Set<PosixFilePermission> perms = EnumSet.copyOf(SecureFiles.PRIVATE_FILE);
        old.permissions().stream().filter(GROUP_BITS::contains).forEach(perms::add);
        Files.setPosixFilePermissions(privkey, perms);
    }
}
