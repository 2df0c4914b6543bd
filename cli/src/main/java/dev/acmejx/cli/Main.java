package dev.acmejx.cli;

import dev.acmejx.core.AcmejxException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;

/** Entry point of the {@code acmejx} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        CommandLine commandLine = commandLine();
        Optional<Path> config = ConfigFileDefaults.find(args);
        if (config.isPresent()) {
            CommandLine serve = commandLine.getSubcommands().get("serve");
            try {
                serve.setDefaultValueProvider(ConfigFileDefaults.load(config.get(), serve.getCommandSpec()));
            } catch (AcmejxException e) {
                System.err.println("acmejx: error: " + e.getMessage());
                System.exit(ErrorReporter.FAILED);
            }
        }
        System.exit(commandLine.execute(args));
    }

    /** The configured command line, also what tests and completion scripts use. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new AcmejxCommand());
        commandLine.setExecutionExceptionHandler(new ErrorReporter());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }
}
