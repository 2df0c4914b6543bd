package dev.acmejx.cli;

/**
 * Text made safe for man(7) roff. Descriptions are written for {@code --help}, so they hold characters troff
 * would read as requests or escapes, or would typeset as something else than what a reader must type: a
 * backslash starts an escape, a line beginning with {@code .} or {@code '} is a request, {@code -} becomes a
 * hyphen (not a copyable minus) and {@code '}, {@code `}, {@code ^}, {@code ~} become typographic glyphs in UTF-8
 * output. Anything outside ASCII is written as a {@code \[uXXXX]} escape, because groff reads its input as
 * Latin-1 unless told otherwise.
 */
final class Roff {

    private Roff() {
    }

    /** {@code text} as one line of running text (its whitespace, newlines included, collapsed to spaces). */
    static String text(String text) {
        String escaped = escape(text.strip().replaceAll("\\s+", " "));
        // A leading "." would make the line a request (a leading "'" is already \(aq); \& is a zero-width nothing.
        return escaped.startsWith(".") ? "\\&" + escaped : escaped;
    }

    /** {@code text} in bold, for what is typed literally (command and option names). */
    static String bold(String text) {
        return "\\fB" + escape(text) + "\\fR";
    }

    /** {@code text} in italics, for what the reader replaces (parameter labels). */
    static String italic(String text) {
        return "\\fI" + escape(text) + "\\fR";
    }

    /** {@code text} as one argument of a macro such as {@code .SS}: quoted, with its own quotes escaped. */
    static String argument(String text) {
        return "\"" + escape(text).replace("\"", "\\(dq") + "\"";
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> out.append("\\e");
                case '-' -> out.append("\\-");
                case '\'' -> out.append("\\(aq");
                case '`' -> out.append("\\(ga");
                case '^' -> out.append("\\(ha");
                case '~' -> out.append("\\(ti");
                default -> {
                    if (c < 0x20) {
                        out.append(' ');
                    } else if (c > 0x7e) {
                        out.append(String.format("\\[u%04X]", c));
                    } else {
                        out.append((char) c);
                    }
                }
            }
        });
        return out.toString();
    }
}
