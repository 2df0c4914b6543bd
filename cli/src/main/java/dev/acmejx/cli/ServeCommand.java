package dev.acmejx.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmejx.cli.control.ControlProtocol;
import dev.acmejx.cli.control.ControlServer;
import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.Fleet;
import dev.acmejx.core.FleetNode;
import dev.acmejx.core.ResponderSettings;
import dev.acmejx.core.Version;
import dev.acmejx.mux.ForwardTarget;
import dev.acmejx.mux.ListenAddress;
import dev.acmejx.mux.ListenException;
import dev.acmejx.mux.MuxMetrics;
import dev.acmejx.mux.MuxServer;
import dev.acmejx.mux.ProxyProtocol;
import dev.acmejx.mux.RouteRule;
import dev.acmejx.mux.RouteTarget;
import dev.acmejx.mux.Router;
import dev.acmejx.mux.RoutingTable;
import dev.acmejx.mux.SocketActivation;
import dev.acmejx.mux.Transport;
import dev.acmejx.responder.ChallengeRouter;
import dev.acmejx.responder.PendingChallenges;
import io.netty.util.ResourceLeakDetector;
import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code acmejx serve}: own :443, answer what is ACME's, forward everything else to the web server untouched. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Own :443: peek at each TLS ClientHello and forward the connection, byte for byte, to the "
                + "web server moved to --backend (or a --route), keeping ACME's validation connections for acmejx.")
