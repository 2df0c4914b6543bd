package dev.acmejx.it;

import static dev.acmejx.it.ChallengeCertificates.sha256;
import static dev.acmejx.it.ChallengeCertificates.sha256Hex;
import static dev.acmejx.it.ChallengeCertificates.split;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every challenge form {@code serve} answers, published the ways other tools publish them ({@code acmejx
 * challenge}, uacme's real {@code ualpn} client) and checked by a validator that shares no code with acmejx.
 */
class ChallengeFormsIT {

    private static final String TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
    private static final String KA = TOKEN + ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Serve serve;
    private static int port;

    @BeforeAll
    static void startServe() {
        port = FreePorts.next();
        // The backend is a closed port: nothing in this class may be forwarded, and a forward would fail loudly.
        serve = Serve.start("--listen", "127.0.0.1:" + port, "--backend", "127.0.0.1:" + FreePorts.next());
    }

    @AfterAll
    static void stopServe() {
        assertEquals(0, serve.stop());
        serve.close();
    }

    @Test
    void tlsSni01IsAnsweredAndWithdrawn() throws Exception {
        String name = split(sha256Hex(KA.getBytes(StandardCharsets.US_ASCII)), "acme.invalid");
        challenge("add", "--type", "tls-sni-01", "--key-authorization", KA).assertSuccess();

        ChallengeCertificates.assertChallengeCertificate(TlsProbe.connect(port, name).certificate(),
                Set.of("dns:" + name));

        challenge("remove", "--identifier", name).assertSuccess();
        assertRefused(name);
    }

    @Test
    void tlsSni02HasExactlyBothNames() throws Exception {
        String sanA = split(sha256Hex(TOKEN.getBytes(StandardCharsets.US_ASCII)), "token.acme.invalid");
        String sanB = split(sha256Hex(KA.getBytes(StandardCharsets.US_ASCII)), "ka.acme.invalid");
        challenge("add", "--type", "tls-sni-02", "--token", TOKEN, "--key-authorization", KA).assertSuccess();

        TlsProbe.Handshake handshake = TlsProbe.connect(port, sanA);

        ChallengeCertificates.assertChallengeCertificate(handshake.certificate(), Set.of("dns:" + sanA, "dns:" + sanB));
        assertEquals(0, handshake.bytesAfterHandshake(), "no application data");
        challenge("remove", "--identifier", sanA).assertSuccess();
        assertRefused(sanA);
    }

    @Test
    void dvsniCarriesTheDomainAndTheHashOfRAndS() throws Exception {
        byte[] r = HexFormat.of().parseHex("0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0");
        byte[] s = HexFormat.of().parseHex("fedcba98765432100123456789abcdeffedcba98765432100123456789abcdef");
        String nonce = "5c2bf1a87e6d4d0c9b3a29180706f5e4";
        byte[] rs = new byte[r.length + s.length];
        System.arraycopy(r, 0, rs, 0, r.length);
        System.arraycopy(s, 0, rs, r.length, s.length);
        challenge("add", "--type", "dvsni", "--identifier", "dvsni.test", "--nonce", nonce, "--r", base64Url(r),
                "--s", base64Url(s)).assertSuccess();

        ChallengeCertificates.assertChallengeCertificate(TlsProbe.connect(port, nonce + ".acme.invalid")
                .certificate(), Set.of("dns:dvsni.test", "dns:" + sha256Hex(rs) + ".acme.invalid"));

        challenge("remove", "--identifier", "dvsni.test").assertSuccess();
        assertRefused(nonce + ".acme.invalid");
    }

    @Test
    void tlsAlpn01FromTheCliNegotiatesAcmeTls1AndSendsNothing() throws Exception {
        challenge("add", "--type", "tls-alpn-01", "--identifier", "alpn.test", "--key-authorization", KA)
                .assertSuccess();
        JsonNode listed = JSON.readTree(challenge("list", "--json").assertSuccess().out());

        TlsProbe.Handshake handshake = TlsProbe.connect(port, "alpn.test", "acme-tls/1");

        ChallengeCertificates.assertTlsAlpn01(handshake.certificate(), "dns:alpn.test", KA);
        assertEquals("acme-tls/1", handshake.alpn());
        assertTrue(Set.of("TLSv1.2", "TLSv1.3").contains(handshake.protocol()), handshake.protocol());
        // The same openssl call with TLS 1.2 gets the certificate, so the refusal below is the server's.
        assertTrue(opensslWith("-tls1_2").out().contains("BEGIN CERTIFICATE"), "TLS 1.2 answered");
        Command.Result tls11 = opensslWith("-tls1_1");
        assertTrue(tls11.exit() != 0 && !tls11.out().contains("BEGIN CERTIFICATE")
                && tls11.err().contains("alert protocol version"), tls11.describe("TLS 1.1 refused by serve"));
        assertEquals(0, handshake.bytesAfterHandshake(), "no application data");
        assertTrue(listed.toString().contains("\"name\":\"alpn.test\""), listed.toString());
        challenge("remove", "--identifier", "alpn.test").assertSuccess();
        assertRefused("alpn.test", "acme-tls/1");
    }

    @Test
    void concurrentValidatorsAllGetTheCertificateBuiltAtPublishTime() throws Exception {
        challenge("add", "--type", "tls-alpn-01", "--identifier", "many.test", "--key-authorization", KA)
                .assertSuccess();

        List<CompletableFuture<byte[]>> validators = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            validators.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return TlsProbe.connect(port, "many.test", "acme-tls/1").certificate().getEncoded();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }

        byte[] first = validators.get(0).get(30, TimeUnit.SECONDS);
        for (CompletableFuture<byte[]> validator : validators) {
            assertArrayEquals(first, validator.get(30, TimeUnit.SECONDS), "one certificate, built once");
        }
        challenge("remove", "--identifier", "many.test").assertSuccess();
    }

    /** openssl as an independent acme-tls/1 client of alpn.test with one TLS version forced. */
    private static Command.Result opensslWith(String version) {
        return Command.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "alpn.test",
                "-alpn", "acme-tls/1", version, "-cipher", "DEFAULT@SECLEVEL=0"), Map.of(), Duration.ofSeconds(30));
    }

    @Test
    void uacmesUalpnClientDrivesServeUnchanged() throws Exception {
        String digest = base64Url(sha256(KA));
        Command.Result auth = ualpn("auth ualpn.test " + digest, "auth 127.0.0.1 " + digest);
        assertEquals("OK\nOK", auth.out().strip(), auth.describe("ualpn's answers"));

        ChallengeCertificates.assertTlsAlpn01(TlsProbe.connect(port, "ualpn.test", "acme-tls/1").certificate(),
                "dns:ualpn.test", KA);
        ChallengeCertificates.assertTlsAlpn01(TlsProbe.connect(port, "1.0.0.127.in-addr.arpa", "acme-tls/1")
                .certificate(), "ip:127.0.0.1", KA);

        Command.Result unauth = ualpn("unauth ualpn.test", "auth bad..name " + digest);
        assertEquals("OK", unauth.out().lines().findFirst().orElse(""), unauth.describe("unauth"));
        assertTrue(unauth.out().lines().skip(1).findFirst().orElse("").startsWith("ERR "), unauth.describe("bad"));
        assertRefused("ualpn.test", "acme-tls/1");
    }

    @Test
    void nothingPendingIsRefusedWithUnrecognizedName() {
        SSLException refused = assertThrows(SSLException.class,
                () -> TlsProbe.connect(port, "nothing.test", "acme-tls/1"));
        assertTrue(refused.getMessage().contains("unrecognized_name"), refused.toString());
    }

    @Test
    void acmeInvalidGoesToTheConfiguredPortInsteadWhenOneIsGiven() throws Exception {
        byte[] hello = Hellos.clientHello("0123456789abcdef.acme.invalid");
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        int legacyPort = FreePorts.next();
        try (TcpBackend legacyClient = TcpBackend.serveOnce(socket -> socket.getInputStream()
                .readNBytes(hello.length), received);
                Serve forwarding = Serve.start("--listen", "127.0.0.1:" + legacyPort, "--backend",
                        "127.0.0.1:" + FreePorts.next(), "--acme-invalid", "127.0.0.1:" + legacyClient.port());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), legacyPort)) {
            client.getOutputStream().write(hello);

            assertArrayEquals(hello, received.get(30, TimeUnit.SECONDS), "the hello, byte for byte");
            client.shutdownOutput();
            assertTrue(forwarding.awaitLine(l -> l.contains("sni=0123456789abcdef.acme.invalid"))
                    .contains("route=127.0.0.1:" + legacyClient.port()));
        }
    }

    private static void assertRefused(String sni, String... alpn) {
        SSLException refused = assertThrows(SSLException.class, () -> TlsProbe.connect(port, sni, alpn),
                "nothing pending for " + sni);
        assertTrue(refused.getMessage().contains("unrecognized_name"), refused.toString());
    }

    private static Command.Result challenge(String... args) {
        List<String> command = new ArrayList<>(List.of("challenge"));
        command.addAll(List.of(args));
        command.addAll(List.of("--control", serve.control().toString()));
        return Acmejx.run(command);
    }

    /** uacme's own client: each line to serve, each answer to stdout, exactly as ualpn.sh runs it. */
    private static Command.Result ualpn(String... lines) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "printf '%s\\n' \"$@\" | ualpn -s \"$0\"",
                serve.control().toString()));
        command.addAll(List.of(lines));
        return Command.run(command, Map.of(), Duration.ofSeconds(30));
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
