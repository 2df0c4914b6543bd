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
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.ssl.SslHandler;
import java.util.Optional;

/**
 * Answers tls-alpn-01 validation connections: a TLS handshake with the prepared challenge certificate, ALPN
 * {@code acme-tls/1} negotiated, no application data, then close (RFC 8737 §3). A hello that offers
 * {@code acme-tls/1} for a name with nothing pending gets no certificate at all, never the site's: the
 * connection is closed before any TLS byte is sent, and the validator reports a connection error.
 */
public final class AcmeTlsResponder {

    private final PendingChallenges challenges;

    public AcmeTlsResponder(PendingChallenges challenges) {
        this.challenges = challenges;
    }

    /**
     * The responder's claim on a connection: every hello that offers {@code acme-tls/1} is the responder's,
     * answered or refused; anything else is not (empty).
     */
    public Optional<RouteTarget> targetFor(ClientHello hello) {
        if (!hello.offers(TlsAlpnCertificates.ACME_TLS_1)) {
            return Optional.empty();
        }
        Optional<PreparedChallenge> challenge = hello.serverName().flatMap(challenges::find);
        return Optional.of(challenge.<RouteTarget>map(Answer::new)
                .orElseGet(() -> RouteTarget.close("responder", "acme-tls/1 without a pending challenge")));
    }

    private static final class Answer implements RouteTarget {

        private final PreparedChallenge challenge;

        Answer(PreparedChallenge challenge) {
            this.challenge = challenge;
        }

        @Override
        public void accept(Channel channel, ClientHello hello, ByteBuf buffered) {
            SslHandler ssl = challenge.sslContext().newHandler(channel.alloc());
            channel.pipeline().addLast(ssl, new CloseOnError());
            ConnectionRecord record = ConnectionRecord.of(channel);
            ssl.handshakeFuture().addListener(done -> {
                if (done.isSuccess()) {
                    record.end(Outcome.ANSWERED, "tls-alpn-01 for " + challenge.identifier().value() + ", "
                            + ssl.engine().getSession().getProtocol());
                } else {
                    record.end(Outcome.ERROR, "tls-alpn-01 handshake for " + challenge.identifier().value()
                            + " failed: " + done.cause().getMessage());
                }
                channel.close();
            });
            channel.pipeline().fireChannelRead(buffered);
        }

        @Override
        public String name() {
            return "responder";
        }
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
