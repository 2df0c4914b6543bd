package dev.acmejx.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;

/**
 * Build step (cli/pom.xml runs it in {@code package}): writes the bash completion script and the man page, both
 * from the picocli model of {@link Main#commandLine()}, so neither can drift from the options the program takes.
 * Run with the build directory as its only argument; it writes {@code completion/acmejx} and {@code man/acmejx.1}
 * below it.
 */
public final class GenerateDocs {

    private GenerateDocs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: GenerateDocs BUILD-DIRECTORY");
        }
        Path target = Path.of(args[0]);
        write(target.resolve("completion/acmejx"), completion());
        write(target.resolve("man/acmejx.1"), manPage());
    }

    /** The bash (and zsh, through bashcompinit) completion script picocli generates for the command. */
    static String completion() {
        return AutoComplete.bash("acmejx", Main.commandLine());
    }

    static String manPage() {
        return ManPage.render(Main.commandLine().getCommandSpec());
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
