package dev.acmejx.core.etcd;

import dev.acmejx.core.AcmejxException;

/** etcd could not do what was asked: no member answered, or one refused. The message names etcd and the endpoints. */
public class EtcdException extends AcmejxException {

    public EtcdException(String message) {
        super(message);
    }

    public EtcdException(String message, Throwable cause) {
        super(message, cause);
    }
}
