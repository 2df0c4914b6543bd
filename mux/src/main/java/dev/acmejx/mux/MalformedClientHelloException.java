package dev.acmejx.mux;

/**
 * The first bytes of a connection are not a ClientHello the mux can route. The message says what was wrong,
 * for the one log line the connection gets before it is closed.
 */
public final class MalformedClientHelloException extends Exception {

    private final boolean notTls;

    MalformedClientHelloException(String message, boolean notTls) {
        super(message, null, false, false);
        this.notTls = notTls;
    }

    static MalformedClientHelloException malformed(String message) {
        return new MalformedClientHelloException(message, false);
    }

    static MalformedClientHelloException notTls(String message) {
        return new MalformedClientHelloException(message, true);
    }

    /** True when the very first bytes are not a TLS handshake record at all (plain TCP, HTTP, …). */
    public boolean isNotTls() {
        return notTls;
    }
}
