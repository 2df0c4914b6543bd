package dev.acmejx.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A raw client of serve's control socket, for tests that send what no well-behaved client would. */
final class ControlSocketClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;

    private ControlSocketClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    static ControlSocketClient open(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return new ControlSocketClient(channel);
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    String readLine() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("serve closed the control connection without an answer");
        }
        return line;
    }

    /** The next answer line, or null once serve has closed the connection. */
    String readLineOrEnd() throws IOException {
        return in.readLine();
    }

    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /** Sends {@code line} and a newline, and returns the one answer line. */
    String requestLine(String line) throws IOException {
        write((line + "\n").getBytes(StandardCharsets.UTF_8));
        return readLine();
    }

    JsonNode request(String json) throws IOException {
        return JSON.readTree(requestLine(json));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
