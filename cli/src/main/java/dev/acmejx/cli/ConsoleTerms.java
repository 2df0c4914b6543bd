package dev.acmejx.cli;

import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.TermsOfService;
import java.io.Console;
import java.net.URI;
import java.util.Locale;

/**
 * certbot's rule for the CA's terms: {@code --agree-tos} agrees; otherwise a person at a terminal is asked; a
 * run that cannot ask (no terminal, or {@code --non-interactive}) stops with a message naming the flag.
 */
final class ConsoleTerms implements TermsOfService {

    private final boolean agreed;
    private final boolean nonInteractive;

    ConsoleTerms(boolean agreed, boolean nonInteractive) {
        this.agreed = agreed;
        this.nonInteractive = nonInteractive;
    }

    @Override
    public boolean agree(URI terms) throws AcmejxException {
        if (agreed) {
            return true;
        }
        Console console = System.console();
        if (nonInteractive || console == null) {
            throw new AcmejxException("registering an account requires agreeing to the CA's terms of service at "
                    + terms + "; read them and add --agree-tos");
        }
        String answer = console.readLine("Read the terms of service at %s%nDo you agree? (y/N) ", terms);
        return answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
    }
}
