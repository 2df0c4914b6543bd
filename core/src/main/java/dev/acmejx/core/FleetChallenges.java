package dev.acmejx.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmejx.core.etcd.EtcdAwait;
import dev.acmejx.core.etcd.EtcdException;
import dev.acmejx.core.etcd.KeptLease;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.shredzone.acme4j.Identifier;

/**
 * Publishes tls-alpn-01 challenges to the whole fleet, beside the lineage's own responder: the challenge goes into
 * etcd under this run's lease (so it expires with a run that dies), and publishing returns once every registered
 * node's serve acknowledged it, because the validator may reach any of them. A node that does not acknowledge in
 * time is named in the log, and the order goes on: the others may well be the ones the validator reaches.
 */
public final class FleetChallenges implements ChallengeResponder {

    /** The fields of a challenge's value in etcd. */
    public static final String TYPE = "type";
    public static final String ACME_VALIDATION = "acmeValidation";
    public static final String TLS_ALPN_01 = "tls-alpn-01";

    private static final Logger LOG = System.getLogger("acmejx.fleet");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);
    /** etcd's words for a put under a lease it does not know (etcdserver's ErrLeaseNotFound). */
    private static final String LEASE_NOT_FOUND = "requested lease not found";

    private final Fleet fleet;
    private final ChallengeResponder inner;
    private final KeptLease lease;

    private FleetChallenges(Fleet fleet, ChallengeResponder inner, KeptLease lease) {
        this.fleet = fleet;
        this.inner = inner;
        this.lease = lease;
    }

    /** @param inner this node's own responder (its serve, or its listener), which answers as before */
    public static ChallengeResponder.Opener around(Fleet fleet, ChallengeResponder.Opener inner) {
        return () -> {
            ChallengeResponder opened = inner.open();
            try {
                return new FleetChallenges(fleet, opened, KeptLease.grant(fleet.client(),
                        fleet.settings().leaseTtl(), fleet.outage(), id -> LOG.log(Level.WARNING,
                                "the lease of this run''s challenges expired; other nodes stopped answering them")));
            } catch (EtcdException e) {
                opened.close();
                throw e;
            }
        };
    }

    @Override
    public void publishTlsAlpn01(Identifier identifier, byte[] acmeValidation) throws AcmejxException {
        inner.publishTlsAlpn01(identifier, acmeValidation);
        announce(fleet, identifier.getValue(), acmeValidation, lease.id());
    }

    /**
     * {@code acmejx challenge add} in a fleet: the challenge is every node's for {@code ttl} (it goes with its lease
     * then, as a serve drops a published challenge after its {@code --challenge-ttl}), or until withdrawn.
     */
    public static void publishFor(Fleet fleet, String identifier, byte[] acmeValidation, Duration ttl)
            throws AcmejxException {
        announce(fleet, identifier, acmeValidation, fleet.client().grant(ttl));
    }

    /** {@code acmejx challenge remove} in a fleet, and every order's end. */
    public static void withdraw(Fleet fleet, String identifier) throws EtcdException {
        fleet.client().delete(fleet.keys().challenge(identifier));
        fleet.client().deletePrefix(fleet.keys().acks(identifier));
    }

    /** Puts the challenge into etcd under {@code lease}, then waits for every registered serve to acknowledge it. */
    private static void announce(Fleet fleet, String name, byte[] acmeValidation, long lease) throws AcmejxException {
        Set<String> nodes = nodes(fleet);
        ObjectNode value = JSON.createObjectNode().put(TYPE, TLS_ALPN_01)
                .put(ACME_VALIDATION, Base64.getEncoder().encodeToString(acmeValidation));
        String acks = fleet.keys().acks(name);
        fleet.client().deletePrefix(acks);
        Set<String> expected = new HashSet<>();
        nodes.forEach(node -> expected.add(fleet.keys().ack(name, node)));
        try (EtcdAwait await = EtcdAwait.from(fleet.client(), acks)) {
            long published = System.nanoTime();
            put(fleet, name, value, lease);
            if (await.until(keys -> keys.containsAll(expected), ACK_TIMEOUT)) {
                LOG.log(Level.INFO, "{0}: the challenge is answered by all {1} nodes of the fleet, {2} ms after it was "
                        + "published", name, nodes.size(), String.valueOf((System.nanoTime() - published) / 1_000_000));
                return;
            }
        }
        Set<String> seen = new HashSet<>();
        fleet.client().prefix(acks).kvs().forEach(kv -> seen.add(FleetKeys.leaf(acks, kv.key())));
        List<String> missing = nodes.stream().filter(node -> !seen.contains(node)).sorted().toList();
        LOG.log(Level.WARNING, "{0}: nodes {1} did not confirm the challenge within {2} s; going on without them",
                name, missing, ACK_TIMEOUT.toSeconds());
    }

    /**
     * The challenge under this run's lease. etcd no longer knowing the lease means this run was cut off from etcd,
     * or stalled, for longer than its TTL: another node may hold the lineage's lock by now, so the run stops here.
     */
    private static void put(Fleet fleet, String name, ObjectNode value, long lease) throws EtcdException {
        try {
            fleet.client().put(fleet.keys().challenge(name), value.toString().getBytes(StandardCharsets.UTF_8), lease);
        } catch (EtcdException e) {
            if (String.valueOf(e.getMessage()).contains(LEASE_NOT_FOUND)) {
                throw new EtcdException(name + ": this run's lease in etcd expired (it was cut off from etcd, or "
                        + "stalled, for longer than --fleet-lease-ttl, " + fleet.settings().leaseTtl().toSeconds()
                        + " s), so another node may be renewing now; nothing was committed, live/ is unchanged", e);
            }
            throw e;
        }
    }

    /** The nodes whose serve is registered now. */
    private static Set<String> nodes(Fleet fleet) throws EtcdException {
        Set<String> nodes = new HashSet<>();
        String prefix = fleet.keys().nodes();
        fleet.client().prefix(prefix).kvs().forEach(kv -> nodes.add(FleetKeys.leaf(prefix, kv.key())));
        return nodes;
    }

    @Override
    public void withdrawTlsAlpn01(Identifier identifier) {
        inner.withdrawTlsAlpn01(identifier);
        try {
            withdraw(fleet, identifier.getValue());
        } catch (EtcdException e) {
            LOG.log(Level.WARNING, "{0}: could not withdraw the challenge from etcd ({1}); it expires with this "
                    + "run''s lease", identifier.getValue(), e.getMessage());
        }
    }

    @Override
    public void close() {
        lease.close();
        inner.close();
    }
}
