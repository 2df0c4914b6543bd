package dev.acmejx.cli;

import dev.acmejx.core.Issuance;
import dev.acmejx.core.LiveCertificate;
import dev.acmejx.core.RenewalDecision;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** The few lines {@code issue} prints on stdout: what happened and where the files are. */
final class IssueSummary {

    private final PrintStream out;

    IssueSummary(PrintStream out) {
        this.out = out;
    }

    void print(Issuance.Result result, List<String> names) {
        LiveCertificate live = result.certificate();
        Instant now = Instant.now();
        if (result.issued()) {
            out.printf("Certificate issued for %s (version %d).%n", String.join(", ", names), live.version());
        } else {
            out.printf("Certificate for %s is not due for renewal (%s); nothing ordered "
                    + "(--force-renewal renews now).%n", String.join(", ", live.names()), result.why());
        }
        out.printf("  fullchain: %s%n", live.lineage().live("fullchain"));
        out.printf("  key:       %s%n", live.lineage().live("privkey"));
        out.printf("  serial:    %s%n", live.serialHex());
        out.printf("  expires:   %s (%d days)%n", day(live.notAfter()), RenewalDecision.daysLeft(now, live.notAfter()));
        out.flush();
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
