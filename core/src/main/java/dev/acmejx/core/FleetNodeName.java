package dev.acmejx.core;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A node's name in etcd: one path segment; by default the host's name, which is what {@code fleet status} shows. */
public final class FleetNodeName {

    private FleetNodeName() {
    }

    public static String ofThisHost() {
        try {
            String host = InetAddress.getLocalHost().getHostName();
            return FleetKeys.segment(host) ? host : "node";
        } catch (UnknownHostException e) {
            return "node";
        }
    }
}
