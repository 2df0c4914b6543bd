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
import java.util.ArrayList;
import java.util.List;

/**
 * Netty's epoll {@link IoHandler} with two of its defects (Netty 4.2.18) corrected. A proxy meets both under load,
 * because it closes and opens sockets all the time.
 *
 * <p><b>A half-closed socket stops getting events.</b> When a channel's interest set becomes empty, Netty takes the
 * socket out of the epoll set (EPOLL_CTL_DEL, netty/netty#16689) but still counts it as added. The next interest it
 * asks for is then an EPOLL_CTL_MOD that fails with ENOENT, and Netty closes the channel. A relayed connection gets
 * there as soon as its client half-closes: the input is shut (no EPOLLRDHUP), nothing is read (no EPOLLIN) and
 * nothing waits to be written (no EPOLLOUT). The first response write that does not fit the socket buffer then asks
 * for EPOLLOUT, and the response is cut. Here an empty interest set is submitted as {@code EPOLLET} alone: the socket
 * stays in the set, so the next interest is an ordinary EPOLL_CTL_MOD, and the kernel wakes the loop for a hang-up
 * or an error once (edge-triggered) instead of over and over, which is what Netty's removal guards against. As
 * with the removal, such an error surfaces at the channel's next read or write, or at the idle timeout. That also spares the
 * EPOLL_CTL_DEL on close that failed for every such socket, with an exception and its stack trace each time.
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
 * <p>The registration also leaves out interest updates that change nothing, and makes at most one per socket between
 * two waits for events (see {@link CorrectedRegistration}).
 */
final class CorrectedEpollIoHandler implements IoHandler {

    private final IoHandler netty;
    /** Counts the batches: each {@link #run} is one epoll_wait and the handling of the events it returned. */
    private long batch;
    /** Registrations whose interest changed since the last wait, to be handed to the kernel before the next. */
    private final List<CorrectedRegistration> changed = new ArrayList<>();

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
        return new CorrectedRegistration(netty.register(batchAware), changed);
    }

    @Override
    public void initialize() {
        netty.initialize();
    }

    /** Netty's run waits for events first: what the channels want must be in the kernel by then. */
    @Override
    public int run(IoHandlerContext context) {
        for (CorrectedRegistration registration : changed) {
            registration.applyInterest();
        }
        changed.clear();
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

    /** A channel's handle that ignores events from the batch in which it was registered. */
    private final class BatchAwareHandle implements EpollIoHandle {

        private final EpollIoHandle channel;
        private final long registeredIn;

        BatchAwareHandle(EpollIoHandle channel) {
            this.channel = channel;
            this.registeredIn = batch;
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
     * Netty's registration of one channel, given {@code EPOLLET} alone for an empty interest set (see above). It hands
     * the kernel a channel's interest once before each wait for events, not at every change: the interest only counts
     * when the loop waits, and a proxy changes it several times in one pass. Connecting, for one, clears EPOLLOUT and
     * then, after the first write, asks for EPOLLIN; a connection closed in the pass that changed its interest needs
     * no update at all. That saves about two {@code epoll_ctl} calls per forwarded connection, and the update that
     * changes nothing, which Netty makes once per connect, is left out as before.
     */
    private static final class CorrectedRegistration implements IoRegistration {

        private static final long NOTHING_SUBMITTED = -1;

        private final IoRegistration registration;
        private final List<CorrectedRegistration> changed;
        private long submitted = NOTHING_SUBMITTED;
        private EpollIoOps wanted;

        CorrectedRegistration(IoRegistration registration, List<CorrectedRegistration> changed) {
            this.registration = registration;
            this.changed = changed;
        }

        /**
         * Called on the channel's event loop, like everything else here. An invalid registration goes to Netty at
         * once, so that it fails as Netty's own would.
         */
        @Override
        public long submit(IoOps ops) {
            EpollIoOps asked = (EpollIoOps) ops;
            EpollIoOps interest = asked.value() == EpollIoOps.NONE.value() ? EpollIoOps.EPOLLET : asked;
            if (!registration.isValid()) {
                return registration.submit(interest);
            }
            if (wanted == null) {
                changed.add(this);
            }
            wanted = interest;
            return interest.value();
        }

        /** Hands the kernel the interest last asked for, unless it is already there or the channel is gone. */
        void applyInterest() {
            EpollIoOps interest = wanted;
            wanted = null;
            if (interest.value() != submitted && registration.isValid()) {
                submitted = registration.submit(interest);
            }
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
