package dev.acmejx.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code renewal/<name>.conf} in certbot's configobj style: top-level paths, then a {@code [renewalparams]}
 * section with everything {@code renew} needs to repeat the order without flags. Values are single lines;
 * lists are comma-separated, as certbot writes them.
 */
public final class RenewalConf {

    private static final Pattern RELEASE = Pattern.compile("\\d+(\\.\\d+)*");

    private final Map<String, String> top;
    private final Map<String, String> params;

    private RenewalConf(Map<String, String> top, Map<String, String> params) {
        this.top = top;
        this.params = params;
    }

    /** The conf for a lineage's current files; {@code params} in the order they should be written. */
    public static RenewalConf of(Lineage lineage, String version, Map<String, String> params) {
        Map<String, String> top = new LinkedHashMap<>();
        top.put(ConfKeys.VERSION, pep440(version));
        top.put(ConfKeys.ARCHIVE_DIR, lineage.archiveDir().toString());
        for (String kind : Lineage.KINDS) {
            top.put(kind, lineage.live(kind).toString());
        }
        params.forEach((key, value) -> {
            if (value.contains("\n") || value.contains("\r")) {
                throw new IllegalArgumentException("renewal conf value of " + key + " spans lines: " + value);
            }
        });
        return new RenewalConf(top, new LinkedHashMap<>(params));
    }

    /**
     * This conf with the top-level settings of {@code previous} that acmejx does not write itself, such as a
     * {@code renew_before_expiry} set by hand: a renewal rewrites the conf and must not drop them.
     */
    public RenewalConf keepingSettingsOf(RenewalConf previous) {
        return withTops(previous.top);
    }

    /**
     * certbot parses {@code version} as a PEP 440 version and counts a conf it cannot parse as broken, so a build
     * such as {@code 0.1.0-SNAPSHOT} is written as {@code 0.1.0.dev0}.
     */
    static String pep440(String version) {
        Matcher release = RELEASE.matcher(version);
        if (!release.lookingAt()) {
            return "0.dev0";
        }
        return release.end() == version.length() ? version : release.group() + ".dev0";
    }

    public static RenewalConf read(Path file) throws IOException {
        Map<String, String> top = new LinkedHashMap<>();
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, String> section = top;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line.equals("[" + ConfKeys.RENEWAL_PARAMS + "]") ? params : new LinkedHashMap<>();
                continue;
            }
            int eq = line.indexOf('=');
            if (eq > 0) {
                section.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
            }
        }
        return new RenewalConf(top, params);
    }

    public void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder("# Written by acmejx; `acmejx renew` repeats the order from it.\n");
        top.forEach((key, value) -> text.append(key).append(" = ").append(quote(value)).append('\n'));
        text.append("\n# Options used in the renewal process\n[").append(ConfKeys.RENEWAL_PARAMS).append("]\n");
        params.forEach((key, value) -> text.append(key).append(" = ").append(quote(value)).append('\n'));
        SecureFiles.directories(file.toAbsolutePath().getParent(), SecureFiles.PUBLIC_DIR);
        SecureFiles.replace(file, text.toString().getBytes(StandardCharsets.UTF_8), SecureFiles.PUBLIC_FILE);
    }

    /**
     * configobj, which certbot reads these files with, takes an unquoted comma as a list separator and an
     * unquoted {@code #} as a comment: a hook such as {@code curl -d a,b …#x} must be quoted to survive.
     */
    static String quote(String value) {
        boolean plain = !value.isEmpty() && value.strip().equals(value)
                && value.chars().noneMatch(c -> c == ',' || c == '#' || c == '"' || c == '\'');
        if (plain) {
            return value;
        }
        for (String quote : List.of("\"", "'", "\"\"\"", "\'\'\'")) {
            if (!value.contains(quote)) {
                return quote + value + quote;
            }
        }
        throw new IllegalArgumentException("value holds both kinds of quote and cannot be written: " + value);
    }

    static String unquote(String raw) {
        for (String quote : List.of("\"\"\"", "\'\'\'", "\"", "'")) {
            if (raw.length() >= 2 * quote.length() && raw.startsWith(quote) && raw.endsWith(quote)) {
                return raw.substring(quote.length(), raw.length() - quote.length());
            }
        }
        int comment = raw.indexOf('#');
        return comment < 0 ? raw : raw.substring(0, comment).strip();
    }

    /** This conf with {@code params} as its {@code [renewalparams]}, the top-level settings as they are. */
    public RenewalConf withParams(Map<String, String> params) {
        return new RenewalConf(top, new LinkedHashMap<>(params));
    }

    /** Every value of {@code [renewalparams]}, in the file's order. */
    public Map<String, String> params() {
        return Collections.unmodifiableMap(params);
    }

    /** Every top-level value, in the file's order. */
    Map<String, String> tops() {
        return Collections.unmodifiableMap(top);
    }

    /** This conf with {@code settings} added at the top level where it has no value of its own. */
    RenewalConf withTops(Map<String, String> settings) {
        Map<String, String> merged = new LinkedHashMap<>(top);
        settings.forEach(merged::putIfAbsent);
        return new RenewalConf(merged, params);
    }

    /** A top-level value, such as certbot's {@code renew_before_expiry}. */
    public Optional<String> top(String key) {
        return Optional.ofNullable(top.get(key));
    }

    /** A value of {@code [renewalparams]}. */
    public Optional<String> param(String key) {
        return Optional.ofNullable(params.get(key));
    }
}
