package dev.acmejx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bash completion script, parsed and then run by a real bash the way readline would call it. */
class CompletionTest {

    @TempDir
    Path dir;

    @Test
    void bashParsesTheScript() throws Exception {
        Tool bash = Tool.required("bash", "bash");
        Tool.Result result = bash.run("", "-n", script().toString());
        assertEquals("", result.err());
        assertEquals(0, result.exit());
    }

    @Test
    void completesEverySubcommandName() throws Exception {
        Set<String> expected = new TreeSet<>();
        Main.commandLine().getSubcommands().forEach((name, command) -> {
            if (!command.getCommandSpec().usageMessage().hidden()) {
                expected.add(name);
            }
        });

        assertEquals(expected, new TreeSet<>(complete("acmejx", "")));
    }

    @Test
    void completesOptionNamesOfASubcommand() throws Exception {
        assertEquals(List.of("--deploy-hook"), complete("acmejx", "issue", "--dep"));
        assertTrue(complete("acmejx", "serve", "--").contains("--backend"));
    }

    /**
     * What the script offers for the last word of {@code words}, as bash offers it after TAB. stderr is not
     * checked: outside readline, the script's {@code compopt} calls complain that no completion is running.
     */
    private List<String> complete(String... words) throws Exception {
        Tool bash = Tool.required("bash", "bash");
        StringBuilder array = new StringBuilder();
        for (String word : words) {
            array.append('\'').append(word).append("' ");
        }
        String program = "source '" + script() + "'\n"
                + "COMP_WORDS=(" + array + ")\n"
                + "COMP_CWORD=" + (words.length - 1) + "\n"
                + "COMP_LINE=\"${COMP_WORDS[*]}\"\n"
                + "COMP_POINT=${#COMP_LINE}\n"
                + "_complete_acmejx\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Tool.Result result = bash.run(program, "--norc", "--noprofile", "-s");
        assertEquals(0, result.exit(), result.err());
        return result.out().lines().filter(line -> !line.isEmpty()).toList();
    }

    private Path script() throws Exception {
        Path script = dir.resolve("acmejx");
        Files.writeString(script, GenerateDocs.completion());
        return script;
    }
}
