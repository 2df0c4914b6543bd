package dev.acmejx.cli;

import picocli.CommandLine;

/** Entry point of the {@code acmejx} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also what tests and completion scripts use. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new AcmejxCommand());
        commandLine.setExecutionExceptionHandler(new ErrorReporter());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }
}
