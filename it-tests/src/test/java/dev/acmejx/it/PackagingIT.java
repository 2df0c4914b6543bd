package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files in {@code packaging/}: systemd accepts the units, they keep the sandbox the README promises (a test
 * fails when someone drops a setting), the cron line is well-formed, and the wrapper runs the built jar.
 *
 * <p>{@code systemd-analyze verify} needs no running systemd (it works in a container) but checks that each
 * ExecStart program exists and is executable, so it runs on copies whose {@code /usr/bin/acmejx} is
 * rewritten to a copy of the wrapper in a temp dir. It does not look {@code User=acmejx} up (systemd 252), so the
 * machine needs no such user and the test creates none. It prints problems it can live with (an unknown key, a
 * value it cannot parse) as warnings and still exits 0: any output on stderr fails the test too. {@code --man=no}:
 * {@code Documentation=man:acmejx(1)} is installed with the package, not by the build.
 */
class PackagingIT {

    private static final Path PACKAGING = Paths.repo().resolve("packaging");
    private static final Path SYSTEMD = PACKAGING.resolve("systemd");
    private static final List<String> UNITS = List.of("acmejx.service", "acmejx.socket", "acmejx-renew.service",
            "acmejx-renew.timer");
    private static final String BINARY = "/usr/bin/acmejx";
    /** The wrapper's line naming the installed jar, which the wrapper test points at the built one. */
    private static final String WRAPPER_JAR = "jar=/usr/share/acmejx/acmejx.jar";
    private static final String CONFIG_DIR = "/etc/letsencrypt";
    /**
     * {@code systemd-analyze security}'s exposure, in tenths: 1.8 and 1.9 for the two services at the time of
     * writing ("OK"); 3.0 leaves room for new checks in later systemd versions but not for a sandbox taken apart.
     */
    private static final int MAX_EXPOSURE = 30;

    @TempDir
    Path dir;

    @Test
    void systemdAcceptsTheUnits() throws IOException {
        List<String> command = new ArrayList<>(List.of(systemdAnalyze(), "verify", "--man=no"));
        installedCopies().forEach(unit -> command.add(unit.toString()));

        Command.Result result = Command.run(command, Map.of(), Duration.ofSeconds(60));

        assertEquals(0, result.exit(), result.describe("verify failed"));
        assertEquals("", result.err(), result.describe("verify warned"));
    }

    @Test
    void theServicesStaySandboxed() throws IOException {
        String analyze = systemdAnalyze();
        for (Path unit : installedCopies()) {
            if (unit.toString().endsWith(".service")) {
                Command.run(List.of(analyze, "security", "--offline=true", "--threshold=" + MAX_EXPOSURE,
                        "--no-pager", unit.toString()), Map.of(), Duration.ofSeconds(60))
                        .assertSuccess();
            }
        }
    }

    @Test
    void serveRunsUnprivilegedWithOnlyThePortCapability() throws IOException {
        Map<String, List<String>> service = section("acmejx.service", "Service");

        assertEquals(List.of(BINARY + " serve"), service.get("ExecStart"));
        assertUnprivilegedAndConfined(service);
        assertEquals(List.of("acmejx"), service.get("RuntimeDirectory"), "the control socket's /run/acmejx");
        assertEquals(List.of("on-failure"), service.get("Restart"));
        assertEquals(List.of("SIGTERM"), service.get("KillSignal"), "serve drains on SIGTERM");
        assertTrue(seconds(single(service, "TimeoutStopSec")) > 30,
                "TimeoutStopSec must exceed serve's 30 s --grace, or systemd kills it while it drains");
        assertTrue(Long.parseLong(single(service, "LimitNOFILE")) > 2 * 65536,
                "two descriptors per connection at serve's default --max-connections of 65536");
        assertEquals("multi-user.target", single(section("acmejx.service", "Install"), "WantedBy"));
    }

    @Test
    void theSocketUnitHoldsBothFamiliesOf443ForServeAndCanShareThePort() throws IOException {
        Map<String, List<String>> socket = section("acmejx.socket", "Socket");

        assertEquals(List.of("0.0.0.0:443", "[::]:443"), socket.get("ListenStream"));
        assertEquals(List.of("ipv6-only"), socket.get("BindIPv6Only"), "one socket per family");
        assertEquals(List.of("yes"), socket.get("ReusePort"), "the cutover binds beside nginx's reuseport :443");
        assertEquals(List.of(SocketUnit.NAME), socket.get("FileDescriptorName"));
        assertFalse(socket.containsKey("Accept"), "one serve takes the listening sockets, not one per connection");
        assertEquals("sockets.target", single(section("acmejx.socket", "Install"), "WantedBy"));
    }

