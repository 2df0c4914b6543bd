package dev.acmejx.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import picocli.CommandLine.Option;

/**
 * {@code --json}, {@code -v} and {@code -q}, shared by every subcommand. All of acmejx logs through
 * {@link System.Logger} and acme4j and Netty through SLF4J, which both end in java.util.logging: one handler on
 * stderr formats every line, so {@code --json} covers them all and stdout stays for results.
 */
public final class LoggingOptions {

    @Option(names = "--json",
            description = "Log one JSON object per line, for machines (certificates and account show also print JSON).")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Also log details, including acme4j's requests.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Log warnings and errors only.")
    boolean quiet;

    void apply() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Level level = quiet ? Level.WARNING : verbose ? Level.FINE : Level.INFO;
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(level);
        handler.setFormatter(json ? new JsonLogFormatter() : new HumanLogFormatter());
        root.addHandler(handler);
        // The JDK's own loggers (its HTTP client, TLS) stay at warnings even with -v: pages of transport noise.
        root.setLevel(quiet ? Level.WARNING : Level.INFO);
        Logger.getLogger("acmejx").setLevel(level);
        Logger.getLogger("org.shredzone").setLevel(verbose ? Level.FINE : Level.WARNING);
        Logger.getLogger("io.netty").setLevel(Level.WARNING);
    }
}
