package dev.acmejx.core;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * Opens acme4j sessions for a directory URL. acme4j 4.0 has no setting for the TLS trust of its HTTP client,
 * so {@code --ca-cert} is honoured by a provider whose client is built with our {@link SSLContext}.
 */
public final class AcmeSessions {

    /** Let's Encrypt's production directory, the default like certbot's. */
    public static final URI LETS_ENCRYPT = URI.create("https://acme-v02.api.letsencrypt.org/directory");
    /** Let's Encrypt's staging directory, for {@code --staging}. */
    public static final URI LETS_ENCRYPT_STAGING = URI.create("https://acme-staging-v02.api.letsencrypt.org/directory");

    private static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(30);

    private AcmeSessions() {
    }

    public static Session open(URI directory, Optional<Path> caCert) throws AcmejxException {
        String scheme = String.valueOf(directory.getScheme());
        if (!scheme.equals("https") && !scheme.equals("http") || directory.getHost() == null) {
            throw new AcmejxException("invalid --server '" + directory + "': give the ACME directory URL, "
                    + "e.g. " + LETS_ENCRYPT);
        }
        Optional<SSLContext> trust = caCert.isPresent()
                ? Optional.of(ServerTrust.withExtraRoots(caCert.get()))
                : Optional.empty();
        Session session = new Session(directory, new TrustingProvider(trust));
        session.networkSettings().setTimeout(NETWORK_TIMEOUT);
        return session;
    }

    /** The generic provider with an HTTP client that trusts what {@link ServerTrust} says. */
    private static final class TrustingProvider extends GenericAcmeProvider {

        private final Optional<SSLContext> trust;

        TrustingProvider(Optional<SSLContext> trust) {
            this.trust = trust;
        }

        @Override
        public HttpClient createHttpClient(NetworkSettings settings) {
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(settings.getTimeout())
                    .proxy(settings.getProxySelector());
            trust.ifPresent(builder::sslContext);
            if (settings.getAuthenticator() != null) {
                builder.authenticator(settings.getAuthenticator());
            }
            return builder.build();
        }
    }
}
