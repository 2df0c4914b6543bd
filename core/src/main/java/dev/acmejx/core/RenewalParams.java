package dev.acmejx.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code [renewalparams]} of a lineage: everything {@code renew} needs to repeat the order without flags,
 * under certbot's key names where certbot has one.
 */
final class RenewalParams {

    /** certbot's name for the deploy hook in a renewal conf. */
    static final String DEPLOY_HOOK = "renew_hook";
    /** The names in the user's order; certbot reads them from the certificate, which may sort them. */
    static final String DOMAINS = "domains";

    private RenewalParams() {
    }

    /** Whether the CA offered ACME Renewal Information at the last order: renew asks it only then. */
    static final String ARI = "ari";

    /** @param ari whether the CA's directory offers renewalInfo */
    static Map<String, String> of(IssueRequest request, String accountId, boolean ari) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("account", accountId);
        params.put("authenticator", "acmejx");
        // certbot cannot answer challenges the way acmejx does; its own timer must leave this lineage alone.
        params.put("autorenew", "False");
        params.put("server", request.server().toString());
        params.put(DOMAINS, String.join(", ", DomainNames.values(request.identifiers())));
        params.put("key_type", request.keySpec().type());
        if (request.keySpec().type().equals(KeySpec.ECDSA)) {
            params.put("elliptic_curve", request.keySpec().curve());
        } else {
            params.put("rsa_key_size", String.valueOf(request.keySpec().rsaBits()));
        }
        params.put("pref_challs", "tls-alpn-01");
        request.caCert().ifPresent(ca -> params.put("ca_cert", ca.toAbsolutePath().toString()));
        request.email().ifPresent(email -> params.put("email", email));
        request.deployHook().ifPresent(hook -> params.put(DEPLOY_HOOK, hook));
        params.put(ARI, ari ? "True" : "False");
        params.putAll(request.responderParams());
        return params;
    }
}
