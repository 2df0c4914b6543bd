package dev.acmejx.core;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

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

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");

    /** @throws AcmejxException when the name would not make a safe single path element */
    public static Lineage of(Path configDir, String name) throws AcmejxException {
        if (!NAME.matcher(name).matches() || name.contains("..")) {
            throw new AcmejxException("invalid --cert-name '" + name + "': use letters, digits, '.', '-' and '_' "
                    + "(it becomes a directory name under live/ and archive/)");
        }
        return new Lineage(configDir.toAbsolutePath().normalize(), name);
    }

    public Path archiveDir() {
        return configDir.resolve("archive").resolve(name);
    }

    public Path liveDir() {
        return configDir.resolve("live").resolve(name);
    }

    public Path renewalConf() {
        return configDir.resolve("renewal").resolve(name + ".conf");
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
