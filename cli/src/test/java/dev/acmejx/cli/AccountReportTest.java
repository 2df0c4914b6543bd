package dev.acmejx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acmejx.core.AccountManagement.AccountInfo;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code acmejx account show}, for people and as JSON. */
class AccountReportTest {

    private static AccountInfo account(List<String> contacts) throws Exception {
        return new AccountInfo("0123abcd", URI.create("https://ca.test/dir"),
                URI.create("https://ca.test/acct/7").toURL(), "valid", contacts);
    }

    @Test
    void jsonHasTheDocumentedFields() throws Exception {
        assertEquals(new ObjectMapper().readTree("""
                {"id":"0123abcd","server":"https://ca.test/dir","location":"https://ca.test/acct/7",
                 "status":"valid","contacts":["mailto:a@example.org","mailto:b@example.org"]}"""),
                AccountReport.json(account(List.of("mailto:a@example.org", "mailto:b@example.org"))));
    }

    @Test
    void humanTextSaysWhenThereAreNoContacts() throws Exception {
        assertEquals("""
                Account 0123abcd
                  Server:   https://ca.test/dir
                  Location: https://ca.test/acct/7
                  Status:   valid
                  Contacts: (none)
                """, AccountReport.human(account(List.of())));
    }
}
