package dev.acmejx.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The backend's side of a forwarded connection on epoll: a bare non-blocking socket registered on the client
 * channel's event loop, not a second Netty channel. A channel per connection is most of the relay's own CPU per
 * new connection (its pipeline, promises, registration and state, and the system calls it makes to learn what it
 * could be told: bench/README.md); this socket is one object, its registration and the bytes in flight.
 *
 * <p>It is registered once for everything it may wait for, edge-triggered (EPOLLIN, EPOLLOUT and EPOLLRDHUP, as
 * nginx does), so its interest never changes: backpressure needs no {@code epoll_ctl}. Bytes from the client are
 * sent at once and queued only when the socket buffer is full; past the client channel's high water mark the
 * client stops reading until the queue is below the low mark. Bytes from the backend are read, in sizes Netty's
 * adaptive allocator guesses, until the socket is drained or the client channel cannot take more; then reading waits
 * for the client to drain ({@link #resumeReading}). Half-closes are passed on and errors close both sides, as
 * {@link Relay} does for a channel.
 */
final class BackendSocket implements EpollIoHandle, RelayPeer {

    private static final EpollIoOps INTEREST = EpollIoOps.EPOLLET.with(EpollIoOps.EPOLLIN)
            .with(EpollIoOps.EPOLLOUT).with(EpollIoOps.EPOLLRDHUP);

    private final StreamSocket socket;
    private final Channel client;
    private final ChannelPeer clientPeer;
    private final ConnectionRecord record;
    private final Consumer<RelayPeer> connected;
    private final Consumer<Throwable> connectFailed;
    private final RecvByteBufAllocator.Handle readSizes;
    private final SendQueue unsent;
    private IoRegistration registration;
    private Future<?> connectTimeout;
    private boolean isConnected;
    private boolean readPaused;
    private boolean reading;
    private boolean endOfStreamPending;
    private boolean inputShutdown;
    private boolean outputShutdown;
    /** Set when asked to close once everything is sent: what to run after. */
    private Runnable closeWhenSent;
    private Runnable halfCloseDone;
    private Consumer<Throwable> halfCloseFailed;
    private boolean closed;

    private BackendSocket(StreamSocket socket, Channel client, ConnectionRecord record, Consumer<RelayPeer> connected,
            Consumer<Throwable> connectFailed) {
        this.socket = socket;
        this.client = client;
        this.clientPeer = new ChannelPeer(client);
        this.record = record;
        this.connected = connected;
        this.connectFailed = connectFailed;
        this.unsent = new SendQueue(socket, client.config().getWriteBufferWaterMark());
        this.readSizes = client.config().getRecvByteBufAllocator().newHandle();
    }

    /**
     * Opens a socket of the backend's own family (an IPv4 backend gets an IPv4 socket: no IPV6_V6ONLY call, no mapped
     * address), registers it on the client's event loop, where this runs, and starts connecting. Tells
     * {@code connected} or {@code connectFailed} later, on that loop.
     *
     * @throws ChannelException when no socket can be opened (too many open files)
     */
    static BackendSocket connect(Channel client, InetSocketAddress backend, int timeoutMillis, ConnectionRecord record,
            Consumer<RelayPeer> connected, Consumer<Throwable> connectFailed) {
        StreamSocket socket = StreamSocket.open(backend.getAddress() instanceof Inet6Address);
        BackendSocket backendSocket = new BackendSocket(socket, client, record, connected, connectFailed);
        backendSocket.start(backend, timeoutMillis);
        return backendSocket;
    }

    private void start(InetSocketAddress backend, int timeoutMillis) {
        Future<IoRegistration> registered = ((IoEventLoop) client.eventLoop()).register(this);
        if (registered.cause() != null) {
            failConnect(registered.cause());
            return;
        }
        registration = registered.getNow();
        try {
            socket.setTcpNoDelay(true);
            registration.submit(INTEREST);
            if (socket.connect(backend)) {
                finishConnect();
                return;
            }
        } catch (IOException e) {
            failConnect(e);
            return;
        }
        connectTimeout = client.eventLoop().schedule(() -> failConnect(
                new ConnectTimeoutException("connection timed out after " + timeoutMillis + " ms")),
                timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public FileDescriptor fd() {
        return socket;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        int ready = ((EpollIoEvent) event).ops().value();
        if (closed) {
            return;
        }
        if (!isConnected) {
            finishConnect();
            if (!isConnected) {
                return;
            }
        }
        if ((ready & (EpollIoOps.EPOLLOUT.value() | EpollIoOps.EPOLLERR.value())) != 0) {
            sendQueued();
        }
        if ((ready & EpollIoOps.EPOLLRDHUP.value()) != 0) {
            endOfStreamPending = true;
        }
        if ((ready & (EpollIoOps.EPOLLIN.value() | EpollIoOps.EPOLLRDHUP.value() | EpollIoOps.EPOLLERR.value())) != 0) {
            readToClient();
        }
    }

    private void finishConnect() {
        try {
            if (!socket.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            failConnect(e);
            return;
        }
        isConnected = true;
        cancelConnectTimeout();
        connected.accept(this);
    }

    private void failConnect(Throwable cause) {
        if (closed) {
            return;
        }
        close();
        connectFailed.accept(cause);
    }

    /** Reads until the socket is drained, the client cannot take more, or the backend finished sending. */
    private void readToClient() {
        if (reading) {
            return;
        }
        reading = true;
        try {
            boolean paused;
            do {
                paused = readWhileClientTakes();
                clientPeer.flush();
                // The flush can drain the client at once, and its writability event then resumed reading.
            } while (paused && !readPaused && !closed);
        } finally {
            reading = false;
        }
    }

    /** @return true when reading stopped because the client channel is full */
    private boolean readWhileClientTakes() {
        readSizes.reset(client.config());
        try {
            while (!closed && !inputShutdown) {
                if (!clientPeer.isWritable()) {
                    readPaused = true;
                    return true;
                }
                if (!readOnce()) {
                    return false;
                }
            }
            return false;
        } finally {
            readSizes.readComplete();
        }
    }

    /** @return whether there may be more to read now */
    private boolean readOnce() {
        ByteBuf bytes = readSizes.allocate(client.alloc());
        int read;
        try {
            read = socket.read(bytes);
        } catch (IOException e) {
            bytes.release();
            fail(e);
            return false;
        }
        readSizes.attemptedBytesRead(bytes.writableBytes());
        readSizes.lastBytesRead(read);
        if (read <= 0) {
            bytes.release();
            if (read < 0) {
                endOfStream();
            }
            return false;
        }
        if (!clientPeer.isActive()) {
            bytes.release();
            return false;
        }
        bytes.writerIndex(bytes.writerIndex() + read);
        record.addDown(read);
        boolean filled = !bytes.isWritable();
        clientPeer.write(bytes);
        // Edge-triggered: a short read drained the socket, unless the backend's FIN is known to be waiting behind.
        return filled || endOfStreamPending;
    }

    private void endOfStream() {
        inputShutdown = true;
        clientPeer.passHalfClose(() -> {
            record.end(Outcome.COMPLETED, Relay.CLIENT + " finished first");
            closeOnFlush(clientPeer::closeOnFlush);
        }, cause -> {
            record.end(Outcome.ERROR, "passing on the " + Relay.BACKEND + "'s half-close failed: " + cause);
            closeBoth();
        });
    }

    @Override
    public void resumeReading() {
        if (readPaused && !closed && !inputShutdown) {
            readPaused = false;
            readToClient();
        }
    }

    @Override
    public boolean isActive() {
        return isConnected && !closed && !outputShutdown && closeWhenSent == null;
    }

    @Override
    public void write(ByteBuf bytes) {
        if (!isActive()) {
            bytes.release();
            return;
        }
        try {
            unsent.add(bytes);
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Writes are sent as they come; only what the socket did not take waits, for EPOLLOUT. */
    @Override
    public void flush() {
    }

    /** EPOLLOUT: the socket has room again. */
    private void sendQueued() {
        try {
            if (unsent.send()) {
                clientPeer.resumeReading();
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        if (unsent.isEmpty()) {
            allSent();
        }
    }

    private void allSent() {
        if (closeWhenSent != null) {
            close();
            closeWhenSent.run();
        } else if (halfCloseDone != null) {
            Runnable done = halfCloseDone;
            halfCloseDone = null;
            halfCloseFailed = null;
            shutdownOutput(done);
        }
    }

    @Override
    public boolean isWritable() {
        return unsent.isWritable();
    }

    @Override
    public boolean isInputShutdown() {
        return inputShutdown;
    }

    @Override
    public void passHalfClose(Runnable bothDone, Consumer<Throwable> failed) {
        if (inputShutdown) {
            bothDone.run();
        } else if (unsent.isEmpty()) {
            shutdownOutput(bothDone);
        } else {
            halfCloseDone = bothDone;
            halfCloseFailed = failed;
        }
    }

    private void shutdownOutput(Runnable bothDone) {
        outputShutdown = true;
        if (!ChannelPeer.shutdownOutput(socket) || inputShutdown) {
            bothDone.run();
        }
    }

    @Override
    public void closeOnFlush(Runnable afterwards) {
        if (unsent.isEmpty() || !isConnected || outputShutdown) {
            close();
            afterwards.run();
        } else {
            closeWhenSent = afterwards;
        }
    }

    /**
     * The socket failed reading or sending: while a client's half-close waited to be passed on, as that failing;
     * otherwise a reset ends the connection like a close, anything else as an error.
     */
    private void fail(IOException cause) {
        Consumer<Throwable> failedHalfClose = halfCloseFailed;
        halfCloseDone = null;
        halfCloseFailed = null;
        if (failedHalfClose != null) {
            failedHalfClose.accept(cause);
        } else {
            Relay.recordFailure(record, Relay.BACKEND, cause);
        }
        closeBoth();
    }

    private void closeBoth() {
        clientPeer.closeOnFlush();
        close();
    }

    /**
     * Closes the socket first and cancels its registration after: the kernel takes a closed socket out of the epoll
     * set itself, and Netty, seeing it closed, spares the EPOLL_CTL_DEL.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancelConnectTimeout();
        unsent.release();
        try {
            socket.close();
        } catch (IOException e) {
            record.end(Outcome.ERROR, Relay.BACKEND + ": closing its socket failed: " + e.getMessage());
        }
        if (registration != null) {
            registration.cancel();
        }
    }

    private void cancelConnectTimeout() {
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
            connectTimeout = null;
        }
    }
}
