package dev.acmejx.mux;

import io.netty.channel.IoEvent;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.ThreadAwareExecutor;

/**
 * Netty's epoll {@link IoHandler} with two of its defects (Netty 4.2.18) corrected. A proxy meets both under load,
 * because it closes and opens sockets all the time.
 *
 * <p><b>A half-closed socket stops getting events.</b> When a channel's interest set becomes empty, Netty takes the
 * socket out of the epoll set (EPOLL_CTL_DEL, netty/netty#16689) but still counts it as added. The next interest it
 * asks for is then an EPOLL_CTL_MOD that fails with ENOENT, and Netty closes the channel. A relayed connection gets
 * there as soon as its client half-closes: the input is shut (no EPOLLRDHUP), nothing is read (no EPOLLIN) and
 * nothing waits to be written (no EPOLLOUT). The first response write that does not fit the socket buffer then asks
 * for EPOLLOUT, and the response is cut. Here a registration that Netty emptied is replaced by a fresh one when the
 * channel next asks for an event; the fresh one adds the socket again (EPOLL_CTL_ADD).
 *
 * <p><b>A new socket gets an old socket's events.</b> Netty looks up who an event is for by file descriptor number
 * alone. A socket closed while one batch of events is being handled frees its number, and a backend connect later in
 * the same batch is given that number. The closed socket's events still waiting in the batch (a reset, an EOF) are
 * then handed to the connecting socket. Its read fails with ENOTCONN, and a healthy connection is torn down as
 * "NotYetConnectedException", a few per 10,000 under {@code Connection: close} load (netty/netty#10298). Here
 * events are dropped for a socket registered during the batch they arrived in. That loses nothing: such a socket was
 * added to the epoll set after the batch was read, and EPOLL_CTL_ADD reports whatever the socket is already ready
 * for in the next batch.
 *
 * <p>The registration also leaves out interest updates that change nothing (see {@link Reregistering}).
 */
final class CorrectedEpollIoHandler implements IoHandler {

    private final IoHandler netty;
    /** Counts the batches: each {@link #run} is one epoll_wait and the handling of the events it returned. */
    private long batch;

    private CorrectedEpollIoHandler(IoHandler netty) {
        this.netty = netty;
    }

    static IoHandlerFactory newFactory() {
        IoHandlerFactory netty = EpollIoHandler.newFactory();
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor executor) {
                return new CorrectedEpollIoHandler(netty.newHandler(executor));
            }

            @Override
            public boolean isChangingThreadSupported() {
                return netty.isChangingThreadSupported();
            }
        };
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        BatchAwareHandle batchAware = new BatchAwareHandle((EpollIoHandle) handle);
        return new Reregistering(batchAware, netty.register(batchAware));
    }

    @Override
    public void initialize() {
        netty.initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
        batch++;
        return netty.run(context);
    }

    @Override
    public void prepareToDestroy() {
        netty.prepareToDestroy();
    }

    @Override
    public void destroy() {
        netty.destroy();
    }

    @Override
    public void wakeup() {
        netty.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return netty.isCompatible(handleType);
    }

    /** A channel's handle that ignores events from the batch in which it was (re)registered. */
    private final class BatchAwareHandle implements EpollIoHandle {

        private final EpollIoHandle channel;
        private long registeredIn;

        BatchAwareHandle(EpollIoHandle channel) {
            this.channel = channel;
            this.registeredIn = batch;
        }

        void registeredAgain() {
            registeredIn = batch;
        }

        @Override
        public FileDescriptor fd() {
            return channel.fd();
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            if (registeredIn != batch) {
                channel.handle(registration, event);
            }
        }

        @Override
        public void registered() {
            channel.registered();
        }

        @Override
        public void unregistered() {
            channel.unregistered();
        }

        @Override
        public void close() throws Exception {
            channel.close();
        }
    }

    /**
     * Netty's registration of one channel, replaced after Netty took the socket out of the epoll set. It also skips
     * an interest update that changes nothing, which Netty makes once per connect (the interest set is submitted
     * again when the connect completes): one {@code epoll_ctl} call per backend connection.
     */
    private final class Reregistering implements IoRegistration {

        private static final long NOTHING_SUBMITTED = -1;

        private final BatchAwareHandle handle;
        private IoRegistration registration;
        /** What the current registration was last given; NONE means Netty took the socket out of the set. */
        private long submitted = NOTHING_SUBMITTED;

        Reregistering(BatchAwareHandle handle, IoRegistration registration) {
            this.handle = handle;
            this.registration = registration;
        }

        /** Called on the channel's event loop, like everything else here. */
        @Override
        public long submit(IoOps ops) {
            long value = ((EpollIoOps) ops).value();
            if (value == submitted && registration.isValid()) {
                return value;
            }
            if (submitted == EpollIoOps.NONE.value() && registration.isValid()) {
                registration.cancel();
                try {
                    handle.registeredAgain();
                    registration = netty.register(handle);
                } catch (Exception e) {
                    throw new IllegalStateException("registering " + handle.fd() + " with epoll again failed", e);
                }
            }
            submitted = registration.submit(ops);
            return submitted;
        }

        @Override
        public <T> T attachment() {
            return registration.attachment();
        }

        @Override
        public boolean isValid() {
            return registration.isValid();
        }

        @Override
        public boolean cancel() {
            return registration.cancel();
        }
    }
}
