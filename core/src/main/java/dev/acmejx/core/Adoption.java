package dev.acmejx.core;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;

/**
 * {@code acmejx adopt}: a lineage certbot made becomes acmejx's in place. Nothing a web server reads moves: the live
 * links, the archive and its numbering stay, and so does certbot's account, which the CA's ARI {@code replaces}
 * requires. Only the renewal conf changes, to say that acmejx answers the challenges and that certbot's timer must
 * leave it alone; certbot's own conf is kept beside it ({@link Lineage#certbotConf}), which {@link #undo} puts back.
 */
public final class Adoption {

    private static final Logger LOG = System.getLogger("acmejx.adopt");
    /** certbot's per-lineage hooks, which acmejx's renew runs only once per run ({@code --pre-hook}, ...). */
    private static final List<String> CERTBOT_RUN_HOOKS = List.of("pre_hook", "post_hook");
    private static final Path DEFAULT_CONFIG_DIR = Path.of("/etc/letsencrypt");

    /** What became of one lineage. */
    public enum Result { ADOPTED, UNCHANGED, FAILED }

    /** One line of the summary. */
    public record Outcome(String name, Result result, String detail) {
    }

    private Adoption() {
    }

    /** The command that adopts {@code lineage}, for the messages that suggest it. */
    public static String command(Lineage lineage) {
        String dir = lineage.configDir().equals(DEFAULT_CONFIG_DIR) ? "" : " --config-dir " + lineage.configDir();
        return "acmejx adopt --cert-name " + lineage.name() + dir;
    }

    /**
     * How acmejx renews an adopted lineage: what certbot's conf cannot say.
     *
     * @param responder how its challenges are answered
     * @param caCert extra roots to trust for the CA's HTTPS (a private CA, Pebble), as {@code issue --ca-cert}
     */
    public record Settings(ResponderSettings responder, Optional<Path> caCert) {
    }

    /** Every lineage of the config dir that certbot renews; acmejx's own are left as they are. */
    public static List<Outcome> adoptAll(Path configDir, Settings settings) throws AcmejxException {
        try (ConfigDirLock lock = ConfigDirLock.acquire(configDir)) {
            List<Outcome> outcomes = new ArrayList<>();
            for (String name : Lineage.renewable(configDir)) {
                try {
                    outcomes.add(adoptLocked(Lineage.of(configDir, name), settings));
                } catch (AcmejxException e) {
                    outcomes.add(new Outcome(name, Result.FAILED, e.getMessage()));
                }
            }
            return outcomes;
        } catch (IOException e) {
            throw new AcmejxException("cannot list the lineages in " + configDir.resolve("renewal") + ": "
                    + e.getMessage(), e);
        }
    }

    public static Outcome adopt(Lineage lineage, Settings settings) throws AcmejxException {
        try (ConfigDirLock lock = ConfigDirLock.acquire(lineage.configDir())) {
            Lineage.existing(lineage.configDir(), lineage.name());
            return adoptLocked(lineage, settings);
        } catch (IOException e) {
            throw new AcmejxException("cannot release the lock of " + lineage.configDir() + ": " + e.getMessage(), e);
        }
    }

    private static Outcome adoptLocked(Lineage lineage, Settings settings) throws AcmejxException {
        RenewalConf conf = RenewalPlan.readConf(lineage);
        Optional<String> plugin = RenewalParams.otherAuthenticator(conf);
        if (plugin.isEmpty()) {
            return new Outcome(lineage.name(), Result.UNCHANGED, "already acmejx's; nothing changed");
        }
        warnAboutHooks(lineage, conf);
        warnAboutAccount(lineage, conf);
        try {
            keepCertbotConf(lineage);
            conf.withParams(params(conf, settings)).write(lineage.renewalConf());
        } catch (IOException e) {
            throw new AcmejxException("cannot rewrite " + lineage.renewalConf() + ": " + e.getMessage()
                    + "; certbot's conf is unchanged", e);
        }
        LOG.log(Level.INFO, "{0}: adopted from certbot (authenticator {1}); certbot''s conf kept as {2}",
                lineage.name(), plugin.get(), lineage.certbotConf());
        return new Outcome(lineage.name(), Result.ADOPTED, "adopted from certbot's " + plugin.get() + " authenticator, "
                + "account " + conf.param(ConfKeys.ACCOUNT).orElse("(none: renew registers one)")
                + "; `" + command(lineage) + " --undo` gives it back");
    }

