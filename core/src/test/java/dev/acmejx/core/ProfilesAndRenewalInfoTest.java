package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.Identifier;

/**
 * Profiles and ACME Renewal Information against {@link TestAcmeServer}, since Pebble 2.4 has neither: the exact
 * JSON of the new order (the draft's {@code profile}, RFC 9773's {@code replaces}), the refusal of a profile the CA
 * does not offer, and the renewal information kept between runs until the CA's Retry-After.
 */
class ProfilesAndRenewalInfoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> LETS_ENCRYPTS = Map.of("classic", "the old one",
            "shortlived", "six days", "tlsserver", "server auth only");

    @TempDir
    Path configDir;

    private TestAcmeServer ca;

    @AfterEach
    void stopCa() {
        if (ca != null) {
            ca.close();
        }
    }

    @Test
    void aProfileTheCaDoesNotOfferIsRefusedBeforeOrderingWithTheNamesItOffers() throws Exception {
        ca = new TestAcmeServer(LETS_ENCRYPTS);

        AcmejxException refused = assertThrows(AcmejxException.class, () -> issue(Optional.of("shortlivd")));

        assertEquals("--profile shortlivd: the CA at " + ca.directory() + " does not offer it; it offers classic, "
                + "shortlived, tlsserver", refused.getMessage());
        assertEquals(List.of(), ca.orders, "nothing was ordered");
        assertFalse(Files.exists(configDir.resolve("accounts")), "no account was registered either");
    }

    @Test
    void aCaWithoutProfilesRefusesAnyAndSaysSo() throws Exception {
        ca = new TestAcmeServer(Map.of());

        AcmejxException refused = assertThrows(AcmejxException.class, () -> issue(Optional.of("classic")));

        assertTrue(refused.getMessage().contains("offers no profiles (its directory has no meta.profiles)"),
                refused.getMessage());
        assertEquals(List.of(), ca.orders);
    }

    @Test
    void aRenewalAsksForTheStoredProfileAndNamesTheCertificateItReplaces() throws Exception {
        ca = new TestAcmeServer(LETS_ENCRYPTS);
        X509Certificate live = lineage(Map.of(ConfKeys.PROFILE, "shortlived", ConfKeys.ARI, ConfKeys.FALSE));

        List<Renewals.Outcome> outcomes = renewals(true).run(settings -> NoResponder::new, () -> { });

        assertEquals(Renewals.Status.FAILED, outcomes.get(0).status(), outcomes.toString());
        assertTrue(outcomes.get(0).detail().contains("this test server orders nothing"), outcomes.toString());
        assertEquals(1, ca.orders.size());
        assertEquals(JSON.readTree("{\"identifiers\":[{\"type\":\"dns\",\"value\":\"a.test\"}],"
                + "\"replaces\":\"" + certificateId(live) + "\",\"profile\":\"shortlived\"}"), ca.orders.get(0));
    }

    @Test
    void theCasRenewalInfoIsKeptUntilItsRetryAfterAndThenAskedAgain() throws Exception {
        ca = new TestAcmeServer(LETS_ENCRYPTS);
        X509Certificate live = lineage(Map.of(ConfKeys.ARI, ConfKeys.TRUE));
        Lineage lineage = Lineage.of(configDir, "a.test");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        RenewalPlan first = RenewalPlan.of(lineage, RenewalPlan.readConf(lineage), false, now);
        RenewalPlan second = RenewalPlan.of(lineage, RenewalPlan.readConf(lineage), false, now.plusSeconds(60));

        assertEquals(List.of(certificateId(live)), ca.renewalInfoRequests, "asked once, for this certificate");
        assertFalse(first.decision().due(), first.decision().reason());
        assertEquals(first.decision(), second.decision(), "the second run decided on the stored window");
        JsonNode stored = JSON.readTree(lineage.stateFile().toFile()).path(LineageState.ARI);
        assertEquals(ca.windowStart.toString(), stored.path("suggestedWindow").path("start").asText());
        assertEquals(ca.windowEnd.toString(), stored.path("suggestedWindow").path("end").asText());
        assertEquals(ca.directory().resolve("/why").toString(), stored.path("explanationURL").asText());
        Instant retry = Instant.parse(stored.path("retryAfter").asText());
        assertTrue(Math.abs(Duration.between(now.plusSeconds(3600), retry).toSeconds()) < 60, retry.toString());

        ca.windowStart = now.minus(Duration.ofDays(2));
        ca.windowEnd = now.minus(Duration.ofDays(1));
        RenewalPlan later = RenewalPlan.of(lineage, RenewalPlan.readConf(lineage), false, retry.plusSeconds(1));

        assertEquals(2, ca.renewalInfoRequests.size(), "past its Retry-After the CA is asked again");
        assertTrue(later.decision().due(), later.decision().reason());
        assertTrue(later.decision().reason().contains("renewal window " + ca.windowStart + " to " + ca.windowEnd),
                later.decision().reason());
    }

    @Test
    void aRetryAfterIsHonouredWithinADayAndSixHoursStandInForNone() {
        Instant now = Instant.parse("2026-06-01T00:00:00Z");

        assertEquals(now.plus(Duration.ofHours(6)), RenewalInfoLookup.nextCheck(now, Optional.empty()));
        assertEquals(now.plusSeconds(90), RenewalInfoLookup.nextCheck(now, Optional.of(now.plusSeconds(90))));
        assertEquals(now.plus(Duration.ofDays(1)), RenewalInfoLookup.nextCheck(now,
                Optional.of(now.plus(Duration.ofDays(30)))));
    }

    @Test
    void theStateFileIsReadBackAsWritten() throws Exception {
        String text = "{\"renewalInfo\":{\"certificateSha256\":\"ab12\",\"suggestedWindow\":{\"start\":"
                + "\"2030-01-01T00:00:00Z\",\"end\":\"2030-01-03T00:00:00Z\"},\"explanationURL\":\"https://ca.test/why\","
                + "\"retryAfter\":\"2029-12-01T06:00:00Z\"},\"lastRenewal\":{\"at\":\"2029-11-30T00:00:00Z\","
                + "\"result\":\"failure\",\"detail\":\"the CA refused\"}}";

        LineageState state = LineageState.parse(JSON.readTree(text));

        assertEquals(new LineageState.Ari("ab12", new RenewalDecision.Window(Instant.parse("2030-01-01T00:00:00Z"),
                Instant.parse("2030-01-03T00:00:00Z")), Optional.of("https://ca.test/why"),
                Instant.parse("2029-12-01T06:00:00Z")), state.ari().get());
        assertEquals(new LineageState.LastRenewal(Instant.parse("2029-11-30T00:00:00Z"), false, "the CA refused"),
                state.lastRenewal().get());
        assertEquals(JSON.readTree(text), state.toJson(), "written back field for field");
    }

    private void issue(Optional<String> profile) throws Exception {
        Lineage lineage = Lineage.of(configDir, "a.test");
        new Issuance().run(IssueRequest.builder(lineage, List.of(Identifier.dns("a.test"))).server(ca.directory())
                .profile(profile).build(), NoResponder::new, uri -> true);
    }

    /** A lineage of a 90-day certificate issued yesterday, with an account stored for the test CA. */
    private X509Certificate lineage(Map<String, String> extra) throws Exception {
        URI server = ca.directory();
        var account = new AccountStore(configDir).save(server, KeySpec.ACCOUNT.generate(),
                new URL(server.resolve("/account/1").toString()));
        var issued = TestCertificates.chain(List.of("a.test"), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(89)));
        Map<String, String> params = new LinkedHashMap<>(Map.of(ConfKeys.SERVER, server.toString(),
                ConfKeys.DOMAINS, "a.test", ConfKeys.ACCOUNT, account.id()));
        params.putAll(extra);
        Lineage lineage = Lineage.of(configDir, "a.test");
        new CertificateStore().save(lineage, issued.leafKey().getPrivate(), issued.chain(),
                RenewalConf.of(lineage, "test", params));
        return issued.chain().get(0);
    }

    private Renewals renewals(boolean force) {
        return new Renewals(configDir, new Renewals.Options(Optional.empty(), force, false, Optional.empty(), true),
                new RenewalHooks(configDir, Optional.empty(), Optional.empty()));
    }

    /** RFC 9773 §4.1, computed here from the certificate, not by the code under test. */
    private static String certificateId(X509Certificate certificate) throws Exception {
        byte[] keyId = AuthorityKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(
                certificate.getExtensionValue("2.5.29.35"))).getKeyIdentifier();
        Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
        return base64url.encodeToString(keyId) + "." + base64url.encodeToString(
                certificate.getSerialNumber().toByteArray());
    }

    /** Nothing here gets as far as a challenge. */
    private static final class NoResponder implements ChallengeResponder {
        @Override
        public void publishTlsAlpn01(Identifier identifier, byte[] acmeValidation) {
            throw new AssertionError("no challenge may be published");
        }

        @Override
        public void withdrawTlsAlpn01(Identifier identifier) {
        }

        @Override
        public void close() {
        }
    }
}
