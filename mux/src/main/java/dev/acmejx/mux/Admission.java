package dev.acmejx.mux;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code --max-connections}, decided as each listener accepts, on one counter shared by all listeners and event
 * loops, so the limit is exact: the connections refused are those accepted while the limit was reached.
 */
@Sharable
final class Admission extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("acmejx.over-limit");

    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();

    Admission(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        if (open.incrementAndGet() > maxConnections) {
            child.attr(REFUSED).set(true);
        }
        child.closeFuture().addListener(closed -> open.decrementAndGet());
        ctx.fireChannelRead(msg);
    }

    /** Whether this connection came over the limit and must be closed at once. */
    static boolean refused(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(REFUSED).get());
    }
}