    @Test
    void renewRunsAsServesUserWithoutTakingItsRuntimeDirectory() throws IOException {
        Map<String, List<String>> service = section("acmejx-renew.service", "Service");

        assertEquals(List.of("oneshot"), service.get("Type"));
        assertTrue(single(service, "ExecStart").startsWith(BINARY + " renew"), "ExecStart= runs acmejx renew");
        assertUnprivilegedAndConfined(service);
        assertFalse(service.containsKey("RuntimeDirectory"),
                "renew must not declare RuntimeDirectory=: systemd would delete serve's socket when renew ends");
    }

    @Test
    void theTimerRenewsTwiceADayAtARandomizedTime() throws IOException {
        Map<String, List<String>> timer = section("acmejx-renew.timer", "Timer");

        Matcher calendar = Pattern.compile("\\*-\\*-\\* (\\d{1,2}),(\\d{1,2}):(\\d{2}):(\\d{2})")
                .matcher(single(timer, "OnCalendar"));
        assertTrue(calendar.matches(), "OnCalendar should name two hours of every day: " + timer.get("OnCalendar"));
        assertEquals(12, Math.abs(Integer.parseInt(calendar.group(2)) - Integer.parseInt(calendar.group(1))),
                "the two runs should be 12 hours apart");
        assertTrue(seconds(single(timer, "RandomizedDelaySec")) >= 600, "spread the runs over the hour");
        assertEquals("true", single(timer, "Persistent"));
        assertEquals("timers.target", single(section("acmejx-renew.timer", "Install"), "WantedBy"));
    }

    /**
     * Each line that is neither a comment nor a variable is five schedule fields, the user and the command (what
     * cron.d files hold, unlike a user's crontab, which has no user field).
     */
    @Test
    void theCronFileRunsRenewTwiceADayAsTheAcmejxUser() throws IOException {
        List<String> jobs = Files.readAllLines(PACKAGING.resolve("cron/acmejx")).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .filter(line -> !line.matches("[A-Za-z_][A-Za-z0-9_]*=.*"))
                .toList();

        assertEquals(1, jobs.size(), "one job: " + jobs);
        String[] fields = jobs.get(0).split("\\s+", 7);
        assertEquals(7, fields.length, "minute hour day month weekday user command: " + jobs.get(0));
        int[] maximum = {59, 23, 31, 12, 7};
        for (int i = 0; i < 5; i++) {
            assertTrue(fields[i].equals("*") || fields[i].matches("\\d+(,\\d+)*"), "field " + (i + 1) + ": " + fields[i]);
            for (String value : fields[i].split(",")) {
                assertTrue(value.equals("*") || Integer.parseInt(value) <= maximum[i], "out of range: " + fields[i]);
            }
        }
        assertEquals(2, fields[1].split(",").length, "twice a day: " + fields[1]);
        assertNotEquals("0", fields[0], "not on the hour, with everyone else's cron jobs");
        assertEquals("acmejx", fields[5]);
        assertEquals(BINARY + " renew -q", fields[6]);
        assertFalse(fields[6].contains("%"), "cron turns % into a newline");
    }

    /** The wrapper, pointed at the built jar, which sits in the installed layout (jar, lib/ beside it). */
    @Test
    void theWrapperRunsTheJarWithItsLibrariesBesideIt() throws IOException {
        String wrapper = Files.readString(PACKAGING.resolve("bin/acmejx"));
        assertTrue(wrapper.contains(WRAPPER_JAR), "the wrapper's jar path changed; update this test");
        Path copy = executable("acmejx", wrapper.replace(WRAPPER_JAR, "jar=" + Paths.jar()));

        Command.Result version = Command.run(copy.toString(), "--version").assertSuccess();
        assertTrue(version.out().startsWith("acmejx "), version.describe("no version line"));
        Command.Result serveHelp = Command.run(copy.toString(), "serve", "--help").assertSuccess();
        assertTrue(serveHelp.out().contains("--backend"), serveHelp.describe("not serve's help"));
    }

