package dev.acmejx.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where one certificate lineage lives in the certbot layout: {@code archive/<name>/} holds every version,
 * {@code live/<name>/} links to the current one, {@code renewal/<name>.conf} says how to renew it.
 *
 * @param configDir the absolute config dir (certbot's {@code /etc/letsencrypt})
 * @param name the lineage name ({@code --cert-name})
 */
public record Lineage(Path configDir, String name) {

    /** The four files of a version, in the order their live links move. */
    public static final List<String> KINDS = List.of("cert", "privkey", "chain", "fullchain");

    private static final String RENEWAL = "renewal";
    private static final String CONF = ".conf";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");

    /** @throws AcmejxException when the name would not make a safe single path element */
    public static Lineage of(Path configDir, String name) throws AcmejxException {
        if (!NAME.matcher(name).matches() || name.contains("..")) {
            throw new AcmejxException("invalid --cert-name '" + name + "': use letters, digits, '.', '-' and '_' "
                    + "(it becomes a directory name under live/ and archive/)");
        }
        return new Lineage(configDir.toAbsolutePath().normalize(), name);
    }

    /**
     * A lineage that has something in the config dir, for commands that act on one by name.
     *
     * @throws AcmejxException naming the lineages there are, when there is no such one
     */
    public static Lineage existing(Path configDir, String name) throws AcmejxException {
        Lineage lineage = of(configDir, name);
        if (lineage.exists()) {
            return lineage;
        }
        List<String> known;
        try {
            known = known(lineage.configDir());
        } catch (IOException e) {
            throw new AcmejxException("no certificate named '" + name + "' in " + lineage.configDir() + ", and "
                    + "its lineages cannot be listed: " + e.getMessage(), e);
        }
        throw new AcmejxException("no certificate named '" + name + "' in " + lineage.configDir() + "; "
                + (known.isEmpty() ? "it holds none (check --config-dir)"
                        : "there are: " + String.join(", ", known)));
    }

    /**
     * The names of every lineage with anything left in the config dir: a {@code live/} or {@code archive/}
     * directory, or a renewal conf. A half-removed lineage is still listed, so it can be removed completely.
     */
    public static List<String> known(Path configDir) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        names.addAll(entries(configDir.resolve("live"), true, ""));
        names.addAll(entries(configDir.resolve("archive"), true, ""));
        names.addAll(entries(configDir.resolve(RENEWAL), false, CONF));
        return List.copyOf(names);
    }

    /** The names with a renewal conf: what {@code renew} goes through. Dot-files (editor backups) are not. */
    public static List<String> renewable(Path configDir) throws IOException {
        return List.copyOf(new TreeSet<>(entries(configDir.resolve(RENEWAL), false, CONF)));
    }

    /** The names under {@code live/} alone: the lineages a web server can be pointed at. */
    public static List<String> live(Path configDir) throws IOException {
        return List.copyOf(new TreeSet<>(entries(configDir.resolve("live"), true, "")));
    }

    private static List<String> entries(Path dir, boolean directories, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(e -> directories ? Files.isDirectory(e) : Files.isRegularFile(e))
                    .map(e -> e.getFileName().toString())
                    .filter(n -> n.endsWith(suffix) && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - suffix.length()))
                    .toList();
        }
    }

    /** Whether anything of this lineage is in the config dir. */
    public boolean exists() {
        return Files.exists(liveDir()) || Files.exists(archiveDir()) || Files.exists(renewalConf());
    }

    public Path archiveDir() {
        return configDir.resolve("archive").resolve(name);
    }

    public Path liveDir() {
        return configDir.resolve("live").resolve(name);
    }

    public Path renewalConf() {
        return configDir.resolve(RENEWAL).resolve(name + CONF);
    }

    /** What {@code renew} remembers between runs; see {@link LineageState}. */
    public Path stateFile() {
        return configDir.resolve(RENEWAL).resolve(name + ".acmejx.json");
    }

    /** certbot's conf as it was when {@code acmejx adopt} took the lineage over; {@code adopt --undo} restores it. */
    public Path certbotConf() {
        return configDir.resolve(RENEWAL).resolve(name + CONF + ".certbot");
    }

    /** {@code live/<name>/<kind>.pem}, the path nginx is pointed at. */
    public Path live(String kind) {
        return liveDir().resolve(kind + ".pem");
    }

    /** {@code archive/<name>/<kind><version>.pem}. */
    public Path archive(String kind, int version) {
        return archiveDir().resolve(kind + version + ".pem");
    }

    /** The relative target of a live link, as certbot writes it, so the config dir can be moved whole. */
    Path linkTarget(String kind, int version) {
        return Path.of("..", "..", "archive", name, kind + version + ".pem");
    }
}
