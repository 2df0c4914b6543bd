package dev.acmejx.mux;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.util.concurrent.ThreadAwareExecutor;

/**
 * Netty's epoll {@link IoHandler} with one bug worked around. In Netty 4.2.18, when a channel's interest set becomes
 * empty, its registration takes the socket out of the epoll set (EPOLL_CTL_DEL, netty/netty#16689) but still counts
 * it as added, so the next interest it asks for is an EPOLL_CTL_MOD that fails with ENOENT, and Netty closes the
 * channel. A relayed connection gets there as soon as its client half-closes: the input is shut (no EPOLLRDHUP),
 * nothing is read (no EPOLLIN) and nothing waits to be written (no EPOLLOUT); the first response write that does
 * not fit the socket buffer then asks for EPOLLOUT, and the response is cut.
 *
 * <p>Here a registration that Netty emptied is replaced by a fresh one when the channel next asks for an event: the
 * fresh one starts out of the epoll set and adds the socket (EPOLL_CTL_ADD). So the kernel sees what Netty meant,
 * no events for a socket that wants none, and nothing else changes.
 */
final class EpollHalfCloseWorkaround implements IoHandler {

    private final IoHandler netty;

    private EpollHalfCloseWorkaround(IoHandler netty) {
        this.netty = netty;
    }

    static IoHandlerFactory newFactory() {
        IoHandlerFactory netty = EpollIoHandler.newFactory();
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor executor) {
                return new EpollHalfCloseWorkaround(netty.newHandler(executor));
            }

            @Override
            public boolean isChangingThreadSupported() {
                return netty.isChangingThreadSupported();
            }
        };
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return new Reregistering(handle, netty.register(handle));
    }

    @Override
    public void initialize() {
        netty.initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
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

    /** Netty's registration of one channel, replaced after Netty took the socket out of the epoll set. */
    private final class Reregistering implements IoRegistration {

        private final IoHandle handle;
        private IoRegistration registration;
        private boolean outOfTheSet;

        Reregistering(IoHandle handle, IoRegistration registration) {
            this.handle = handle;
            this.registration = registration;
        }

        /** Called on the channel's event loop, like everything else here. */
        @Override
        public long submit(IoOps ops) {
            boolean empty = ops instanceof EpollIoOps epollOps && epollOps.value() == EpollIoOps.NONE.value();
            if (outOfTheSet && !empty && registration.isValid()) {
                registration.cancel();
                try {
                    registration = netty.register(handle);
                } catch (Exception e) {
                    throw new IllegalStateException("registering " + handle + " with epoll again failed", e);
                }
            }
            outOfTheSet = empty;
            return registration.submit(ops);
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
