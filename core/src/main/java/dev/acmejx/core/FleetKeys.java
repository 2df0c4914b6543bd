package dev.acmejx.core;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every etcd key of one fleet, built here and nowhere else, all under {@code /acmejx/<fleet>/} so that one etcd holds
 * several fleets. The layout (DESIGN.md §9):
 * <pre>
 * accounts/&lt;server dir&gt;/&lt;id&gt;/&lt;file&gt;        certbot's account files, private_key.json sealed
 * lineages/&lt;name&gt;/conf                      the renewal conf, without what is each node's own
 * lineages/&lt;name&gt;/versions/&lt;N&gt;/&lt;kind&gt;      cert, chain; privkey sealed with the fleet key
 * lineages/&lt;name&gt;/current                   N, written last, in the fenced transaction
 * challenges/&lt;identifier&gt;                  under the publisher's lease
 * acks/&lt;identifier&gt;/&lt;node&gt;                 a serve answers the challenge, under its node lease
 * locks/&lt;name&gt;                             under the renewing node's lease
 * nodes/&lt;node&gt;                             under each serve's lease: the versions it has
 * </pre>
 */
public final class FleetKeys {

    static final String ROOT = "/acmejx/";
    static final String CERT = "cert";
    static final String CHAIN = "chain";
    static final String PRIVKEY = "privkey";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}");

    private final String prefix;

    private FleetKeys(String prefix) {
        this.prefix = prefix;
    }

    /** @throws AcmejxException when the name would not make one path segment */
    public static FleetKeys of(String fleet) throws AcmejxException {
        if (!segment(fleet)) {
            throw new AcmejxException("fleet name '" + fleet + "' is not usable: letters, digits, '.', '_' and '-', "
                    + "starting with a letter or digit (--fleet)");
        }
        return new FleetKeys(ROOT + fleet + "/");
    }

    /** Whether {@code name} (a fleet's, a node's) makes one safe path segment of an etcd key. */
    static boolean segment(String name) {
        return NAME.matcher(name).matches();
    }

    public String lineages() {
        return prefix + "lineages/";
    }

    public String conf(String lineage) {
        return lineages() + lineage + "/conf";
    }

    public String current(String lineage) {
        return lineages() + lineage + "/current";
    }

    public String version(String lineage, int version, String kind) {
        return lineages() + lineage + "/versions/" + version + "/" + kind;
    }

    /** The lineage whose {@code current} this key is, if it is one. */
    public Optional<String> lineageOfCurrent(String key) {
        Matcher m = Pattern.compile(Pattern.quote(lineages()) + "([^/]+)/current").matcher(key);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    public String accounts() {
        return prefix + "accounts/";
    }

    /** @param relative the file's path under the config dir's {@code accounts/}, as certbot lays it out */
    public String account(String relative) {
        return accounts() + relative;
    }

    public String challenges() {
        return prefix + "challenges/";
    }

    public String challenge(String identifier) {
        return challenges() + identifier;
    }

    public String acks(String identifier) {
        return prefix + "acks/" + identifier + "/";
    }

    public String ack(String identifier, String node) {
        return acks(identifier) + node;
    }

    public String locks() {
        return prefix + "locks/";
    }

    public String lock(String lineage) {
        return locks() + lineage;
    }

    /**
     * The name of the lock held, beside its lineage's, by an order in a fleet that has no account yet, so that the
     * fleet registers one account, not one per lineage ordered at once. No lineage name starts with '_'.
     */
    static final String FIRST_ACCOUNT = "_first-account";

    public String nodes() {
        return prefix + "nodes/";
    }

    public String node(String node) {
        return nodes() + node;
    }

    /** The last path segment of a key under {@code parent}: a node's, lock's or challenge's name. */
    public static String leaf(String parent, String key) {
        return key.substring(parent.length());
    }

    /** A version number as etcd holds it, in {@code current} and the node records. */
    static OptionalInt versionNumber(String text) {
        try {
            return OptionalInt.of(Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
