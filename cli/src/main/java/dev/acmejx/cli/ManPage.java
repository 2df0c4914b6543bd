package dev.acmejx.cli;

import dev.acmejx.core.Version;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The acmejx(1) man page, rendered as man(7) roff from the same picocli model that {@code --help} prints, so the
 * page lists exactly the commands and options the program accepts. picocli-codegen's own generator writes
 * AsciiDoc, which would need asciidoctor in the build to become a man page; this needs nothing.
 *
 * <p>Layout: NAME, SYNOPSIS (one line per runnable command), DESCRIPTION, OPTIONS of {@code acmejx} itself, then
 * COMMANDS with a subsection per subcommand, nested ones included ({@code acmejx challenge add}), each with its
 * synopsis, description and options. {@code -h} and {@code -V}, which every command has, are described once, at
 * the top. Hidden commands and options are left out, as {@code --help} leaves them out.
 */
final class ManPage {

    private final StringBuilder out = new StringBuilder(16 * 1024);

    private ManPage() {
    }

    /** The whole page for the command {@code root} (normally {@code acmejx}). */
    static String render(CommandSpec root) {
        ManPage page = new ManPage();
        page.write(root);
        return page.out.toString();
    }

    private void write(CommandSpec root) {
        String title = root.name().toUpperCase(Locale.ROOT);
        line(".\\\" Generated from the picocli model by " + ManPage.class.getName() + "; do not edit.");
        line(".TH " + Roff.argument(title) + " 1 \"\" " + Roff.argument(root.name() + " " + Version.VALUE) + " "
                + Roff.argument("User Commands"));
        // Neither hyphenate nor justify: option names and paths broken at a hyphen cannot be copied.
        line(".nh");
        line(".ad l");
        line(".SH NAME");
        line(Roff.text(root.name()) + " \\- " + Roff.text(firstSentence(description(root))));
        line(".SH SYNOPSIS");
        List<CommandSpec> commands = subcommands(root);
        synopsis(root);
        commands.stream().filter(command -> subcommands(command).isEmpty()).forEach(this::synopsis);
        line(".SH DESCRIPTION");
        paragraph(description(root));
        line(".SH OPTIONS");
        options(root, true);
        line(".SH COMMANDS");
        for (CommandSpec command : commands) {
            line(".SS " + Roff.argument(command.qualifiedName()));
            synopsis(command);
            if (command.aliases().length > 0) {
                paragraph("Also called " + String.join(", ", command.aliases()) + ".");
            }
            paragraph(description(command));
            options(command, false);
        }
        line(".SH EXIT STATUS");
        paragraph("0 on success; " + ErrorReporter.FAILED + " when the command failed (standard error says what "
                + "failed and what to do); " + root.exitCodeOnInvalidInput() + " for a usage error; "
                + ErrorReporter.INTERRUPTED + " when interrupted.");
    }

    /** Every visible subcommand below {@code command}, depth first, once each (picocli lists aliases too). */
    private static List<CommandSpec> subcommands(CommandSpec command) {
        Set<CommandSpec> seen = new LinkedHashSet<>();
        for (CommandLine sub : command.subcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            if (!spec.usageMessage().hidden() && seen.add(spec)) {
                seen.addAll(subcommands(spec));
            }
        }
        return new ArrayList<>(seen);
    }

    /** The command's name, its required options, then the rest as [OPTION]... and its parameters. */
    private void synopsis(CommandSpec command) {
        line(".SY " + Roff.argument(command.qualifiedName()));
        for (OptionSpec option : visibleOptions(command, true)) {
            if (option.required()) {
                line(Roff.bold(option.shortestName()) + parameterLabel(option, " "));
            }
        }
        if (visibleOptions(command, true).stream().anyMatch(option -> !option.required())) {
            line("[" + Roff.italic("OPTION") + "]...");
        }
        for (PositionalParamSpec parameter : command.positionalParameters()) {
            if (!parameter.hidden()) {
                line(Roff.italic(parameter.paramLabel()) + (parameter.arity().max > 1 ? "..." : ""));
            }
        }
        if (!subcommands(command).isEmpty()) {
            line(Roff.italic("COMMAND"));
        }
        line(".YS");
    }

    private void options(CommandSpec command, boolean top) {
        for (OptionSpec option : visibleOptions(command, top)) {
            line(".TP");
            line(option.negatable() ? negatableNames(command, option) : names(option));
            paragraphText(describe(option));
        }
        for (PositionalParamSpec parameter : command.positionalParameters()) {
            if (!parameter.hidden()) {
                line(".TP");
                line(Roff.italic(parameter.paramLabel()));
                paragraphText(describe(parameter));
            }
        }
    }

    /** {@code -h} and {@code -V} only where {@code top}: every command has them and they say the same there. */
    private static List<OptionSpec> visibleOptions(CommandSpec command, boolean top) {
        return command.options().stream()
                .filter(option -> !option.hidden())
                .filter(option -> top || !(option.usageHelp() || option.versionHelp()))
                .collect(Collectors.toList());
    }

    private static String names(OptionSpec option) {
        return List.of(option.names()).stream().map(Roff::bold).collect(Collectors.joining(", "))
                + parameterLabel(option, " ");
    }

    /** {@code --[no-]reuseport}, as {@code --help} shows it. */
    private static String negatableNames(CommandSpec command, OptionSpec option) {
        return List.of(option.names()).stream()
                .map(name -> Roff.bold(command.negatableOptionTransformer().makeSynopsis(name, command)))
                .collect(Collectors.joining(", "));
    }

    private static String parameterLabel(OptionSpec option, String separator) {
        if (option.arity().max == 0) {
            return "";
        }
        String label = Roff.italic(option.paramLabel());
        return separator + (option.arity().min == 0 ? "[" + label + "]" : label);
    }

    /**
     * The option's help text with picocli's variables filled in, and its default when the text does not state it
     * already (most acmejx descriptions end in "(default: ...)").
     */
    private static String describe(ArgSpec arg) {
        String text = String.join(" ", arg.renderedDescription());
        String defaultValue = arg.defaultValue();
        if (defaultValue != null && !text.toLowerCase(Locale.ROOT).contains("default")) {
            text = text + " Default: " + defaultValue + ".";
        }
        return text;
    }

    private static String description(CommandSpec command) {
        return String.join(" ", command.usageMessage().description());
    }

    private static String firstSentence(String text) {
        int end = text.indexOf(". ");
        return end < 0 ? text.replaceAll("\\.$", "") : text.substring(0, end);
    }

    private void paragraph(String text) {
        if (!text.isBlank()) {
            line(".PP");
            paragraphText(text);
        }
    }

    private void paragraphText(String text) {
        if (!text.isBlank()) {
            line(Roff.text(text));
        }
    }

    private void line(String line) {
        out.append(line).append('\n');
    }
}
