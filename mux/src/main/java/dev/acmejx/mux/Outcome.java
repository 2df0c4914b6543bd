package dev.acmejx.mux;

import java.util.Locale;

/** How a connection ended, as a metric label: a small fixed set, the details go to the log line. */
public enum Outcome {
    /** Forwarded, and both sides finished normally. */
    COMPLETED,
    /** Answered locally (a challenge handshake). */
    ANSWERED,
    /** Claimed by a local handler that declined to answer. */
    REFUSED,
    /** No complete ClientHello within the inspect timeout. */
    INSPECT_TIMEOUT,
    /** First bytes that are not a TLS handshake. */
    NOT_TLS,
    /** A TLS opening that cannot be routed: malformed, oversized, truncated. */
    MALFORMED,
    /** The backend could not be reached. */
    CONNECT_FAILED,
    /** No traffic either way for the idle timeout. */
    IDLE_TIMEOUT,
    /** Refused at accept: {@code --max-connections} reached. */
    OVER_LIMIT,
    /** An I/O error on either side. */
    ERROR;

    /** The Prometheus label value. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
