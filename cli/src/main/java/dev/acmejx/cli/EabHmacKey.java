package dev.acmejx.cli;

import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.ExternalAccountBinding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@code issue} takes the External Account Binding HMAC key from. An argument on the command line is readable
 * by every user of the machine ({@code /proc/PID/cmdline}) while issue runs; a file of the admin's (0600) and the
 * environment ({@code /proc/PID/environ}, the owner's and root's only) are not. Exactly one may give it, so no
 * forgotten environment variable silently wins over the key the admin means.
 */
final class EabHmacKey {

    /** A key and where it came from, for messages (never the key itself). */
    record Given(String source, String key) {

        @Override
        public String toString() {
            return "EabHmacKey.Given[source=" + source + "]";
        }
    }

    private EabHmacKey() {
    }

    /**
     * @param flag {@code --eab-hmac-key}'s value, if given
     * @param file {@code --eab-hmac-key-file}'s value, if given
     * @param environment the process's environment, for {@value ExternalAccountBinding#KEY_ENVIRONMENT}; empty is
     *     unset
     * @throws AcmejxException when two sources give it, or the file cannot be read or is empty
     */
    static Optional<Given> read(Optional<String> flag, Optional<Path> file, Map<String, String> environment)
            throws AcmejxException {
        // Empty is unset: how a shell clears an exported variable.
        Optional<String> fromEnvironment = Optional.ofNullable(environment.get(ExternalAccountBinding.KEY_ENVIRONMENT))
                .filter(value -> !value.isEmpty());
        List<String> sources = new ArrayList<>();
        file.ifPresent(f -> sources.add(ExternalAccountBinding.KEY_FILE_OPTION + " " + f));
        fromEnvironment.ifPresent(v -> sources.add(ExternalAccountBinding.KEY_ENVIRONMENT));
        flag.ifPresent(v -> sources.add(ExternalAccountBinding.KEY_OPTION));
        if (sources.size() > 1) {
            throw new AcmejxException("the External Account Binding HMAC key is given " + sources.size()
                    + " ways (" + String.join(", ", sources) + "): give it one way only, best with "
                    + ExternalAccountBinding.KEY_FILE_OPTION);
        }
        if (file.isPresent()) {
            return Optional.of(new Given(sources.get(0), readFile(file.get())));
        }
        if (fromEnvironment.isPresent()) {
            return Optional.of(new Given(ExternalAccountBinding.KEY_ENVIRONMENT, fromEnvironment.get()));
        }
        return flag.map(key -> new Given(ExternalAccountBinding.KEY_OPTION, key));
    }

    /** The file's text without its trailing newline, as {@code echo KEY > FILE} or an editor leaves it. */
    private static String readFile(Path file) throws AcmejxException {
        String text;
        try {
            // Any byte reads: what is not a key fails the base64url check, which says so.
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new AcmejxException("cannot read " + ExternalAccountBinding.KEY_FILE_OPTION + " " + file + ": "
                    + why(e) + "; give the file that holds the CA's HMAC key, readable by this user", e);
        }
        String key = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (key.isBlank()) {
            throw new AcmejxException(ExternalAccountBinding.KEY_FILE_OPTION + " " + file + " is empty; put the "
                    + "CA's HMAC key (base64url) in it");
        }
        return key;
    }

    private static String why(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.toString();
    }
}
