package dev.acmejx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/** Every HOST:PORT option is checked while parsing: a bad one is a usage error naming it, never a stack trace. */
class AddressConvertersTest {

    @TempDir
    Path dir;

    @Test
    void listenAddressesAreLiteral() {
        assertEquals(new InetSocketAddress("127.0.0.1", 9100),
                new AddressConverters.Listen().convert("127.0.0.1:9100"));
        assertEquals(new InetSocketAddress(443), new AddressConverters.Listen().convert(":443"));
        TypeConversionException e = assertThrows(TypeConversionException.class,
                () -> new AddressConverters.Listen().convert("localhost:9100"));
        assertTrue(e.getMessage().contains("'localhost:9100'") && e.getMessage().contains("HOST:PORT"),
                e.getMessage());
    }

    @Test
    void backendsMayBeNamesThatResolve() {
        assertEquals(8443, new AddressConverters.Backend().convert("localhost:8443").getPort());
        TypeConversionException e = assertThrows(TypeConversionException.class,
                () -> new AddressConverters.Backend().convert("127.0.0.1"));
        assertTrue(e.getMessage().contains("'127.0.0.1'") && e.getMessage().contains("HOST:PORT"), e.getMessage());
    }

    @Test
    void routesAreCheckedWithTheirTarget() {
        assertEquals(9443, new AddressConverters.Route().convert("sni=a.test -> 127.0.0.1:9443").backend().getPort());
        TypeConversionException e = assertThrows(TypeConversionException.class,
                () -> new AddressConverters.Route().convert("sni=a.test -> nowhere"));
        assertTrue(e.getMessage().contains("'sni=a.test -> nowhere'") && e.getMessage().contains("HOST:PORT"),
                e.getMessage());
    }

    @Test
    void acmeInvalidIsTheResponderOrAPort() {
        assertEquals(Optional.empty(), new AddressConverters.AcmeInvalid().convert("responder").port());
        assertEquals(Optional.of(new InetSocketAddress("127.0.0.1", 4443)),
                new AddressConverters.AcmeInvalid().convert("127.0.0.1:4443").port());
        TypeConversionException e = assertThrows(TypeConversionException.class,
                () -> new AddressConverters.AcmeInvalid().convert("responer"));
        assertTrue(e.getMessage().contains("responder") && e.getMessage().contains("'responer'"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"--listen,bogus", "--backend,bogus", "--metrics,bogus", "--acme-invalid,bogus",
            "--route,sni=a.test -> bogus"})
    void aBadValueOnTheCommandLineIsAUsageError(String option, String value) {
        Run run = Run.of("serve", option, value);

        assertEquals(2, run.exit(), run.err());
        assertUsageError(run, option, value);
    }

    @Test
    void aBadValueInTheConfigFileIsAUsageErrorToo() throws Exception {
        Path config = Files.writeString(dir.resolve("serve.yaml"), "metrics: bogus\n");

        Run run = Run.of("serve", "--config", config.toString());

        assertEquals(2, run.exit(), run.err());
        assertUsageError(run, "--metrics", "bogus");
        assertTrue(run.err().contains("(in --config " + config + ")"), run.err());
    }

    @Test
    void aBadValueOnTheCommandLineIsNotBlamedOnTheConfigFile() throws Exception {
        Path config = Files.writeString(dir.resolve("serve.yaml"), "metrics: 127.0.0.1:9100\n");

        Run run = Run.of("serve", "--config", config.toString(), "--backend", "nowhere");

        assertUsageError(run, "--backend", "nowhere");
        assertFalse(run.err().contains("(in --config"), run.err());
    }

    private static void assertUsageError(Run run, String option, String value) {
        assertTrue(run.err().contains("Invalid value for option '" + option + "'"), run.err());
        assertTrue(run.err().contains("'" + value + "'") && run.err().contains("HOST:PORT"), run.err());
        assertFalse(run.err().contains("internal error") || run.err().contains("\tat "), run.err());
    }

    /** What {@link Main#run} printed to stderr, and its exit code. */
    private record Run(int exit, String err) {

        static Run of(String... args) {
            CommandLine commandLine = Main.commandLine(args[0]);
            StringWriter err = new StringWriter();
            commandLine.setErr(new PrintWriter(err, true));
            return new Run(Main.run(commandLine, args), err.toString());
        }
    }

}
