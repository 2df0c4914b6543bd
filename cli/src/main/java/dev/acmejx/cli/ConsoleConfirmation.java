package dev.acmejx.cli;

import dev.acmejx.core.AcmejxException;
import java.io.Console;
import java.util.Locale;

/**
 * Asks before something that cannot be undone, the way {@link ConsoleTerms} asks for the CA's terms: a person at
 * a terminal answers; {@code -n}/{@code --non-interactive} means the caller already decided; a run that can ask
 * no one stops with a message naming {@code -n}, rather than guessing either way.
 */
final class ConsoleConfirmation {

    private final boolean nonInteractive;

    ConsoleConfirmation(boolean nonInteractive) {
        this.nonInteractive = nonInteractive;
    }

    /**
     * @param question without the answer hint, e.g. {@code Delete the certificate a.test}
     * @throws AcmejxException when there is no one to ask, or the answer is not yes
     */
    void confirm(String question) throws AcmejxException {
        if (nonInteractive) {
            return;
        }
        Console console = System.console();
        if (console == null) {
            throw new AcmejxException(question + "? There is no terminal to ask at; add -n (--non-interactive) "
                    + "to go ahead without asking");
        }
        String answer = console.readLine("%s? (y/N) ", question);
        if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).startsWith("y")) {
            throw new AcmejxException("not confirmed; nothing was changed");
        }
    }
}
