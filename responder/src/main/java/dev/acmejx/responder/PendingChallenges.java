package dev.acmejx.responder;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The challenges the responder currently answers, keyed by the SNI a validator will send. Everything a
 * handshake needs is built once, at publish time: validators connect several times, concurrently and from
 * several places, and each of those connections only looks its challenge up.
 *
 * <p>tls-alpn-01 and the legacy {@code .acme.invalid} forms are kept apart, so a hello is only ever answered
 * with a challenge of the kind its validator asked for. Every challenge expires on its own after the registry's
 * lifetime, so a client that crashed between publishing and withdrawing leaves nothing answering behind; expired
 * ones are dropped whenever the registry is used, which needs no thread of its own.
 */
public final class PendingChallenges {

    /** Long enough for a CA to validate (seconds, usually), short enough that leftovers do not linger. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

    private final Map<String, PreparedChallenge> tlsAlpnBySni = new ConcurrentHashMap<>();
    private final Map<String, PreparedChallenge> legacyBySni = new ConcurrentHashMap<>();
    private final Duration lifetime;
    private final Clock clock;

    /**
     * A published challenge, ready to be answered.
     *
     * @param type {@link #TLS_ALPN_01}, {@link #TLS_SNI_01}, {@link #TLS_SNI_02} or {@link #DVSNI}
     * @param name what it is withdrawn by: the identifier (DNS name, or IP in canonical text form) for
     *     tls-alpn-01 and dvsni; the SNI for the tls-sni forms, which name no identifier
     * @param sni the server name the validator sends
     * @param expires when the registry drops it, withdrawn or not
     */
    public record PreparedChallenge(String type, String name, String sni, X509Certificate certificate,
            ChallengeTls tls, Instant expires) {

        public static final String TLS_ALPN_01 = "tls-alpn-01";
        public static final String TLS_SNI_01 = "tls-sni-01";
        public static final String TLS_SNI_02 = "tls-sni-02";
        public static final String DVSNI = "dvsni";
    }

    /**
     * The key that signs the process's challenge certificates, made at the first publish or warm-up rather than with
     * the registry: making it loads the JDK's EC provider and, with the certificate code, BouncyCastle, which a
     * {@code serve} that answers no challenge need not keep in memory.
     */
    private static final class SigningKey {
        static final KeyPair PAIR = SelfSignedCertificates.newKey();
    }

    /** A registry whose challenges live {@link #DEFAULT_LIFETIME}. */
    public PendingChallenges() {
        this(DEFAULT_LIFETIME);
    }

    /** @param lifetime how long a challenge is answered after it was published, unless withdrawn earlier */
    public PendingChallenges(Duration lifetime) {
        this(lifetime, Clock.systemUTC());
    }

