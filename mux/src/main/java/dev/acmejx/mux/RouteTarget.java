package dev.acmejx.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Where a connection goes once its ClientHello is known: forwarded somewhere, or handed to a local handler such
 * as the challenge responder. The mux itself knows nothing of what a target does.
 */
public interface RouteTarget {

    /**
     * Takes the connection over. The peek handler is already out of the pipeline.
     *
     * @param channel the client connection, auto-read still on
     * @param hello what the client asked for
     * @param buffered every byte received so far, ClientHello included; the target owns (and must release or
     *     pass on) this buffer and replays it to wherever the connection goes, even when it throws
     */
    void accept(Channel channel, ClientHello hello, ByteBuf buffered);

    /** A short name for log lines, such as {@code responder} or {@code 127.0.0.1:8443}. */
    String name();

    /**
     * A target that closes the connection without a TLS byte, for hellos nobody should answer.
     *
     * @param name one word, for the log line's route field and the metrics label
     * @param why the detail the log line gives
     */
    static RouteTarget close(String name, String why) {
        return new RouteTarget() {
            @Override
            public void accept(Channel channel, ClientHello hello, ByteBuf buffered) {
                ConnectionRecord.of(channel).end(Outcome.REFUSED, why);
                buffered.release();
                channel.close();
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
