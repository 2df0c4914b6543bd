package dev.acmejx.core;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.shredzone.acme4j.Identifier;

/**
 * Everything one order needs, already validated; built with {@link #builder}, since most of it has a default and
 * {@code issue}, {@code renew} and {@code adopt} each set a different part.
 */
public final class IssueRequest {

    private final Lineage lineage;
    private final List<Identifier> identifiers;
    /** The rest, as a private copy of the builder's: set once, read through the accessors below. */
    private final Builder settings;

    private IssueRequest(Builder builder) {
        this.lineage = builder.lineage;
        this.identifiers = List.copyOf(builder.identifiers);
        this.settings = builder.copy();
    }

    /**
     * @param lineage where the certificate goes (its config dir and name)
     * @param identifiers the names, in the order the certificate lists them
     */
    public static Builder builder(Lineage lineage, List<Identifier> identifiers) {
        return new Builder(lineage, identifiers);
    }

    public Lineage lineage() {
        return lineage;
    }

    public List<Identifier> identifiers() {
        return identifiers;
    }

    public URI server() {
        return settings.server;
    }

    public Optional<Path> caCert() {
        return settings.caCert;
    }

    public Optional<String> email() {
        return settings.email;
    }

    public KeySpec keySpec() {
        return settings.keySpec;
    }

    /** Order without asking whether the live certificate is due ({@code renew} has decided). */
    public boolean forceRenewal() {
        return settings.forceRenewal;
    }

    public Optional<String> deployHook() {
        return settings.deployHook;
    }

    /** How the challenges were answered, kept in the renewal conf for {@code renew}. */
    public ResponderSettings responder() {
        return settings.responder;
    }

    /** Order and download, then keep nothing: no file written, no hook run. */
    public boolean dryRun() {
        return settings.dryRun;
    }

    /** The certificate a renewal replaces, named in the order where the CA supports it (RFC 9773). */
    public Optional<X509Certificate> replaces() {
        return settings.replaces;
    }

    /** External Account Binding for registering an account, for CAs that require it; never stored. */
    public Optional<ExternalAccountBinding> eab() {
        return settings.eab;
    }

    /** The CA's profile to ask for, checked against the directory's {@code meta.profiles} before ordering. */
    public Optional<String> profile() {
        return settings.profile;
    }

    /**
     * The stored account to order with, by id, as a renewal conf names it (certbot's {@code account}); without one,
     * the oldest account for the server, or a new one.
     */
    public Optional<String> account() {
        return settings.account;
    }

    /** The parts of a request with a default, set by name. */
    public static final class Builder {

        private final Lineage lineage;
        private final List<Identifier> identifiers;
        private URI server = AcmeSessions.LETS_ENCRYPT;
        private Optional<Path> caCert = Optional.empty();
        private Optional<String> email = Optional.empty();
        private KeySpec keySpec = KeySpec.DEFAULT;
        private boolean forceRenewal;
        private Optional<String> deployHook = Optional.empty();
        private ResponderSettings responder = ResponderSettings.DEFAULT;
        private boolean dryRun;
        private Optional<X509Certificate> replaces = Optional.empty();
        private Optional<ExternalAccountBinding> eab = Optional.empty();
        private Optional<String> profile = Optional.empty();
        private Optional<String> account = Optional.empty();

        private Builder(Lineage lineage, List<Identifier> identifiers) {
            this.lineage = lineage;
            this.identifiers = List.copyOf(identifiers);
        }

        private Builder copy() {
            return new Builder(lineage, identifiers).server(server).caCert(caCert).email(email).keySpec(keySpec)
                    .forceRenewal(forceRenewal).deployHook(deployHook).responder(responder).dryRun(dryRun)
                    .replaces(replaces).eab(eab).profile(profile).account(account);
        }

        public Builder server(URI value) {
            server = value;
            return this;
        }

        public Builder caCert(Optional<Path> value) {
            caCert = value;
            return this;
        }

        public Builder email(Optional<String> value) {
            email = value;
            return this;
        }

        public Builder keySpec(KeySpec value) {
            keySpec = value;
            return this;
        }

        public Builder forceRenewal(boolean value) {
            forceRenewal = value;
            return this;
        }

        public Builder deployHook(Optional<String> value) {
            deployHook = value;
            return this;
        }

        public Builder responder(ResponderSettings value) {
            responder = value;
            return this;
        }

        public Builder dryRun(boolean value) {
            dryRun = value;
            return this;
        }

        public Builder replaces(Optional<X509Certificate> value) {
            replaces = value;
            return this;
        }

        public Builder eab(Optional<ExternalAccountBinding> value) {
            eab = value;
            return this;
        }

        public Builder profile(Optional<String> value) {
            profile = value;
            return this;
        }

        public Builder account(Optional<String> value) {
            account = value;
            return this;
        }

        public IssueRequest build() {
            return new IssueRequest(this);
        }
    }
}
