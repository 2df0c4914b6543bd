package dev.acmejx.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;

/**
 * The {@code [renewalparams]} of a lineage: everything {@code renew} needs to repeat the order without flags,
 * under certbot's key names where certbot has one ({@link ConfKeys}), written from a request and read back.
 */
final class RenewalParams {

    /** certbot's key type when a conf names none: confs before certbot 1.25 only ever held RSA lineages. */
    private static final String UNNAMED_KEY_TYPE = KeySpec.RSA;

    private RenewalParams() {
    }

    /** @param ari whether the CA's directory offers renewalInfo */
    static Map<String, String> of(IssueRequest request, String accountId, boolean ari) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(ConfKeys.ACCOUNT, accountId);
        params.put(ConfKeys.AUTHENTICATOR, ConfKeys.ACMEJX);
        // certbot cannot answer challenges the way acmejx does; its own timer must leave this lineage alone.
        params.put(ConfKeys.AUTORENEW, ConfKeys.FALSE);
        params.put(ConfKeys.SERVER, request.server().toString());
        params.put(ConfKeys.DOMAINS, String.join(", ", DomainNames.values(request.identifiers())));
        params.put(ConfKeys.KEY_TYPE, request.keySpec().type());
        if (request.keySpec().type().equals(KeySpec.ECDSA)) {
            params.put(ConfKeys.ELLIPTIC_CURVE, request.keySpec().curve());
        } else {
            params.put(ConfKeys.RSA_KEY_SIZE, String.valueOf(request.keySpec().rsaBits()));
        }
        params.put(ConfKeys.PREF_CHALLS, TlsAlpn01Challenge.TYPE);
        request.caCert().ifPresent(ca -> params.put(ConfKeys.CA_CERT, ca.toAbsolutePath().toString()));
        request.email().ifPresent(email -> params.put(ConfKeys.EMAIL, email));
        request.deployHook().ifPresent(hook -> params.put(ConfKeys.DEPLOY_HOOK, hook));
        request.profile().ifPresent(profile -> params.put(ConfKeys.PROFILE, profile));
        params.put(ConfKeys.ARI, ari ? ConfKeys.TRUE : ConfKeys.FALSE);
        request.responder().writeTo(params);
        return params;
    }

    /** The key type a conf asks for, read as certbot reads it (no {@code key_type}: RSA). */
    static String keyType(RenewalConf conf) {
        return conf.param(ConfKeys.KEY_TYPE).orElse(UNNAMED_KEY_TYPE);
    }

    /** The key a conf asks for; see {@link #keyType}. */
    static KeySpec keySpec(RenewalConf conf) throws AcmejxException {
        String bits = conf.param(ConfKeys.RSA_KEY_SIZE).orElse(String.valueOf(KeySpec.DEFAULT.rsaBits()));
        try {
            return KeySpec.of(keyType(conf),
                    conf.param(ConfKeys.ELLIPTIC_CURVE).orElse(KeySpec.DEFAULT.curve()), Integer.parseInt(bits));
        } catch (NumberFormatException e) {
            throw new AcmejxException(ConfKeys.RSA_KEY_SIZE + " '" + bits + "' in the renewal conf is not a "
                    + "number; use 2048, 3072 or 4096", e);
        }
    }

    /**
     * The certbot plugin that answers this lineage's challenges, when it is not acmejx: such a lineage is certbot's
     * to renew until {@code acmejx adopt} takes it over. A conf that names no authenticator is acmejx's, as before.
     */
    static Optional<String> otherAuthenticator(RenewalConf conf) {
        return conf.param(ConfKeys.AUTHENTICATOR).filter(name -> !name.equals(ConfKeys.ACMEJX));
    }
}
