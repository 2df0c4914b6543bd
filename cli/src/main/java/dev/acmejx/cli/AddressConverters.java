package dev.acmejx.cli;

import dev.acmejx.mux.BackendAddress;
import dev.acmejx.mux.ListenAddress;
import dev.acmejx.mux.RouteRule;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code HOST:PORT} options, checked while the command line (or {@code --config} file) is parsed, as
 * {@link DurationConverter} checks durations: a bad value is picocli's usage error naming the option, the value
 * and the expected form, with exit 2, not an exception from the middle of start-up.
 */
final class AddressConverters {

    private AddressConverters() {
    }

    /** Where to accept: a literal address in {@link ListenAddress}'s forms ({@code 0.0.0.0:443}, {@code :443}, …). */
    static final class Listen implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            return converted(value, ListenAddress::parse);
        }
    }

    /** Where to connect: {@link BackendAddress}'s forms, a host name resolved now. */
    static final class Backend implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            return converted(value, BackendAddress::parse);
        }
    }

    /** A {@code --route} rule, its {@code -> HOST:PORT} included. */
    static final class Route implements ITypeConverter<RouteRule.Written> {
        @Override
        public RouteRule.Written convert(String value) {
            return converted(value, RouteRule::parse);
        }
    }

    /** {@code --acme-invalid}: {@value AcmeInvalid#RESPONDER}, or a backend to forward {@code *.acme.invalid} to. */
    static final class AcmeInvalid implements ITypeConverter<AcmeInvalid.Target> {

        static final String RESPONDER = "responder";

        /** @param port empty for the built-in legacy responder */
        record Target(Optional<InetSocketAddress> port) {
        }

        @Override
        public Target convert(String value) {
            if (value.trim().equals(RESPONDER)) {
                return new Target(Optional.empty());
            }
            try {
                return new Target(Optional.of(BackendAddress.parse(value)));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("neither " + RESPONDER + " nor a HOST:PORT: " + e.getMessage());
            }
        }
    }

    private static <T> T converted(String value, Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