    /**
     * A java that lacks an option of serve.jvm-options (TrimNativeHeapInterval before 17.0.9) would only print
     * "Unrecognized VM option"; the wrapper says what serve needs. An installed layout whose options file names an
     * option no JVM has stands in for the old java.
     */
    @Test
    void serveOnAJavaThatLacksOneOfItsOptionsSaysWhichJavaItNeeds() throws IOException {
        Path installed = Files.createDirectories(dir.resolve("share"));
        Files.writeString(installed.resolve("serve.jvm-options"), "-XX:+UseSerialGC\n-XX:NoSuchOptionInAnyJvm=1\n");
        String wrapper = Files.readString(PACKAGING.resolve("bin/acmejx"));
        Path copy = executable("acmejx", wrapper.replace(WRAPPER_JAR, "jar=" + installed.resolve("acmejx.jar")));

        Command.Result serve = Command.run(copy.toString(), "serve", "--help");

        assertEquals(1, serve.exit(), serve.describe("serve started on options its java lacks"));
        assertTrue(serve.err().contains("serve needs Java 17.0.9 or later")
                && serve.err().contains("Unrecognized VM option 'NoSuchOptionInAnyJvm=1'"), serve.describe("no hint"));
    }

    private static void assertUnprivilegedAndConfined(Map<String, List<String>> service) {
        assertEquals(List.of("acmejx"), service.get("User"));
        assertEquals(List.of("CAP_NET_BIND_SERVICE"), service.get("AmbientCapabilities"));
        assertEquals(List.of("CAP_NET_BIND_SERVICE"), service.get("CapabilityBoundingSet"));
        assertEquals(List.of("yes"), service.get("NoNewPrivileges"));
        assertEquals(List.of("strict"), service.get("ProtectSystem"));
        assertTrue(service.getOrDefault("ReadWritePaths", List.of()).contains(CONFIG_DIR),
                "the config dir must stay writable under ProtectSystem=strict");
        assertEquals(List.of("yes"), service.get("PrivateTmp"));
        assertEquals(List.of("yes"), service.get("ProtectHome"));
        assertFalse(service.getOrDefault("MemoryDenyWriteExecute", List.of()).contains("yes"),
                "MemoryDenyWriteExecute=yes stops the JVM's JIT, and so the JVM");
    }

    /** Copies of the units in a temp dir, their ExecStart pointing at a copy of the wrapper that exists. */
    private List<Path> installedCopies() throws IOException {
        Path binary = executable("acmejx", Files.readString(PACKAGING.resolve("bin/acmejx")));
        List<Path> copies = new ArrayList<>();
        for (String unit : UNITS) {
            Path copy = dir.resolve(unit);
            Files.writeString(copy, Files.readString(SYSTEMD.resolve(unit)).replace(BINARY, binary.toString()));
            copies.add(copy);
        }
        return copies;
    }

    private Path executable(String name, String content) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path file = bin.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static String systemdAnalyze() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, "systemd-analyze");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        assumeTrue(false, "systemd-analyze is not installed (apt-get install systemd; it starts nothing)");
        throw new AssertionError("unreachable");
    }

    /**
     * One section of a unit file, each key with its values in order (systemd lets most keys repeat). Enough of
     * systemd's syntax for these files: comments, sections, {@code Key=value}; no line continuations.
     */
    private static Map<String, List<String>> section(String unit, String name) throws IOException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        String current = null;
        for (String raw : Files.readAllLines(SYSTEMD.resolve(unit))) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            assertFalse(line.endsWith("\\"), unit + ": the test's parser does not follow line continuations");
            if (line.startsWith("[")) {
                current = line.substring(1, line.length() - 1);
            } else if (name.equals(current)) {
                int equals = line.indexOf('=');
                assertTrue(equals > 0, unit + ": not Key=value: " + line);
                values.computeIfAbsent(line.substring(0, equals).strip(), key -> new ArrayList<>())
                        .add(line.substring(equals + 1).strip());
            }
        }
        assertFalse(values.isEmpty(), unit + " has no [" + name + "] section");
        return values;
    }

    private static String single(Map<String, List<String>> section, String key) {
        List<String> values = section.getOrDefault(key, List.of());
        assertEquals(1, values.size(), key + "= should be set once: " + values);
        return values.get(0);
    }

    /** A systemd time span of one unit ("40s", "1h", "30min", "90"), in seconds. */
    private static long seconds(String span) {
        Matcher matcher = Pattern.compile("(\\d+)\\s*(s|sec|min|m|h)?").matcher(span);
        assertTrue(matcher.matches(), "not a simple time span: " + span);
        long value = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        return switch (unit) {
            case "min", "m" -> value * 60;
            case "h" -> value * 3600;
            default -> value;
        };
    }
}
