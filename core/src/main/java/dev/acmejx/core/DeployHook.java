package dev.acmejx.core;

import java.io.File;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Runs a deploy hook after a lineage got a new certificate, with certbot's environment: {@code RENEWED_LINEAGE}
 * (the live directory) and {@code RENEWED_DOMAINS} (space-separated). The command goes through {@code sh -c}, as
 * certbot does, so existing hooks such as {@code systemctl reload nginx} work unchanged.
 */
final class DeployHook {

    private static final Logger LOG = System.getLogger("acmejx.hook");

    private DeployHook() {
    }

    static void run(String command, Lineage lineage, List<String> domains) throws AcmejxException {
        LOG.log(Level.INFO, "running the deploy hook for {0}", lineage.name());
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", RenewalHooks.TO_STDERR + command).inheritIO()
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("RENEWED_LINEAGE", lineage.liveDir().toString());
        builder.environment().put("RENEWED_DOMAINS", String.join(" ", domains));
        int exit;
        try {
            exit = builder.start().waitFor();
        } catch (IOException e) {
            throw new AcmejxException("cannot start the deploy hook: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcmejxException("interrupted while the deploy hook ran", e);
        }
        if (exit != 0) {
            throw new AcmejxException("the certificate is stored and live, but the deploy hook ("
                    + RenewalParams.DEPLOY_HOOK + " in " + lineage.renewalConf() + ") exited with status " + exit
                    + "; fix it and run it by hand");
        }
    }
}