    PendingChallenges(Duration lifetime, Clock clock) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("a challenge lifetime must be positive, got " + lifetime);
        }
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /**
     * Prepares and publishes the tls-alpn-01 answer for {@code identifier}, replacing any earlier one.
     *
     * @param digest SHA-256 of the key authorization
     */
    public PreparedChallenge publishTlsAlpn01(ChallengeIdentifier identifier, byte[] digest) {
        X509Certificate certificate = TlsAlpnCertificates.create(SigningKey.PAIR, identifier, digest);
        return publish(tlsAlpnBySni, new PreparedChallenge(PreparedChallenge.TLS_ALPN_01, identifier.value(),
                identifier.sniName(), certificate, ChallengeTls.tlsAlpn01(SigningKey.PAIR, certificate), expiry()));
    }

    /**
     * Publishes tls-alpn-01 from the key authorization itself ({@code token.thumbprint}), for callers that have it
     * rather than its digest: hooks of other ACME clients, people.
     */
    public PreparedChallenge publishTlsAlpn01(ChallengeIdentifier identifier, String keyAuthorization) {
        ChallengeInputs.checkKeyAuthorization(keyAuthorization);
        return publishTlsAlpn01(identifier, LegacyCertificates.sha256(keyAuthorization));
    }

    /** Publishes tls-sni-01 for a key authorization ({@code token.thumbprint}). */
    public PreparedChallenge publishTlsSni01(String keyAuthorization) {
        ChallengeInputs.checkKeyAuthorization(keyAuthorization);
        String sni = LegacyCertificates.tlsSni01Name(keyAuthorization);
        return publishLegacy(PreparedChallenge.TLS_SNI_01, sni, sni, LegacyCertificates.tlsSni01(SigningKey.PAIR,
                keyAuthorization));
    }

    /** Publishes tls-sni-02 for a token and the key authorization made from it. */
    public PreparedChallenge publishTlsSni02(String token, String keyAuthorization) {
        ChallengeInputs.checkKeyAuthorizationFor(token, keyAuthorization);
        String sni = LegacyCertificates.tlsSni02Sni(token);
        return publishLegacy(PreparedChallenge.TLS_SNI_02, sni, sni, LegacyCertificates.tlsSni02(SigningKey.PAIR, token,
                keyAuthorization));
    }

    /**
     * Publishes a dvsni answer, named by its domain.
     *
     * @param nonceHex the nonce the validator puts first in its SNI, in hex
     * @param r the decoded random octets the CA sent
     * @param s the decoded random octets the client chose
     */
    public PreparedChallenge publishDvsni(String domain, String nonceHex, byte[] r, byte[] s) {
        String name = ChallengeInputs.domain(domain);
        String sni = LegacyCertificates.dvsniSni(ChallengeInputs.nonce(nonceHex));
        ChallengeInputs.checkRandomOctets("r", r);
        ChallengeInputs.checkRandomOctets("s", s);
        return publishLegacy(PreparedChallenge.DVSNI, name, sni, LegacyCertificates.dvsni(SigningKey.PAIR, name, r, s));
    }

    /**
     * Builds a certificate and TLS context that are thrown away. The first of each costs hundreds of
     * milliseconds of class loading and JSSE set-up; done while the account and order are on the wire, it keeps
     * that out of the time between the CA handing out a challenge and the responder being ready for it.
     */
    public void warmUp() {
        ChallengeTls.tlsAlpn01(SigningKey.PAIR, TlsAlpnCertificates.create(SigningKey.PAIR,
                ChallengeIdentifier.dns("warm-up.acme.invalid"), new byte[32]));
    }

    /** @return whether a tls-alpn-01 challenge for that identifier was pending */
    public boolean withdraw(ChallengeIdentifier identifier) {
        purgeExpired();
        return tlsAlpnBySni.remove(identifier.sniName()) != null;
    }

    /**
     * Withdraws whatever was published under {@code name}: an identifier (DNS name, IP literal in any text
     * form, dvsni's domain) or the SNI a challenge answers (such as tls-sni-01's {@code …acme.invalid} name).
     *
     * @return whether anything pending was removed
     */
    public boolean withdraw(String name) {
        purgeExpired();
        String canonical = ChallengeIdentifier.of(name).value();
        Predicate<PreparedChallenge> named = c -> c.name().equals(canonical) || c.sni().equals(canonical);
        boolean removed = tlsAlpnBySni.values().removeIf(named);
        return legacyBySni.values().removeIf(named) || removed;
    }

    /** The tls-alpn-01 challenge to present for a ClientHello's SNI, if one is pending. */
    public Optional<PreparedChallenge> find(String sni) {
        return find(tlsAlpnBySni, sni);
    }

    /** The tls-sni-01, tls-sni-02 or dvsni challenge to present for an {@code .acme.invalid} SNI, if pending. */
    public Optional<PreparedChallenge> findLegacy(String sni) {
        return find(legacyBySni, sni);
    }

    /** Every pending challenge, by name. */
    public List<PreparedChallenge> list() {
        purgeExpired();
        return Stream.concat(tlsAlpnBySni.values().stream(), legacyBySni.values().stream())
                .sorted(Comparator.comparing(PreparedChallenge::name).thenComparing(PreparedChallenge::type))
                .toList();
    }

    private PreparedChallenge publishLegacy(String type, String name, String sni, X509Certificate certificate) {
        return publish(legacyBySni, new PreparedChallenge(type, name, sni, certificate,
                ChallengeTls.legacy(SigningKey.PAIR, certificate), expiry()));
    }

    private PreparedChallenge publish(Map<String, PreparedChallenge> bySni, PreparedChallenge challenge) {
        purgeExpired();
        bySni.put(challenge.sni(), challenge);
        return challenge;
    }

    private Optional<PreparedChallenge> find(Map<String, PreparedChallenge> bySni, String sni) {
        PreparedChallenge challenge = bySni.get(sni);
        if (challenge != null && expired(challenge)) {
            bySni.remove(sni, challenge);
            return Optional.empty();
        }
        return Optional.ofNullable(challenge);
    }

    private Instant expiry() {
        return clock.instant().plus(lifetime);
    }

    private boolean expired(PreparedChallenge challenge) {
        return !clock.instant().isBefore(challenge.expires());
    }

    private void purgeExpired() {
        tlsAlpnBySni.values().removeIf(this::expired);
        legacyBySni.values().removeIf(this::expired);
    }
}
