package dev.acmejx.cli;

import dev.acmejx.core.AcmejxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterExceptionHandler;

/** Entry point of the {@code acmejx} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args.length > 0 ? commandLine(args[0]) : commandLine(), args));
    }

    /** Runs {@code args} on {@code commandLine}, the {@code --config} file included, and returns the exit code. */
    static int run(CommandLine commandLine, String[] args) {
        Optional<Path> config = ConfigFileDefaults.find(args);
        CommandLine invoked = invoked(commandLine, args);
        if (config.isPresent() && invoked != commandLine) {
            try {
                ConfigFileDefaults defaults = ConfigFileDefaults.load(config.get(), invoked.getCommandSpec());
                invoked.setDefaultValueProvider(defaults);
                IParameterExceptionHandler usage = commandLine.getParameterExceptionHandler();
                commandLine.setParameterExceptionHandler((e, arguments) ->
                        usage.handleParseException(defaults.attributed(e), arguments));
            } catch (AcmejxException e) {
                commandLine.getErr().println("acmejx: error: " + e.getMessage());
                return ErrorReporter.FAILED;
            }
        }
        return commandLine.execute(args);
    }

    /** The (sub)subcommand the leading words of {@code args} name, such as {@code fleet status}. */
    private static CommandLine invoked(CommandLine commandLine, String[] args) {
        CommandLine current = commandLine;
        for (String arg : args) {
            CommandLine next = current.getSubcommands().get(arg);
            if (next == null) {
                break;
            }
            current = next;
        }
        return current;
    }

    /** The configured command line with every subcommand, also what tests, completion and the man page use. */
    static CommandLine commandLine() {
        return commandLine(AcmejxCommand.SUBCOMMANDS);
    }

    /**
     * Only the subcommand {@code first} names, when it names one: what it runs is the same, and the others'
     * models are not built. Anything else ({@code --help}, a typo to suggest a fix for) gets them all.
     */
    static CommandLine commandLine(String first) {
        for (Class<?> subcommand : AcmejxCommand.SUBCOMMANDS) {
            Command command = subcommand.getAnnotation(Command.class);
            if (command.name().equals(first) || List.of(command.aliases()).contains(first)) {
                return commandLine(List.of(subcommand));
            }
        }
        return commandLine();
    }

    private static CommandLine commandLine(List<Class<?>> subcommands) {
        CommandLine commandLine = new CommandLine(new AcmejxCommand());
        for (Class<?> subcommand : subcommands) {
            commandLine.addSubcommand(subcommand);
        }
        // Set after the subcommands are added: picocli passes these down only to the subcommands it has then.
        commandLine.setExecutionExceptionHandler(new ErrorReporter());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }
}