final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = System.getLogger("acmejx.serve");

    @Option(names = "--listen", paramLabel = "HOST:PORT", split = ",", defaultValue = "[::]:443,0.0.0.0:443",
            converter = AddressConverters.Listen.class,
            description = "Where to accept; repeatable (default: ${DEFAULT-VALUE}). Not with sockets from a systemd "
                    + "socket unit (LISTEN_FDS), which are then the only listeners.")
    List<InetSocketAddress> listen;

    @Option(names = "--backend", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8443",
            converter = AddressConverters.Backend.class,
            description = "The web server everything else goes to (default: ${DEFAULT-VALUE}).")
    InetSocketAddress backend;

    @Option(names = "--proxy-protocol", paramLabel = "none|v1|v2", defaultValue = "none",
            description = "Send a PROXY protocol header to backends (v2 also carries SNI and ALPN).")
    ProxyProtocol proxyProtocol;

    @Option(names = "--route", paramLabel = "RULE", split = ";", converter = AddressConverters.Route.class,
            description = "'sni=*.example.org -> 10.0.0.5:443' or 'alpn=h2,sni=api.example.com -> "
                    + "127.0.0.1:9443'; repeatable, first match wins, before --backend.")
    List<RouteRule.Written> routes = new ArrayList<>();

    @Option(names = "--acme-invalid", paramLabel = "responder|HOST:PORT",
            defaultValue = AddressConverters.AcmeInvalid.RESPONDER, converter = AddressConverters.AcmeInvalid.class,
            description = "Where SNI *.acme.invalid goes: the built-in legacy responder, or a port.")
    AddressConverters.AcmeInvalid.Target acmeInvalid;

    @Option(names = "--inspect-timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class, description = "Time for a complete ClientHello (default: 5s).")
    Duration inspectTimeout;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class, description = "Time to connect to a backend (default: 5s).")
    Duration connectTimeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "10m",
            converter = DurationConverter.class,
            description = "Close a connection with no traffic either way for this long (checked every quarter of it, "
                    + "so within 1.25 times it); 0 never (default: 10m).")
    Duration idleTimeout;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "65536",
            description = "Client connections open at once at most (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--event-loops", paramLabel = "N",
            description = "Threads that accept and forward connections (default: half the cores, at least 1: the "
                    + "web server behind needs the rest). Forwarding never blocks, so more than the cores only adds "
                    + "context switches.")
    Integer eventLoops;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "On SIGTERM, how long open connections may finish (default: 30s).")
    Duration grace;

    @Option(names = "--reuseport", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Bind with SO_REUSEPORT so a new serve can start beside this one (default: on).")
    boolean reusePort;

    @Option(names = "--transport", paramLabel = "epoll|nio", defaultValue = "epoll",
            description = "Socket transport (default: epoll, native; nio where epoll cannot load, or when asked).")
    String transport;

    @Option(names = "--metrics", paramLabel = "HOST:PORT", converter = AddressConverters.Listen.class,
            description = "Serve Prometheus metrics at /metrics.")
    InetSocketAddress metrics;

    @Option(names = "--config-dir", paramLabel = "DIR",
            description = "Also report each lineage of this config dir in /metrics: when its certificate expires and "
                    + "how its last renewal went. With --etcd, where this node writes the fleet's certificates.")
    Path configDir;

    @Option(names = "--control", paramLabel = "PATH", defaultValue = ControlServer.DEFAULT_PATH,
            description = "The control socket (mode 0600) through which issue, renew and `acmejx challenge` publish "
                    + "challenges; it also speaks ualpn's protocol (default: ${DEFAULT-VALUE}).")
    Path control;

    @Option(names = "--challenge-ttl", paramLabel = "DURATION", defaultValue = "5m",
            converter = DurationConverter.class,
            description = "A published challenge is dropped after this long, so a crashed client leaves nothing "
                    + "behind (default: 5m).")
    Duration challengeTtl;

    @Mixin
    FleetOptions fleet;

    @Mixin
    ConfigFileOption config;

    @Mixin
    LoggingOptions logging;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws AcmejxException, InterruptedException {
        logging.apply();
        checkTimeouts();
        Optional<Fleet> joined = fleet.open();
        checkConfigDir(joined.isPresent());
        leakDetectionOffUnlessAsked();
        // Unlike issue's own responder, serve does not warm the challenge code up at start: that loads BouncyCastle
        // and JSSE, about 15 MiB of RSS that a relay between renewals does without; the first publish pays it once.
        PendingChallenges challenges = new PendingChallenges(challengeTtl);
        Router router = router(challenges);
        List<SocketActivation.Passed> passed = PassedSockets.fromSystemd(spec);
        MuxServer.Settings settings = new MuxServer.Settings(listen, inspectTimeout, eventLoops(),
                maxConnections, reusePort, transport());
        PassedSockets.warnUnlessQueuesMigrate(reusePort || !passed.isEmpty());
        StopSignals signals = StopSignals.install();
        MuxMetrics counters = new MuxMetrics();
        AtomicReference<MuxServer> running = new AtomicReference<>();
        ControlServer controlServer = ControlServer.start(control, challenges, () -> status(running.get()));
        Optional<MetricsEndpoint> endpoint = startMetrics(counters, controlServer);
        MuxServer server = startMux(settings, passed, router, counters, () -> {
            endpoint.ifPresent(MetricsEndpoint::close);
            controlServer.close();
        });
        running.set(server);
        ScheduledExecutorService heapChecks = HeapAfterPeak.watch(counters::active);
        ResponderSettings own = new ResponderSettings(Optional.of(control.toAbsolutePath().toString()),
                Optional.empty());
        Optional<FleetNode> node = joined.map(f -> FleetNode.start(f, configDir, own,
                new FleetChallengeFeed(challenges)));
        LOG.log(Level.INFO, "serving on {0} ({1}), forwarding to {2}{3}", server.boundAddresses().stream()
                        .map(ListenAddress::format).collect(Collectors.joining(", ")),
                settings.transport().name().toLowerCase(Locale.ROOT), ListenAddress.format(backend),
                metrics == null ? "" : "; metrics at http://" + ListenAddress.format(metrics) + "/metrics");
        signals.await();
        LOG.log(Level.INFO, "stopping: no new connections, {0} open ones have up to {1} s to finish",
                String.valueOf(server.metrics().active()), String.valueOf(grace.toSeconds()));
        controlServer.close();
        node.ifPresent(FleetNode::close);
        heapChecks.shutdownNow();
        int cut = server.drain(grace);
        endpoint.ifPresent(MetricsEndpoint::close);
        LOG.log(Level.INFO, "stopped{0}", cut == 0 ? "" : "; " + cut + " connections were cut at the end of the grace");
        return 0;
    }

    /**
     * Outside a fleet, --config-dir only feeds /metrics, and a mistyped one would report no certificate at all,
     * silently; in a fleet it is where the certificates go, so it must be given.
     */
    private void checkConfigDir(boolean inFleet) throws AcmejxException {
        if (configDir == null && inFleet) {
            throw new AcmejxException(FleetOptions.ETCD + " needs --config-dir DIR: where this node writes the fleet's "
                    + "certificates for its web server (such as /etc/letsencrypt)");
        }
        if (configDir == null) {
            return;
        }
        if (metrics == null && !inFleet) {
            throw new AcmejxException("--config-dir " + configDir + " is reported in /metrics only: give --metrics "
                    + "HOST:PORT too, or drop --config-dir");
        }
        if (!Files.isDirectory(configDir)) {
            throw new AcmejxException("--config-dir " + configDir + " is not a directory: give the config dir that "
                    + "issue and renew use (default /etc/letsencrypt)");
        }
    }

    /** The connection counters, and the certificates of --config-dir when given. */
    private Supplier<String> scrape(MuxMetrics counters) {
        if (configDir == null) {
            return counters::render;
        }
        CertificateMetrics certificates = new CertificateMetrics(configDir);
        return () -> counters.render() + certificates.render();
    }

    /**
     * Netty's default leak detection samples one buffer in 128 and touches every message on every read, a few
     * percent of the relay's CPU (JFR, keep-alive load) spent looking for bugs the tests look for already: they run
     * serve with {@code -Dio.netty.leakDetection.level=paranoid} and fail on any leak report. Production runs without
     * it unless that property is set (e.g. {@code ACMEJX_JAVA_OPTS=-Dio.netty.leakDetection.level=simple}).
     */
    private static void leakDetectionOffUnlessAsked() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    private Router router(PendingChallenges challenges) {
        Function<InetSocketAddress, RouteTarget> forward = address -> new ForwardTarget(address, proxyProtocol,
                connectTimeout, idleTimeout);
        RoutingTable table = new RoutingTable(routes.stream().map(rule -> rule.to(forward)).toList(),
                forward.apply(backend));
        Router acmeInvalidRoute;
        if (acmeInvalid.port().isEmpty()) {
            acmeInvalidRoute = ChallengeRouter.legacyAnswers(challenges);
        } else {
            RouteTarget port = forward.apply(acmeInvalid.port().get());
            acmeInvalidRoute = hello -> port;
        }
        return new ChallengeRouter(challenges, acmeInvalidRoute, table);
    }

    /**
     * The listeners come last, after the control socket: a client that finds the port open (a supervisor, an
     * {@code issue} started right after) also finds the control socket there to publish through.
     *
     * @param closeTheRest what was started before, undone when the listeners cannot be bound
     */
    private static MuxServer startMux(MuxServer.Settings settings, List<SocketActivation.Passed> passed,
            Router router, MuxMetrics counters, Runnable closeTheRest) throws AcmejxException {
        try {
            return MuxServer.start(settings, router, counters, passed);
        } catch (ListenException e) {
            closeTheRest.run();
            throw new AcmejxException(e.getMessage(), e);
        }
    }

    private Optional<MetricsEndpoint> startMetrics(MuxMetrics counters, ControlServer controlServer)
            throws AcmejxException {
        if (metrics == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(MetricsEndpoint.start(metrics, scrape(counters)));
        } catch (AcmejxException e) {
            controlServer.close();
            throw e;
        }
    }

    /**
     * What the control socket's {@code status} tells about this serve.
     *
     * @param server null while the listeners are still being bound: nothing listening, nothing active yet
     */
    private static ObjectNode status(MuxServer server) {
        ObjectNode status = ControlProtocol.JSON.createObjectNode();
        status.put(ControlProtocol.VERSION, Version.VALUE);
        status.put(ControlProtocol.PID, ProcessHandle.current().pid());
        var listening = status.putArray(ControlProtocol.LISTENING);
        if (server != null) {
            server.boundAddresses().forEach(address -> listening.add(ListenAddress.format(address)));
        }
        status.put(ControlProtocol.ACTIVE, server == null ? 0 : server.metrics().active());
        return status;
    }

    private int eventLoops() throws AcmejxException {
        if (eventLoops == null) {
            return MuxServer.Settings.defaultEventLoops(Runtime.getRuntime().availableProcessors());
        }
        if (eventLoops < 1) {
            throw new AcmejxException("--event-loops must be at least 1, not " + eventLoops);
        }
        return eventLoops;
    }

    private Transport transport() throws AcmejxException {
        try {
            return Transport.named(transport);
        } catch (IllegalArgumentException e) {
            throw new AcmejxException("--transport: " + e.getMessage());
        }
    }

    private void checkTimeouts() throws AcmejxException {
        if (challengeTtl.isZero() || challengeTtl.isNegative()) {
            throw new AcmejxException("--challenge-ttl must be above zero (e.g. 5m), not " + challengeTtl);
        }
        if (inspectTimeout.isZero() || connectTimeout.isZero()) {
            throw new AcmejxException("--inspect-timeout and --connect-timeout must be above zero (e.g. 5s); "
                    + "only --idle-timeout takes 0, for no limit");
        }
    }
}
