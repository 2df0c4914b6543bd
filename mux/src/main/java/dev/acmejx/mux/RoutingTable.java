package dev.acmejx.mux;

import java.util.List;

/** The configured routes in order, first match wins, and the default backend for everything else. */
public final class RoutingTable implements Router {

    private final List<RouteRule> rules;
    private final RouteTarget fallback;

    public RoutingTable(List<RouteRule> rules, RouteTarget fallback) {
        this.rules = List.copyOf(rules);
        this.fallback = fallback;
    }

    @Override
    public RouteTarget route(ClientHello hello) {
        for (RouteRule rule : rules) {
            if (rule.matches(hello)) {
                return rule.target();
            }
        }
        return fallback;
    }
}
