package dev.acmejx.core;

import java.net.URI;

/** Asked once, before an account is registered, whether the user agrees to the CA's terms of service. */
@FunctionalInterface
public interface TermsOfService {

    /** @return true to agree; false ends the run with a message */
    boolean agree(URI terms) throws AcmejxException;
}
