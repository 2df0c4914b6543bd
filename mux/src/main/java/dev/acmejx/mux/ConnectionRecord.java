package dev.acmejx.mux;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;

/**
 * What one client connection did, kept on its channel and logged as one line when it closes: client, SNI,
 * ALPN, route, bytes each way, duration, and how it ended. Routes and local handlers fill it in; the first
 * {@link #end} wins, because the first reason is the real one (closing the other side follows from it).
 */
public final class ConnectionRecord {

    private static final AttributeKey<ConnectionRecord> KEY = AttributeKey.valueOf("acmejx.connection");

    private final long startNanos = System.nanoTime();
    private final SocketAddress client;
    private ClientHello hello;
    private String route = "-";
    private long bytesUp;
    private long bytesDown;
    private Outcome outcome;
    private String detail;

    private ConnectionRecord(SocketAddress client) {
        this.client = client;
    }

    static ConnectionRecord attach(Channel channel) {
        ConnectionRecord record = new ConnectionRecord(channel.remoteAddress());
        channel.attr(KEY).set(record);
        return record;
    }

    /** The record of a client connection; a throwaway one for channels the mux did not accept. */
    public static ConnectionRecord of(Channel channel) {
        ConnectionRecord record = channel.attr(KEY).get();
        return record != null ? record : new ConnectionRecord(channel.remoteAddress());
    }

    void routed(ClientHello hello, String route) {
        this.hello = hello;
        this.route = route;
    }

    /** Records how the connection ended, unless an earlier reason already did. */
    public void end(Outcome outcome, String detail) {
        if (this.outcome == null) {
            this.outcome = outcome;
            this.detail = detail;
        }
    }

    void addUp(long bytes) {
        bytesUp += bytes;
    }

    void addDown(long bytes) {
        bytesDown += bytes;
    }

    public String route() {
        return route;
    }

    public Outcome outcome() {
        return outcome != null ? outcome : Outcome.COMPLETED;
    }

    public long bytesUp() {
        return bytesUp;
    }

    public long bytesDown() {
        return bytesDown;
    }

    /** {@code /192.0.2.1:5000 sni=a.test alpn=h2,http/1.1 route=127.0.0.1:8443 up=517 down=4096 12ms: …}. */
    String logLine() {
        String sni = hello == null ? "-" : hello.serverNameForLog();
        String alpn = hello == null || hello.alpnProtocols().isEmpty() ? "-" : String.join(",", hello.alpnProtocols());
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        return client + " sni=" + sni + " alpn=" + alpn + " route=" + route + " up=" + bytesUp + " down=" + bytesDown
                + " " + millis + "ms: " + outcome().label() + (detail == null ? "" : " (" + detail + ")");
    }
}
