package dev.acmejx.cli;

import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.DomainNames;
import dev.acmejx.core.ExternalAccountBinding;
import dev.acmejx.core.IssueRequest;
import dev.acmejx.core.Issuance;
import dev.acmejx.core.KeySpec;
import dev.acmejx.core.Lineage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.shredzone.acme4j.Identifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code acmejx issue}: one certificate for the given names, with certbot's option names. */
@Command(name = "issue", aliases = "certonly", mixinStandardHelpOptions = true,
        description = "Obtain a certificate for the given names, answering tls-alpn-01 on --listen, and store it "
                + "in the certbot layout (<config-dir>/live/<cert-name>/fullchain.pem, privkey.pem, ...).")
final class IssueCommand implements Callable<Integer> {

    /** What a profile name may be: it goes into the renewal conf as one word. */
    private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @Option(names = {"-d", "--domain", "--domains"}, required = true, paramLabel = "NAME",
            description = "A name for the certificate; repeat it or give a comma list. The first names the "
                    + "lineage unless --cert-name is given. IP addresses are accepted (RFC 8738).")
    List<String> domains;

    @Option(names = "--cert-name", paramLabel = "NAME",
            description = "Lineage name (default: the first domain; ':' of an IPv6 address becomes '-').")
    String certName;

    @Option(names = {"-m", "--email"}, paramLabel = "EMAIL", description = "Contact address for the account.")
    String email;

    @Option(names = ExternalAccountBinding.KID_OPTION, paramLabel = "KID",
            description = "External Account Binding key id, for CAs that require one (with the HMAC key from "
                    + ExternalAccountBinding.KEY_SOURCES + ").")
    String eabKid;

    @Option(names = ExternalAccountBinding.KEY_FILE_OPTION, paramLabel = "FILE",
            description = "A file holding the External Account Binding HMAC key (base64url; a trailing newline is "
                    + "dropped): the way to prefer, since other users can read neither a 0600 file nor the "
                    + "environment variable " + ExternalAccountBinding.KEY_ENVIRONMENT + ", the next best. Used once "
                    + "to register; never stored.")
    Path eabHmacKeyFile;

    @Option(names = ExternalAccountBinding.KEY_OPTION, paramLabel = "KEY",
            description = "The External Account Binding HMAC key itself. Every user of the machine can read it in "
                    + "the process list while issue runs: prefer " + ExternalAccountBinding.KEY_FILE_OPTION + ", then "
                    + ExternalAccountBinding.KEY_ENVIRONMENT + ". Only one of the three may be given.")
    String eabHmacKey;

    @Option(names = "--agree-tos", description = "Agree to the CA's terms of service.")
    boolean agreeTos;

    @Option(names = {"-n", "--non-interactive"}, description = "Never ask; fail where a question would be needed.")
    boolean nonInteractive;

    @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = KeySpec.ECDSA,
            description = "ecdsa or rsa (default: ${DEFAULT-VALUE}).")
    String keyType;

    @Option(names = "--elliptic-curve", paramLabel = "CURVE", defaultValue = "secp256r1",
            description = "secp256r1 or secp384r1 (default: ${DEFAULT-VALUE}).")
    String ellipticCurve;

    @Option(names = "--rsa-key-size", paramLabel = "BITS", defaultValue = "2048",
            description = "2048, 3072 or 4096 (default: ${DEFAULT-VALUE}).")
    int rsaKeySize;

    @Option(names = "--force-renewal", description = "Order a new certificate even if the current one is not due.")
    boolean forceRenewal;

    @Option(names = "--deploy-hook", paramLabel = "CMD",
            description = "Shell command run after a new certificate is live, with RENEWED_LINEAGE and "
                    + "RENEWED_DOMAINS set (e.g. 'nginx -s reload').")
    String deployHook;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "The CA's certificate profile to ask for (Let's Encrypt: classic, tlsserver, shortlived); "
                    + "kept for every renewal. Checked against the profiles the CA's directory lists.")
    String profile;

    @Mixin
    ResponderOptions responder;

    @Mixin
    ServerOptions acme;

    @Mixin
    FleetOptions fleet;

    @Mixin
    ConfigFileOption config;

    @Mixin
    LoggingOptions logging;

    @Override
    public Integer call() throws AcmejxException, InterruptedException {
        logging.apply();
        List<Identifier> identifiers = DomainNames.parse(domains);
        Lineage lineage = Lineage.of(acme.configDir(), certName != null ? certName
                : identifiers.get(0).getValue().replace(':', '-'));
        IssueRequest request = IssueRequest.builder(lineage, identifiers).server(acme.server())
                .caCert(acme.caCert()).email(Optional.ofNullable(email))
                .keySpec(KeySpec.of(keyType, ellipticCurve, rsaKeySize)).forceRenewal(forceRenewal)
                .deployHook(deployHook()).responder(responder.settings()).eab(eab()).profile(profile()).build();
        FleetRuns runs = new FleetRuns(fleet.open());
        Issuance.Result result = runs.issuance(request.responder()).run(request, runs.responders(request.responder()),
                new ConsoleTerms(agreeTos, nonInteractive));
        new IssueSummary(System.out).print(result, DomainNames.values(identifiers));
        return 0;
    }

    private Optional<String> profile() throws AcmejxException {
        if (profile != null && !PROFILE.matcher(profile).matches()) {
            throw new AcmejxException("invalid --profile '" + profile + "': a profile is a name such as classic or "
                    + "shortlived, as the CA's directory lists it");
        }
        return Optional.ofNullable(profile);
    }

    private Optional<ExternalAccountBinding> eab() throws AcmejxException {
        Optional<EabHmacKey.Given> key = EabHmacKey.read(Optional.ofNullable(eabHmacKey),
                Optional.ofNullable(eabHmacKeyFile), System.getenv());
        return eabKid == null && key.isEmpty() ? Optional.empty()
                : Optional.of(ExternalAccountBinding.of(eabKid, key.map(EabHmacKey.Given::key).orElse(null),
                        key.map(EabHmacKey.Given::source).orElse(ExternalAccountBinding.KEY_SOURCES)));
    }

    private Optional<String> deployHook() throws AcmejxException {
        if (deployHook != null && (deployHook.contains("\n") || deployHook.contains("\r"))) {
            throw new AcmejxException("--deploy-hook must be a single line (it is stored in the renewal conf); "
                    + "put several commands in a script and give its path");
        }
        return Optional.ofNullable(deployHook);
    }

}
