package dev.acmejx.core;

import org.shredzone.acme4j.Identifier;

/**
 * Whatever answers tls-alpn-01 validations for this run: the in-process responder on {@code --listen}, or a
 * running {@code acmejx serve} reached over its control socket. Only what a validator must see crosses this
 * interface, never the account key.
 */
public interface ChallengeResponder extends AutoCloseable {

    /**
     * Makes the challenge answerable; when this returns, a validator connecting for {@code identifier} gets it.
     *
     * @param acmeValidation SHA-256 of the key authorization, as acme4j computes it
     */
    void publishTlsAlpn01(Identifier identifier, byte[] acmeValidation) throws AcmejxException;

    /** Stops answering for {@code identifier}; idempotent. */
    void withdrawTlsAlpn01(Identifier identifier);

    /** Releases what the responder holds (a listening port, a socket connection). */
    @Override
    void close();

    /** Opens a responder when an order actually needs one: a run with nothing due never touches the port. */
    @FunctionalInterface
    interface Opener {
        ChallengeResponder open() throws AcmejxException;
    }
}
