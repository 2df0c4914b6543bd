package dev.acmejx.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The acmejx version, from the build, for {@code --version} and the renewal conf. */
public final class Version {

    public static final String VALUE = load();

    private Version() {
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
