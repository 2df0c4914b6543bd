package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand concurrent, idle but valid connections forwarded to a real nginx and held on this 2-core machine;
 * prints the heap they cost per thousand (measured with jcmd after a full GC, before and after).
 *
 * <p>Each forwarded connection takes two descriptors in serve. Where the hard limit on open files is too low for
 * all of them in one process (this workplace allows 20,000 and no raising it), the test starts as many serve
 * processes as the limit requires on the same port, as an operator would: SO_REUSEPORT, on by default, lets the
 * kernel spread the connections over them. It checks that together they hold every connection, and that once they
 * have closed, each serve has the heap they grew collected (HeapAfterPeak).
 */
class ManyConnectionsIT {

    private static final int CONNECTIONS = 10_000;
    private static final int SPARE_DESCRIPTORS = 300;
    /** serve's line when, its connections down to half a peak or less, it has the heap the peak grew collected. */
    private static final Pattern HEAP_GIVEN_BACK = Pattern.compile("heap: \\d+ connections open after a peak of "
            + "\\d+; a full collection took \\d+ ms, heap (\\d+) MiB before and (\\d+) MiB after");

    @Test
    void tenThousandIdleForwardedConnectionsAreHeld() throws Exception {
        long perProcess = (openFilesHardLimit() - SPARE_DESCRIPTORS) / 2;
        // The kernel's SO_REUSEPORT hash splits connections only roughly evenly: plan for a fifth more each.
        long planned = CONNECTIONS * 6L / 5;
        int processes = (int) ((planned + perProcess - 1) / perProcess);
        System.out.printf("holding %d connections in %d serve process(es) of at most %d each (hard limit on open "
                + "files %d)%n", CONNECTIONS, processes, perProcess, openFilesHardLimit());
        int port = FreePorts.next();
        List<Serve> serves = new ArrayList<>();
        List<Integer> metricsPorts = new ArrayList<>();
        List<Socket> clients = new ArrayList<>();
        try (Nginx nginx = Nginx.start(CONNECTIONS + 1000)) {
            for (int i = 0; i < processes; i++) {
                metricsPorts.add(FreePorts.next());
                // With serve.jvm-options, as the launchers run it: the collector and heap flags the test relies on.
                serves.add(Serve.start(List.of("env", "JDK_JAVA_OPTIONS=" + String.join(" ", Paths.serveJvmOptions()),
                        "sh", "-c", "ulimit -n \"$(ulimit -Hn)\" && exec \"$0\" \"$@\""),
                        "--listen", "127.0.0.1:" + port, "--backend", "127.0.0.1:" + nginx.port,
                        "--metrics", "127.0.0.1:" + metricsPorts.get(i), "--max-connections", "20000",
                        "--connect-timeout", "60s"));
            }
            long before = heapUsedAfterGc(serves);
            byte[] hello = Hellos.clientHello(Nginx.SITE, "http/1.1");
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
                client.setSoTimeout(60_000);
                client.getOutputStream().write(hello);
                clients.add(client);
            }
            for (Socket client : clients) {
                int first = client.getInputStream().read();
                assertEquals(22, first, () -> "nginx's ServerHello came back through serve; serve's last lines:\n"
                        + serves.stream().map(serve -> serve.tail(10)).collect(Collectors.joining("\n--\n")));
            }
            long active = 0;
            for (int metricsPort : metricsPorts) {
                active += activeConnections(metricsPort);
            }
            assertEquals(CONNECTIONS, active, "acmejx_connections_active over all serve processes");
            long after = heapUsedAfterGc(serves);
            long perThousand = (after - before) * 1000 / CONNECTIONS;
            System.out.printf("serve heap for %d idle forwarded connections: %d KiB, %d KiB per 1,000%n",
                    CONNECTIONS, (after - before) / 1024, perThousand / 1024);
            assertTrue(perThousand < 16L << 20, "heap per 1,000 connections: " + perThousand + " bytes");

            for (Socket client : clients) {
                client.close();
            }
            for (Serve serve : serves) {
                String line = serve.awaitLine(HEAP_GIVEN_BACK.asPredicate());
                System.out.println("after the peak: " + line);
                Matcher heap = HEAP_GIVEN_BACK.matcher(line);
                assertTrue(heap.find() && Long.parseLong(heap.group(2)) < Long.parseLong(heap.group(1)),
                        "the collection after the peak did not shrink the heap: " + line);
            }
        } finally {
            for (Socket client : clients) {
                client.close();
            }
            closeAll(serves);
        }
    }

    /** Stops every serve, even when an earlier one reports leaked buffers; then reports the first report. */
    private static void closeAll(List<Serve> serves) {
        AssertionError first = null;
        for (Serve serve : serves) {
            try {
                serve.close();
            } catch (AssertionError e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static long openFilesHardLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String hard = line.substring("Max open files".length()).trim().split("\\s+")[1];
                return hard.equals("unlimited") ? Long.MAX_VALUE / 4 : Long.parseLong(hard);
            }
        }
        throw new IllegalStateException("no 'Max open files' line in /proc/self/limits");
    }

    /** The heap all {@code serves} use together after a full GC in each: every generation's "used". */
    private static long heapUsedAfterGc(List<Serve> serves) {
        long used = 0;
        for (Serve serve : serves) {
            Command.run("jcmd", String.valueOf(serve.pid()), "GC.run").assertSuccess();
            String info = Command.run("jcmd", String.valueOf(serve.pid()), "GC.heap_info").assertSuccess().out();
            Matcher matcher = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
            assertTrue(matcher.find(), info);
            do {
                used += Long.parseLong(matcher.group(1)) * 1024;
            } while (matcher.find());
        }
        return used;
    }

    private static long activeConnections(int metricsPort) throws IOException, InterruptedException {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + metricsPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher active = Pattern.compile("(?m)^acmejx_connections_active (\\d+)$").matcher(text);
        assertTrue(active.find(), text);
        return Long.parseLong(active.group(1));
    }
}
