package dev.acmejx.cli;

import dev.acmejx.core.AccountKeyRollover;
import dev.acmejx.core.AccountManagement;
import dev.acmejx.core.AccountManagement.AccountInfo;
import dev.acmejx.core.AcmejxException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code acmejx account show|update|deactivate|key-rollover}: the account stored for one server (the same
 * {@code --server} default as {@code issue}), as the CA sees it.
 */
@Command(name = "account", mixinStandardHelpOptions = true,
        description = "Show or change the ACME account stored for a server.",
        subcommands = {AccountCommand.Show.class, AccountCommand.Update.class, AccountCommand.Deactivate.class,
            AccountCommand.KeyRollover.class})
final class AccountCommand extends CommandGroup {

    /** The options every subcommand shares, and the account they act on. */
    abstract static class AccountCall implements Callable<Integer> {

        @Mixin
        ServerOptions server;

        @Mixin
        LoggingOptions logging;

        @Override
        public Integer call() throws AcmejxException {
            logging.apply();
            run(new AccountManagement(server.configDir(), server.server(), server.caCert()));
            System.out.flush();
            return 0;
        }

        abstract void run(AccountManagement account) throws AcmejxException;

        void print(AccountInfo info) {
            System.out.print(logging.json ? AccountReport.json(info) + "\n" : AccountReport.human(info));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the account's id, server, URL, status and contacts, as the CA reports them "
                    + "(--json: one JSON object with id, server, location, status, contacts).")
    static final class Show extends AccountCall {

        @Override
        void run(AccountManagement account) throws AcmejxException {
            print(account.show());
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Replace the account's contacts at the CA.")
    static final class Update extends AccountCall {

        @Option(names = {"-m", "--email"}, required = true, split = ",", paramLabel = "EMAIL",
                description = "The new contact address; repeat it or give a comma list for several.")
        List<String> emails;

        @Override
        void run(AccountManagement account) throws AcmejxException {
            print(account.updateContacts(emails));
        }
    }

    @Command(name = "deactivate", mixinStandardHelpOptions = true,
            description = "Deactivate the account at the CA, for good: it can order and revoke nothing any more. "
                    + "Its certificates stay valid. Asks first at a terminal; -n deactivates without asking.")
    static final class Deactivate extends AccountCall {

        @Option(names = {"-n", "--non-interactive"}, description = "Deactivate without asking.")
        boolean nonInteractive;

        @Override
        void run(AccountManagement account) throws AcmejxException {
            new ConsoleConfirmation(nonInteractive).confirm("Deactivate the account for " + server.server()
                    + " for good (the CA accepts nothing from it afterwards)");
            account.deactivate();
            System.out.println("The account for " + server.server() + " is deactivated.");
        }
    }

    @Command(name = "key-rollover", mixinStandardHelpOptions = true,
            description = "Give the account a new key at the CA and store it in private_key.json (0600); the "
                    + "account keeps its id and directory. An interrupted rollover is finished first.")
    static final class KeyRollover extends AccountCall {

        @Override
        void run(AccountManagement account) throws AcmejxException {
            AccountKeyRollover.Outcome outcome = account.rolloverKey();
            System.out.println(outcome == AccountKeyRollover.Outcome.ROLLED_OVER
                    ? "The account for " + server.server() + " has a new key."
                    : "An interrupted key rollover was finished: the account for " + server.server()
                            + " uses the key it had started to set; run key-rollover again for another one.");
        }
    }
}
