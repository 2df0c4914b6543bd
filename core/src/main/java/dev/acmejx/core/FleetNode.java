package dev.acmejx.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmejx.core.etcd.EtcdException;
import dev.acmejx.core.etcd.EtcdWatch;
import dev.acmejx.core.etcd.KeptLease;
import dev.acmejx.core.etcd.KeyValue;
import dev.acmejx.core.etcd.WatchEvent;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code serve}'s membership of the fleet, all of it off the data path: it registers the node under a lease, feeds
 * every challenge in etcd to the local responder (and acknowledges it), and writes every new lineage version into the
 * config dir ({@link FleetCopy}). etcd being down stops none of what serve does; it is logged once and retried.
 */
public final class FleetNode implements AutoCloseable {

    /** Where the fleet's challenges go: serve's own registry, beside the ones its control socket publishes. */
    public interface Challenges {
        void publish(String identifier, byte[] acmeValidation);

        void withdraw(String identifier);
    }

    static final String VERSIONS = "versions";
    static final String SINCE = "since";
    private static final Logger LOG = System.getLogger("acmejx.fleet");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Fleet fleet;
    private final Challenges challenges;
    private final FleetNodeCopies copies;
    private final Set<String> answering = ConcurrentHashMap.newKeySet();
    private final Instant since = Instant.now();
    private final Thread registrar;
    private volatile KeptLease lease;
    private volatile boolean closed;
    private EtcdWatch challengeWatch;
    private EtcdWatch lineageWatch;

    private FleetNode(Fleet fleet, Path configDir, ResponderSettings own, Challenges challenges) {
        this.fleet = fleet;
        this.challenges = challenges;
        this.copies = new FleetNodeCopies(new FleetCopy(fleet, configDir, own), fleet, configDir,
                this::register);
        this.registrar = new Thread(this::keepRegistered, "fleet-registration");
        registrar.setDaemon(true);
    }

    /** Starts the registration and both watches, each on its own thread; returns at once, etcd up or not. */
    public static FleetNode start(Fleet fleet, Path configDir, ResponderSettings own, Challenges challenges) {
        FleetNode node = new FleetNode(fleet, configDir, own, challenges);
        node.registrar.start();
        node.challengeWatch = EtcdWatch.start(fleet.client(), fleet.keys().challenges(), node.new ChallengeListener(),
                fleet.outage());
        node.lineageWatch = EtcdWatch.start(fleet.client(), fleet.keys().lineages(), node.copies, fleet.outage());
        LOG.log(Level.INFO, "node {0} of fleet {1}, etcd at {2}", fleet.node(), fleet.settings().name(),
                fleet.client().settings().describe());
        return node;
    }

    /** Holds a lease and the node's record under it, and takes a new one whenever the old one expired. */
    private void keepRegistered() {
        while (!closed) {
            try {
                if (lease == null) {
                    lease = KeptLease.grant(fleet.client(), fleet.settings().leaseTtl(), fleet.outage(),
                            id -> leaseLost());
                    register();
                    answering.forEach(this::acknowledge);
                }
                synchronized (this) {
                    while (lease != null && !closed) {
                        wait();
                    }
                }
            } catch (EtcdException e) {
                fleet.outage().down(e);
                pause();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** etcd forgot the lease (it was out of reach for longer than the TTL): register anew. */
    private synchronized void leaseLost() {
        lease = null;
        notifyAll();
    }

    private void pause() {
        try {
            Thread.sleep(fleet.settings().leaseTtl().toMillis() / 10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes this node's record: the versions it has live, read by {@code fleet status}. */
    private void register() {
        KeptLease current = lease;
        if (current == null) {
            return;
        }
        ObjectNode record = JSON.createObjectNode().put(SINCE, since.toString());
        ObjectNode versions = record.putObject(VERSIONS);
        copies.versions().forEach(versions::put);
        try {
            fleet.client().put(fleet.keys().node(fleet.node()), record.toString().getBytes(StandardCharsets.UTF_8),
                    current.id());
        } catch (EtcdException e) {
            fleet.outage().down(e);
        }
    }

    private void acknowledge(String identifier) {
        KeptLease current = lease;
        if (current == null) {
            return;
        }
        try {
            fleet.client().put(fleet.keys().ack(identifier, fleet.node()), new byte[0], current.id());
        } catch (EtcdException e) {
            fleet.outage().down(e);
        }
    }

    /** Feeds the fleet's challenges to the local responder, and acknowledges each one it holds. */
    private final class ChallengeListener implements EtcdWatch.Listener {

        @Override
        public void reset(List<KeyValue> all) {
            Set<String> present = ConcurrentHashMap.newKeySet();
            all.forEach(kv -> present.add(add(kv)));
            answering.stream().filter(id -> !present.contains(id)).toList().forEach(this::remove);
        }

        @Override
        public void changed(WatchEvent event) {
            String identifier = FleetKeys.leaf(fleet.keys().challenges(), event.kv().key());
            if (event.deleted()) {
                remove(identifier);
            } else {
                add(event.kv());
            }
        }

        private String add(KeyValue kv) {
            String identifier = FleetKeys.leaf(fleet.keys().challenges(), kv.key());
            Optional<byte[]> validation = acmeValidation(kv);
            if (validation.isPresent()) {
                challenges.publish(identifier, validation.get());
                answering.add(identifier);
                LOG.log(Level.INFO, "{0}: answering the fleet''s tls-alpn-01 challenge", identifier);
                acknowledge(identifier);
            }
            return identifier;
        }

        private void remove(String identifier) {
            if (answering.remove(identifier)) {
                challenges.withdraw(identifier);
                try {
                    fleet.client().delete(fleet.keys().ack(identifier, fleet.node()));
                } catch (EtcdException e) {
                    fleet.outage().down(e);
                }
            }
        }

        private Optional<byte[]> acmeValidation(KeyValue kv) {
            try {
                JsonNode value = JSON.readTree(kv.value());
                if (FleetChallenges.TLS_ALPN_01.equals(value.path(FleetChallenges.TYPE).asText())) {
                    return Optional.of(Base64.getDecoder().decode(value.path(FleetChallenges.ACME_VALIDATION).asText()));
                }
            } catch (IOException | IllegalArgumentException e) {
                LOG.log(Level.WARNING, "{0} in etcd is no challenge acmejx wrote; ignored", kv.key());
            }
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        closed = true;
        challengeWatch.close();
        lineageWatch.close();
        copies.close();
        registrar.interrupt();
        KeptLease current = lease;
        if (current != null) {
            current.close();
        }
    }
}
