package dev.acmejx.cli.control;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.nio.NioChannelOption;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.UserPrincipal;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Lets a control client through only when the kernel says it runs as the user that owns the socket, or as root.
 * The socket's 0600 mode already keeps other users out; this is the second lock, for a directory or mode that an
 * administrator loosened by mistake. A refused client gets one error line, then the connection closes.
 */
final class PeerCredentialCheck extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger("acmejx.control");
    private final UserPrincipal owner;

    PeerCredentialCheck(UserPrincipal owner) {
        this.owner = owner;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        UnixDomainPrincipal peer = ctx.channel().config()
                .getOption(NioChannelOption.of(ExtendedSocketOptions.SO_PEERCRED));
        if (peer != null && ControlProtocol.trusted(peer.user(), owner)) {
            ctx.pipeline().remove(this);
            ctx.fireChannelActive();
            return;
        }
        // Not one byte of a refused client is read: the answer is written and the connection closed.
        ctx.channel().config().setAutoRead(false);
        String who = peer == null ? "a client the kernel gave no credentials for" : "user " + peer.user().getName();
        LOG.log(Level.WARNING, "control: refused {0}; only {1} and root may use this socket", who, owner.getName());
        String answer = ControlRequests.error("refused: only " + owner.getName() + " and root may use this socket");
        ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(answer.getBytes(StandardCharsets.UTF_8)))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
