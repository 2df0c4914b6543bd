package dev.acmejx.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code acmejx}, {@code acmejx account}, {@code acmejx challenge}): run
 * bare there is nothing to do, so it says what there is and fails like any other usage error.
 */
abstract class CommandGroup implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return spec.commandLine().getCommandSpec().exitCodeOnInvalidInput();
    }
}
