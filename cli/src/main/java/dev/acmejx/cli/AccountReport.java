package dev.acmejx.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmejx.core.AccountManagement.AccountInfo;

/**
 * What {@code acmejx account show} prints: lines for people, or one JSON object with the fields {@code id},
 * {@code server}, {@code location}, {@code status} and {@code contacts} (an array of URIs).
 */
final class AccountReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AccountReport() {
    }

    static String human(AccountInfo account) {
        return "Account " + account.id() + "\n"
                + "  Server:   " + account.server() + "\n"
                + "  Location: " + account.location() + "\n"
                + "  Status:   " + account.status() + "\n"
                + "  Contacts: " + (account.contacts().isEmpty() ? "(none)" : String.join(", ", account.contacts()))
                + "\n";
    }

    static ObjectNode json(AccountInfo account) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", account.id());
        node.put("server", account.server().toString());
        node.put("location", account.location().toString());
        node.put("status", account.status());
        ArrayNode contacts = node.putArray("contacts");
        account.contacts().forEach(contacts::add);
        return node;
    }
}
