package dev.acmejx.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** A node's name in etcd: one path segment; by default the host's name, which is what {@code fleet status} shows. */
public final class FleetNodeName {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}");

    private FleetNodeName() {
    }

    static boolean valid(String name) {
        return NAME.matcher(name).matches();
    }

    public static String ofThisHost() {
        try {
            String host = InetAddress.getLocalHost().getHostName();
            return valid(host) ? host : "node";
        } catch (UnknownHostException e) {
            return "node";
        }
    }
}
