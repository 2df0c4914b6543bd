package dev.acmejx.mux;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code --idle-timeout}: closes a relayed connection that moved no byte either way for that long. It watches the
 * connection's byte counters from a timer instead of stamping every read and write, so the relay's hot path does no
 * work for it (Netty's {@code IdleStateHandler} costs a promise and a listener per write). The counters are checked
 * every quarter of the timeout and the connection is closed after four quiet checks in a row: between 1 and 1.25
 * times the timeout after its last byte. Sits on the client's channel; ending it stops the timer, so a closed
 * connection is not kept in memory until the next check.
 */
final class IdleTimeout extends ChannelInboundHandlerAdapter implements Runnable {

    private static final int CHECKS_PER_TIMEOUT = 4;

    private final ConnectionRecord record;
    private final long checkNanos;
    private ChannelHandlerContext ctx;
    private Future<?> nextCheck;
    private long bytesSeen;
    private int quietChecks;

    IdleTimeout(ConnectionRecord record, Duration timeout) {
        this.record = record;
        this.checkNanos = Math.max(1, TimeUnit.NANOSECONDS.convert(timeout) / CHECKS_PER_TIMEOUT); // saturates
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        bytesSeen = bytesMoved();
        scheduleCheck();
    }

    @Override
    public void run() {
        long bytes = bytesMoved();
        if (bytes != bytesSeen) {
            bytesSeen = bytes;
            quietChecks = 0;
        } else if (++quietChecks == CHECKS_PER_TIMEOUT) {
            record.end(Outcome.IDLE_TIMEOUT, "no traffic either way");
            ctx.close();
            return;
        }
        scheduleCheck();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void stop() {
        if (nextCheck != null) {
            nextCheck.cancel(false);
        }
    }

    private void scheduleCheck() {
        if (ctx.channel().isActive()) {
            nextCheck = ctx.executor().schedule(this, checkNanos, TimeUnit.NANOSECONDS);
        }
    }

    private long bytesMoved() {
        return record.bytesUp() + record.bytesDown();
    }
}
