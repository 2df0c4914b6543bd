package dev.acmejx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The man page against the command model it is rendered from, and against groff, which must read it silently. */
class ManPageTest {

    private final CommandSpec model = Main.commandLine().getCommandSpec();
    private final String page = GenerateDocs.manPage();

    @Test
    void hasASectionForEveryCommand() {
        for (CommandSpec command : commands(model)) {
            if (command != model) {
                assertTrue(page.contains("\n.SS " + Roff.argument(command.qualifiedName()) + "\n"),
                        "no section for " + command.qualifiedName());
            }
        }
    }

    @Test
    void namesEveryOptionOfEveryCommand() {
        for (CommandSpec command : commands(model)) {
            for (OptionSpec option : command.options()) {
                for (String name : option.names()) {
                    String shown = option.negatable()
                            ? command.negatableOptionTransformer().makeSynopsis(name, command) : name;
                    assertTrue(page.contains(Roff.bold(shown)), command.qualifiedName() + " " + shown + " is missing");
                }
            }
        }
    }

    @Test
    void showsDefaultsTheDescriptionDoesNotMention() {
        // --proxy-protocol's description does not say its default; the page must.
        assertTrue(page.contains("Default: none."), "no default for serve --proxy-protocol");
    }

    @Test
    void groffRendersItWithoutAWarning() throws Exception {
        Tool groff = Tool.required("groff", "groff-base");
        // -ww: every warning; -z: parse and format, but write nothing.
        Tool.Result result = groff.run(page, "-man", "-Tutf8", "-ww", "-z");
        assertEquals("", result.err(), "groff warned");
        assertEquals(0, result.exit());
    }

    @Test
    void optionsAndSynopsesReadAsTyped() throws Exception {
        String text = rendered(page);
        assertTrue(text.contains("--deploy-hook CMD"), text);
        assertTrue(text.contains("acmejx serve [OPTION]..."), text);
    }

    /** Help texts are free text: what troff would eat or typeset differently must come out as written. */
    @Test
    void textComesOutAsWritten() throws Exception {
        List<String> phrases = List.of("--deploy-hook 'nginx -s reload'", "`acmejx challenge`", "C:\\dir ~/x a^b",
                "fa\u00df.de \u2026", "\"quoted\"");
        CommandSpec demo = CommandSpec.create().name("demo");
        demo.usageMessage().description(String.join(" ", phrases));
        demo.addOption(OptionSpec.builder("--start").description(".TH at the start of a line").build());

        String text = rendered(ManPage.render(demo));

        for (String phrase : phrases) {
            assertTrue(text.contains(phrase), phrase + " is not in\n" + text);
        }
        assertTrue(text.contains(".TH at the start of a line"), text);
    }

    /** The page as man shows it, plain (-P-cbou: no bold or underline sequences), whitespace runs as one space. */
    private static String rendered(String page) throws Exception {
        Tool groff = Tool.required("groff", "groff-base");
        Tool.Result result = groff.run(page, "-man", "-Tutf8", "-ww", "-P-cbou");
        assertEquals("", result.err(), "groff warned");
        return result.out().replaceAll("\\s+", " ");
    }

    /** The model's commands, depth first, each once (picocli maps aliases to the same command). */
    private static List<CommandSpec> commands(CommandSpec command) {
        List<CommandSpec> all = new ArrayList<>(List.of(command));
        command.subcommands().values().stream().map(CommandLine::getCommandSpec).distinct()
                .filter(sub -> !sub.usageMessage().hidden())
                .forEach(sub -> all.addAll(commands(sub)));
        return all;
    }
}