    /** Says, before {@code issue} orders, that it takes over a certbot lineage; see {@link #keepCertbotConf}. */
    static void announce(Lineage lineage, Optional<RenewalConf> previous) {
        previous.flatMap(RenewalParams::otherAuthenticator).ifPresent(plugin -> LOG.log(Level.INFO, "{0}: this "
                + "issue adopts certbot''s lineage (authenticator {1}): once the certificate is stored, certbot''s "
                + "conf is kept as {2}, and `{3} --undo` gives it back", lineage.name(), plugin,
                lineage.certbotConf(), command(lineage)));
    }

    /** Before {@code issue} writes its conf over certbot's: keeps certbot's, as {@code adopt} does. */
    static void keepCertbotConf(Lineage lineage, Optional<RenewalConf> previous) throws IOException {
        if (previous.flatMap(RenewalParams::otherAuthenticator).isPresent()) {
            keepCertbotConf(lineage);
        }
    }

    /** certbot's conf back in place, as it was when adopted; acmejx's versions in the archive stay. */
    public static Outcome undo(Lineage lineage) throws AcmejxException {
        try (ConfigDirLock lock = ConfigDirLock.acquire(lineage.configDir())) {
            if (!Files.isRegularFile(lineage.certbotConf())) {
                throw new AcmejxException(lineage.name() + " was not adopted from certbot (there is no "
                        + lineage.certbotConf() + "); nothing to give back");
            }
            Files.move(lineage.certbotConf(), lineage.renewalConf(), StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(lineage.stateFile());
            SecureFiles.fsyncDirectory(lineage.renewalConf().getParent());
        } catch (IOException e) {
            throw new AcmejxException("cannot put certbot's conf back from " + lineage.certbotConf() + ": "
                    + e.getMessage(), e);
        }
        LOG.log(Level.INFO, "{0}: certbot''s conf is back; certbot renews it again", lineage.name());
        return new Outcome(lineage.name(), Result.ADOPTED, "given back to certbot; its renewal conf is as it was");
    }

    /** certbot's settings with acmejx's answers on top; certbot's own keys stay for {@link #undo} to need none. */
    private static Map<String, String> params(RenewalConf conf, Settings settings) {
        Map<String, String> params = new LinkedHashMap<>(conf.params());
        params.put(ConfKeys.AUTHENTICATOR, ConfKeys.ACMEJX);
        params.put(ConfKeys.AUTORENEW, ConfKeys.FALSE);
        params.put(ConfKeys.KEY_TYPE, RenewalParams.keyType(conf));
        params.put(ConfKeys.PREF_CHALLS, TlsAlpn01Challenge.TYPE);
        params.put(ConfKeys.ARI, ConfKeys.FALSE);
        settings.caCert().ifPresent(ca -> params.put(ConfKeys.CA_CERT, ca.toAbsolutePath().toString()));
        settings.responder().writeTo(params);
        return params;
    }

    /** The first adoption's copy is the one to keep: a second would save acmejx's conf as certbot's. */
    private static void keepCertbotConf(Lineage lineage) throws IOException {
        if (!Files.exists(lineage.certbotConf())) {
            SecureFiles.replace(lineage.certbotConf(), Files.readAllBytes(lineage.renewalConf()),
                    SecureFiles.PUBLIC_FILE);
        }
    }

    /** Without certbot's account the CA refuses ARI's {@code replaces}, and a renewal counts as a new order. */
    private static void warnAboutAccount(Lineage lineage, RenewalConf conf) {
        Optional<String> id = conf.param(ConfKeys.ACCOUNT);
        Path dir = new AccountStore(lineage.configDir()).accountDir(RenewalPlan.server(conf), id.orElse(""));
        if (id.isEmpty() || !Files.isDirectory(dir)) {
            LOG.log(Level.WARNING, "{0}: certbot''s account {1} is not in {2}; the first renewal registers a new "
                    + "one", lineage.name(), id.orElse("(none named)"), dir.getParent());
        }
    }

    private static void warnAboutHooks(Lineage lineage, RenewalConf conf) {
        for (String hook : CERTBOT_RUN_HOOKS) {
            conf.param(hook).ifPresent(command -> LOG.log(Level.WARNING, "{0}: certbot''s {1} ''{2}'' is not run "
                    + "for this lineage by acmejx; give it to `acmejx renew --{3}` or put it in renewal-hooks/",
                    lineage.name(), hook, command, hook.replace('_', '-')));
        }
    }
}
