package dev.acmejx.cli;

import dev.acmejx.core.AcmejxException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints a failure as the one actionable message it carries, without a stack trace, and picks the exit code:
 * 1 for an operation that failed, 130 for an interrupted one. Unexpected exceptions keep their trace: they are
 * bugs, and the trace is what a bug report needs.
 */
final class ErrorReporter implements IExecutionExceptionHandler {

    static final int FAILED = 1;
    static final int INTERRUPTED = 130;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        if (e instanceof AcmejxException) {
            System.err.println("acmejx: error: " + e.getMessage());
            return FAILED;
        }
        if (e instanceof InterruptedException) {
            System.err.println("acmejx: interrupted");
            return INTERRUPTED;
        }
        System.err.println("acmejx: internal error (please report it with the trace below): " + e);
        e.printStackTrace(System.err);
        return FAILED;
    }
}
