package dev.acmejx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void aSubcommandRunBuildsOnlyItsOwnModel() {
        assertEquals(Set.of("renew"), Main.commandLine("renew").getSubcommands().keySet());
        assertEquals(Set.of("issue", "certonly"), Main.commandLine("certonly").getSubcommands().keySet());
    }

    @Test
    void anythingElseGetsEveryCommandForHelpAndSuggestions() {
        Set<String> all = Main.commandLine().getSubcommands().keySet();

        assertEquals(all, Main.commandLine("--help").getSubcommands().keySet());
        assertEquals(all, Main.commandLine("renw").getSubcommands().keySet());
        assertEquals(AcmejxCommand.SUBCOMMANDS.size() + 1, all.size(), "every subcommand, and issue's alias");
    }

    @Test
    void settingsReachTheSubcommandsAddedFirst() {
        assertEquals(ErrorReporter.class,
                Main.commandLine("renew").getSubcommands().get("renew").getExecutionExceptionHandler().getClass());
    }
}
