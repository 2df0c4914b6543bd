package dev.acmejx.responder;

import dev.acmejx.mux.ClientHello;
import dev.acmejx.mux.ConnectionRecord;
import dev.acmejx.mux.Outcome;
import dev.acmejx.mux.RouteTarget;
import dev.acmejx.responder.PendingChallenges.PreparedChallenge;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Answers one validation connection with a prepared challenge: the TLS handshake with its certificate, no
 * application data, then close. Everything a validator checks is in the handshake (the certificate, and for
 * tls-alpn-01 the negotiated protocol), so there is nothing to say after it, and closing at once frees the
 * connection for the validator's next attempt.
 */
final class ChallengeAnswer implements RouteTarget {

    private final String route;
    private final PreparedChallenge challenge;

    ChallengeAnswer(String route, PreparedChallenge challenge) {
        this.route = route;
        this.challenge = challenge;
    }

    @Override
    public void accept(Channel channel, ClientHello hello, ByteBuf buffered) {
        SslHandler ssl = new SslHandler(challenge.tls().newEngine());
        channel.pipeline().addLast(ssl, new CloseOnError());
        ConnectionRecord record = ConnectionRecord.of(channel);
        String what = challenge.type() + " for " + challenge.name();
        ssl.handshakeFuture().addListener(done -> {
            if (done.isSuccess()) {
                record.end(Outcome.ANSWERED, what + ", " + ssl.engine().getSession().getProtocol());
            } else {
                record.end(Outcome.ERROR, what + ": handshake failed: " + done.cause().getMessage());
            }
            channel.close();
        });
        channel.pipeline().fireChannelRead(buffered);
    }

    @Override
    public String name() {
        return route;
    }

    /** Ends the pipeline: handshake failures are already logged by the handshake listener. */
    private static final class CloseOnError extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
