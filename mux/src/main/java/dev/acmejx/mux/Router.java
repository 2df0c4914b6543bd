package dev.acmejx.mux;

/** Chooses the target of a connection from its ClientHello; called on the connection's event loop, must not block. */
@FunctionalInterface
public interface Router {

    RouteTarget route(ClientHello hello);
}
