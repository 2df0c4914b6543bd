package dev.acmejx.cli.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acmejx.responder.PendingChallenges;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ControlRequestsTest {

    private static final String KA = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

    private final PendingChallenges challenges = new PendingChallenges();
    private final ControlRequests requests = new ControlRequests(challenges,
            () -> ControlProtocol.JSON.createObjectNode().put("pid", 42));

    @Test
    void ualpnAuthPublishesAndUnauthWithdraws() throws Exception {
        assertEquals("OK\n", requests.answer("auth www.example.com " + digest(KA)));
        assertTrue(challenges.find("www.example.com").isPresent());

        assertEquals("OK\n", requests.answer("unauth www.example.com"));
        assertFalse(challenges.find("www.example.com").isPresent());
    }

    @Test
    void ualpnAuthForAnIpAddressUsesTheReverseName() throws Exception {
        assertEquals("OK\n", requests.answer("auth 192.0.2.7 " + digest(KA)));

        assertTrue(challenges.find("7.2.0.192.in-addr.arpa").isPresent());
    }

    @Test
    void badUalpnLinesGetErrWithTheReason() {
        String shortDigest = requests.answer("auth a.test c2hvcnQ");
        assertTrue(shortDigest.startsWith("ERR ") && shortDigest.contains("c2hvcnQ"), shortDigest);
        assertTrue(requests.answer("auth a..test " + "A".repeat(43)).startsWith("ERR "));
        assertTrue(requests.answer("frobnicate").startsWith("ERR expected"));
        assertTrue(challenges.list().isEmpty());
    }

    @Test
    void jsonPublishListWithdraw() throws Exception {
        JsonNode published = json("{\"op\":\"publish\",\"type\":\"tls-alpn-01\",\"identifier\":\"A.Test\","
                + "\"keyAuthorization\":\"" + KA + "\"}");
        assertTrue(published.path("ok").asBoolean(), published.toString());
        assertEquals("a.test", published.path("challenge").path("name").asText());

        JsonNode listed = json("{\"op\":\"list\"}");
        assertEquals("a.test", listed.path("challenges").get(0).path("sni").asText());
        assertEquals("tls-alpn-01", listed.path("challenges").get(0).path("type").asText());

        assertTrue(json("{\"op\":\"withdraw\",\"identifier\":\"a.test\"}").path("removed").asBoolean());
        assertFalse(json("{\"op\":\"withdraw\",\"identifier\":\"a.test\"}").path("removed").asBoolean());
    }

    @Test
    void statusCarriesWhatServeReportsAndThePendingCount() throws Exception {
        requests.answer("auth b.test " + digest(KA));

        JsonNode status = json("{\"op\":\"status\"}");

        assertEquals(42, status.path("pid").asInt());
        assertEquals(1, status.path("pending").asInt());
    }

    @Test
    void malformedRequestsGetOneErrorLineNamingTheProblem() throws Exception {
        assertError("{\"op\":", "not valid JSON");
        assertError("{\"op\":\"explode\"}", "unknown op 'explode'");
        assertError("{\"op\":\"publish\"}", "missing \"type\"");
        assertError("{\"op\":\"publish\",\"type\":\"tls-alpn-01\",\"identifier\":\"a.test\"}", "keyAuthorization");
        assertError("{\"op\":\"publish\",\"type\":\"http-01\"}", "unknown challenge type 'http-01'");
        assertError("{\"op\":\"publish\",\"type\":\"tls-alpn-01\",\"identifier\":\"a.test\","
                + "\"keyAuthorization\":\"no-thumbprint\"}", "token.thumbprint");
        assertError("{\"op\":\"publish\",\"type\":\"tls-alpn-01\",\"identifier\":\"a.test\",\"digest\":\"!!\"}",
                "not base64url");
        assertTrue(challenges.list().isEmpty());
    }

    private void assertError(String request, String expected) throws Exception {
        String answer = requests.answer(request);
        assertEquals(1, answer.lines().count(), answer);
        JsonNode node = ControlProtocol.JSON.readTree(answer);
        assertFalse(node.path("ok").asBoolean(true), answer);
        assertTrue(node.path("error").asText().contains(expected), request + " -> " + answer);
    }

    private JsonNode json(String request) throws Exception {
        String answer = requests.answer(request);
        assertTrue(answer.endsWith("\n") && answer.lines().count() == 1, answer);
        return ControlProtocol.JSON.readTree(answer);
    }

    private static String digest(String keyAuthorization) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyAuthorization.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }
}
