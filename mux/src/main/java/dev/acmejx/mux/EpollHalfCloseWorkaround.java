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
 * <p>Here an empty interest set is submitted as EPOLLERR alone. The kernel always reports errors and hang-ups
 * whatever the mask says, so for epoll that is the same as an empty set, except that the socket stays in the set
 * and a later EPOLL_CTL_MOD finds it (what Netty did before #16689). The one cost #16689 was about: a socket shut
 * both ways but left open keeps reporting a hang-up until it is closed; the relay closes such a connection at once.
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
        return new KeptRegistration(netty.register(handle));
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

    /** Netty's registration, never asked for an empty interest set. */
    private record KeptRegistration(IoRegistration netty) implements IoRegistration {

        @Override
        public long submit(IoOps ops) {
            boolean empty = ops instanceof EpollIoOps epollOps && epollOps.value() == EpollIoOps.NONE.value();
            return netty.submit(empty ? EpollIoOps.EPOLLERR : ops);
        }

        @Override
        public <T> T attachment() {
            return netty.attachment();
        }

        @Override
        public boolean isValid() {
            return netty.isValid();
        }

        @Override
        public boolean cancel() {
            return netty.cancel();
        }
    }
}
