package dev.acmejx.core;

import java.util.List;

/**
 * Runs a deploy hook after a lineage got a new certificate, with certbot's environment: {@code RENEWED_LINEAGE}
 * (the live directory) and {@code RENEWED_DOMAINS} (space-separated). The command goes through {@code sh -c}, as
 * certbot does, so existing hooks such as {@code systemctl reload nginx} work unchanged.
 */
final class DeployHook {

    private DeployHook() {
    }

    static void run(String command, Lineage lineage, List<String> domains) throws AcmejxException {
        try {
            RenewalHooks.run("deploy hook", List.of("/bin/sh", "-c", RenewalHooks.TO_STDERR + command),
                    RenewalHooks.deployEnvironment(lineage, domains));
        } catch (AcmejxException e) {
            throw new AcmejxException("the certificate is stored and live, but " + e.getMessage() + " ("
                    + ConfKeys.DEPLOY_HOOK + " in " + lineage.renewalConf() + "); fix it and run it by hand", e);
        }
    }
}
