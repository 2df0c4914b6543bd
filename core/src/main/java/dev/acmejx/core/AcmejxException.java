package dev.acmejx.core;

/**
 * A failure the user can act on. The message is complete on its own (what failed, which value, what to do) and
 * is printed as it is, without a stack trace.
 */
public class AcmejxException extends Exception {

    public AcmejxException(String message) {
        super(message);
    }

    public AcmejxException(String message, Throwable cause) {
        super(message, cause);
    }
}
