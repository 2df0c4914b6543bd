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
import org.junit.jupiter.api.Test;

/**
 * Ten thousand concurrent, idle but valid connections forwarded to a real nginx, held by serve on this 2-core
 * machine; prints the heap they cost per thousand (measured with jcmd after a full GC, before and after). Each
 * forwarded connection takes two descriptors in serve, so where the hard limit on open files is lower than that
 * (this workplace allows 20,000 and no raising it), the test holds as many as the limit allows and says so.
 */
class ManyConnectionsIT {

    private static final int WANTED = 10_000;
    private static final int SPARE_DESCRIPTORS = 300;

    @Test
    void tenThousandIdleForwardedConnectionsAreHeld() throws Exception {
        int connections = (int) Math.min(WANTED, (openFilesHardLimit() - SPARE_DESCRIPTORS) / 2);
        System.out.printf("holding %d connections (wanted %d; hard limit on open files %d)%n", connections, WANTED,
                openFilesHardLimit());
        int metricsPort = FreePorts.next();
        try (Nginx nginx = Nginx.start(connections + 1000);
                Serve serve = Serve.start(List.of("sh", "-c", "ulimit -n \"$(ulimit -Hn)\" && exec \"$0\" \"$@\""),
                        "--listen", "127.0.0.1:" + FreePorts.next(), "--backend", "127.0.0.1:" + nginx.port,
                        "--metrics", "127.0.0.1:" + metricsPort, "--max-connections", "20000",
                        "--connect-timeout", "60s")) {
            long before = heapUsedAfterGc(serve.pid());
            List<Socket> clients = new ArrayList<>();
            try {
                byte[] hello = Hellos.clientHello(Nginx.SITE, "http/1.1");
                for (int i = 0; i < connections; i++) {
                    Socket client = new Socket(InetAddress.getLoopbackAddress(), serve.port());
                    client.setSoTimeout(60_000);
                    client.getOutputStream().write(hello);
                    clients.add(client);
                }
                for (Socket client : clients) {
                    int first = client.getInputStream().read();
                    assertEquals(22, first, () -> "nginx's ServerHello came back through serve; serve's last lines:\n"
                            + serve.tail(20));
                }
                assertTrue(metrics(metricsPort).contains("acmejx_connections_active " + connections));
                long after = heapUsedAfterGc(serve.pid());
                long perThousand = (after - before) * 1000 / connections;
                System.out.printf("serve heap for %d idle forwarded connections: %d KiB, %d KiB per 1,000%n",
                        connections, (after - before) / 1024, perThousand / 1024);
                assertTrue(perThousand < 16L << 20, "heap per 1,000 connections: " + perThousand + " bytes");
            } finally {
                for (Socket client : clients) {
                    client.close();
                }
            }
        }
    }

    private static long openFilesHardLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String hard = line.substring("Max open files".length()).trim().split("\\s+")[1];
                return hard.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(hard);
            }
        }
        return WANTED * 2L + SPARE_DESCRIPTORS;
    }

    private static long heapUsedAfterGc(long pid) {
        Command.run("jcmd", String.valueOf(pid), "GC.run").assertSuccess();
        String info = Command.run("jcmd", String.valueOf(pid), "GC.heap_info").assertSuccess().out();
        Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
        assertTrue(used.find(), info);
        return Long.parseLong(used.group(1)) * 1024;
    }

    private static String metrics(int port) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
