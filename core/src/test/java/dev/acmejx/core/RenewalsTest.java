package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * renew's run over real lineages in a temporary config dir, none of which gets as far as the CA: what happens
 * before an order (the random sleep, the hooks, the summary) is decided here.
 */
class RenewalsTest {

    @TempDir
    Path configDir;

    private final Renewals.Responders noCa = settings -> () -> {
        throw new AssertionError("nothing here may reach a responder or the CA");
    };

    @Test
    void nothingDueNeverSleepsNorRunsAHookAndEditorBackupsAreNoLineages() throws Exception {
        lineage("fresh.test", Instant.now().minus(Duration.ofDays(1)));
        Files.writeString(configDir.resolve("renewal/.#fresh.test.conf"), "editor lock");
        Path hookRan = configDir.resolve("hook-ran");

        List<Renewals.Outcome> outcomes = renewals(false, "touch " + hookRan, "touch " + hookRan)
                .run(noCa, () -> {
                    throw new AssertionError("the random sleep is only for a run with something due");
                });

        assertEquals(1, outcomes.size(), outcomes.toString());
        assertEquals(Renewals.Status.NOT_DUE, outcomes.get(0).status());
        assertTrue(Files.notExists(hookRan), "no pre or post hook when nothing is due");
    }

    @Test
    void aFailingPreHookRenewsNothingButThePostHookStillRuns() throws Exception {
        lineage("due.test", Instant.now().minus(Duration.ofDays(80)));
        Path postRan = configDir.resolve("post-ran");
        int[] sleeps = {0};

        List<Renewals.Outcome> outcomes = renewals(false, "exit 4", "touch " + postRan)
                .run(noCa, () -> sleeps[0]++);

        assertEquals(1, sleeps[0], "a run with something due sleeps once, first");
        assertTrue(Files.exists(postRan), "the post hook ran");
        assertEquals(List.of("(pre hook)", "due.test"), outcomes.stream().map(Renewals.Outcome::name).toList());
        assertTrue(outcomes.stream().allMatch(o -> o.status() == Renewals.Status.FAILED), outcomes.toString());
        assertTrue(outcomes.get(0).detail().contains("exited with status 4"), outcomes.toString());
    }

    @Test
    void aLineageNameThatCannotBeOneIsItsOwnFailureNotTheRunsEnd() throws Exception {
        lineage("fresh.test", Instant.now().minus(Duration.ofDays(1)));
        Files.writeString(configDir.resolve("renewal/bad..name.conf"), "");

        List<Renewals.Outcome> outcomes = renewals(false, "true", "true").run(noCa, () -> { });

        assertEquals(Renewals.Status.FAILED, outcomes.get(0).status(), outcomes.toString());
        assertEquals(Renewals.Status.NOT_DUE, outcomes.get(1).status(), outcomes.toString());
    }

    @Test
    void aCertbotLineageIsNeverOrderedForEvenWhenForcedAndTheSummaryNamesTheAdoptCommand() throws Exception {
        lineage("certbots.test", Instant.now().minus(Duration.ofDays(89)), Map.of(ConfKeys.AUTHENTICATOR,
                "standalone", ConfKeys.SERVER, "https://ca.test/dir"));

        List<Renewals.Outcome> outcomes = renewals(true, "true", "true").run(noCa, () -> {
            throw new AssertionError("nothing is due for acmejx: no sleep");
        });

        assertEquals(1, outcomes.size(), outcomes.toString());
        assertEquals(Renewals.Status.CERTBOTS, outcomes.get(0).status(), outcomes.toString());
        assertTrue(outcomes.get(0).detail().contains("authenticator standalone"), outcomes.toString());
        assertTrue(outcomes.get(0).detail().contains("`acmejx adopt --cert-name certbots.test --config-dir "
                + configDir.toAbsolutePath().normalize() + "`"), outcomes.toString());
    }

    @Test
    void postHooksGetTheRenewedAndFailedNamesAndTheFailureIsRemembered() throws Exception {
        lineage("failing.test", Instant.now().minus(Duration.ofDays(80)));
        Path env = configDir.resolve("post-env");
        Renewals.Responders broken = settings -> () -> {
            throw new AcmejxException("no responder in this test");
        };

        List<Renewals.Outcome> outcomes = renewals(false, "true",
                "echo \"renewed=[$RENEWED_DOMAINS] failed=[$FAILED_DOMAINS]\" > " + env).run(broken, () -> { });

        assertEquals(Renewals.Status.FAILED, outcomes.get(0).status(), outcomes.toString());
        assertEquals("renewed=[] failed=[failing.test]", Files.readString(env).strip());
        LineageState state = LineageState.read(Lineage.of(configDir, "failing.test"));
        assertTrue(state.lastRenewal().isPresent(), "the outcome is kept for serve's metrics");
        assertFalse(state.lastRenewal().get().succeeded());
        assertTrue(state.lastRenewal().get().detail().contains("no responder in this test"), state.toString());
    }

    private Renewals renewals(boolean force, String pre, String post) {
        return new Renewals(configDir, new Renewals.Options(Optional.empty(), force, false, Optional.empty(), true),
                new RenewalHooks(configDir, Optional.of(pre), Optional.of(post)));
    }

    /** A 90-day certificate issued at {@code issued}, stored with its renewal conf as issue stores it. */
    private void lineage(String name, Instant issued) throws Exception {
        lineage(name, issued, Map.of(ConfKeys.SERVER, "https://ca.test/dir", ConfKeys.DOMAINS, name));
    }

    private void lineage(String name, Instant issued, Map<String, String> params) throws Exception {
        var certificate = TestCertificates.chain(List.of(name), issued, issued.plus(Duration.ofDays(90)));
        Lineage lineage = Lineage.of(configDir, name);
        new CertificateStore().save(lineage, certificate.leafKey().getPrivate(), certificate.chain(),
                RenewalConf.of(lineage, "test", params));
    }
}
