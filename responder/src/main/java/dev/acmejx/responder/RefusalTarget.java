package dev.acmejx.responder;

import dev.acmejx.mux.ClientHello;
import dev.acmejx.mux.ConnectionRecord;
import dev.acmejx.mux.Outcome;
import dev.acmejx.mux.RouteTarget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/**
 * Turns away a validator whose SNI has nothing pending: a fatal {@code unrecognized_name} alert in place of the
 * ServerHello, then close. RFC 6066 §3 lets a server abort the handshake with exactly this alert when it does not
 * recognise the requested name, and that is the situation: no challenge was published for it, or it was withdrawn
 * or expired. The validator then reports an alert that names the cause instead of a bare connection reset, and no
 * certificate is presented at all, least of all the site's.
 */
final class RefusalTarget implements RouteTarget {

    /**
     * One plaintext alert record: content type alert (21), record version 3.3 (what TLS 1.3 also puts on every
     * record after the first ClientHello), length 2, level fatal (2), description unrecognized_name (112).
     */
    private static final byte[] UNRECOGNIZED_NAME = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x70};

    private final String route;
    private final String why;

    /**
     * @param route the route name for the log line and the metrics label
     * @param why the detail the log line gives
     */
    RefusalTarget(String route, String why) {
        this.route = route;
        this.why = why;
    }

    @Override
    public void accept(Channel channel, ClientHello hello, ByteBuf buffered) {
        buffered.release();
        ConnectionRecord.of(channel).end(Outcome.REFUSED, why);
        channel.writeAndFlush(Unpooled.wrappedBuffer(UNRECOGNIZED_NAME)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public String name() {
        return route;
    }
}
