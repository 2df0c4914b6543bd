package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Debian package {@code packaging/build-deb} makes, as a sysadmin gets it: lintian finds no error in it,
 * {@code dpkg -i} installs a working acmejx (the launcher, the class-data archive it maps, the system user, the
 * units, the man page, the bash completion), and {@code dpkg -r}, then {@code dpkg -P}, take every file of it away
 * again, the archive postinst made included.
 *
 * <p>It needs root and dpkg, and skips without them. CI runs it as root on a machine the package must not stay on:
 * whatever happens, the package is purged by name afterwards, and the acmejx user and group removed if the test
 * made them (the package leaves them on purpose: files in the config dir may belong to them). It never touches a
 * machine where acmejx is installed already.
 */
class DebPackageIT {

    private static final String PACKAGE = "acmejx";
    private static final String USER = "acmejx";
    private static final Path BUILD_DEB = Paths.repo().resolve("packaging/build-deb");
    private static final Path LAUNCHER = Path.of("/usr/bin/acmejx");
    private static final Path ARCHIVE = Path.of("/var/lib/acmejx/acmejx.jsa");
    private static final Path UNITS = Path.of("/usr/lib/systemd/system");
    private static final List<String> UNIT_FILES = List.of("acmejx.service", "acmejx.socket",
            "acmejx-renew.service", "acmejx-renew.timer");
    private static final Path MAN_PAGE = Path.of("/usr/share/man/man1/acmejx.1.gz");
    private static final Path COMPLETION = Path.of("/usr/share/bash-completion/completions/acmejx");
    /** Where {@code systemctl enable} would link serve: the package installs the units but enables none. */
    private static final Path ENABLED = Path.of("/etc/systemd/system/multi-user.target.wants/acmejx.service");
    /** Building (Maven, when the jar is stale), lintian and the archive dump on a busy 2-core machine. */
    private static final Duration SLOW = Duration.ofMinutes(10);

    private boolean userExisted;
    private boolean groupExisted;

    @BeforeEach
    void onlyAsRootOnAMachineWithoutAcmejx() {
        assumeTrue("0".equals(Command.run("id", "-u").assertSuccess().out().strip()),
                "DebPackageIT installs a Debian package, so it runs only as root (CI does)");
        assumeTrue(onPath("dpkg") && onPath("dpkg-deb"), "DebPackageIT needs dpkg (Debian or Ubuntu)");
        assumeFalse(knownToDpkg(), "acmejx is installed on this machine (dpkg -s acmejx); DebPackageIT would"
                + " replace and purge it, so it does not run here");
        userExisted = getent("passwd");
        groupExisted = getent("group");
    }

    @AfterEach
    void purgeWhatTheTestInstalled() {
        if (knownToDpkg()) {
            dpkg("-P").assertSuccess();
        }
        if (!userExisted && getent("passwd")) {
            Command.run("userdel", USER).assertSuccess();
        }
        if (!groupExisted && getent("group")) {
            Command.run("groupdel", USER).assertSuccess();
        }
    }

    @Test
    void installsAWorkingAcmejxAndRemovesAllOfIt() throws IOException {
        Path deb = build();
        assertLintianFindsNoError(deb);
        List<Path> contents = contents(deb);
        assertTrue(contents.stream().noneMatch(DebPackageIT::looksLikeAPrivateKey),
                "a private key in the package: " + contents);
        List<Path> absentBefore = contents.stream().filter(path -> !exists(path)).toList();

        Command.run(List.of("dpkg", "-i", deb.toString()), Map.of(), SLOW).assertSuccess();
        assertLauncherRunsWithTheArchive();
        assertSystemUser();
        assertUnitsRunTheLauncher();
        assertManPageAndCompletion();
        assertFalse(exists(ENABLED), "the package must not enable serve: " + ENABLED);

        dpkg("-r").assertSuccess();
        assertNothingLeft(absentBefore, "dpkg -r");
        dpkg("-P").assertSuccess();
        assertNothingLeft(absentBefore, "dpkg -P");
        assertFalse(knownToDpkg(), "dpkg still knows acmejx after dpkg -P");
    }

    private static Path build() {
        Command.Result built = Command.run(List.of(BUILD_DEB.toString()), Map.of(), SLOW).assertSuccess();
        List<String> lines = built.out().lines().toList();
        assertFalse(lines.isEmpty(), built.describe("build-deb printed nothing"));
        Path deb = Path.of(lines.get(lines.size() - 1));
        assertTrue(deb.toString().endsWith(".deb") && Files.isRegularFile(deb),
                built.describe("the last line of build-deb's output is not a .deb file"));
        return deb;
    }

    private static void assertLintianFindsNoError(Path deb) {
        assertTrue(onPath("lintian"), "lintian is missing: apt-get install lintian (run-tests installs it)");
        Command.Result lintian = Command.run(List.of("lintian", "--fail-on", "error", deb.toString()), Map.of(),
                SLOW);
        assertEquals(0, lintian.exit(), lintian.describe("lintian found errors"));
        System.out.println("lintian on " + deb.getFileName() + ":\n" + lintian.out());
    }

    /**
     * The absolute paths of every file and directory in the package but the root ({@code dpkg-deb -c} lists them as
     * {@code ./usr/bin/acmejx}).
     */
    private static List<Path> contents(Path deb) {
        return Command.run("dpkg-deb", "-c", deb.toString()).assertSuccess().out().lines()
                .map(line -> Path.of(line.split("\\s+", 6)[5].substring(1)))
                .filter(path -> path.getNameCount() > 0)
                .toList();
    }

    private static boolean looksLikeAPrivateKey(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".key") || name.endsWith(".pem") || name.contains("private_key")
                || name.startsWith("privkey");
    }

    /**
     * {@code -Xshare:on} (after the launcher's own options, so it wins over its {@code -Xshare:auto}) makes the JVM
     * fail instead of starting without the archive: the run shows that the archive is there, matches this jar and
     * this JVM, and that the launcher maps it.
     */
    private static void assertLauncherRunsWithTheArchive() {
        assertTrue(Files.isRegularFile(ARCHIVE), "postinst made no class-data archive " + ARCHIVE);
        Command.Result version = Command.run(List.of(LAUNCHER.toString(), "--version"),
                Map.of("ACMEJX_JAVA_OPTS", "-Xshare:on"), Duration.ofMinutes(1));
        assertEquals(0, version.exit(), version.describe("the installed acmejx does not start with its archive"));
        assertTrue(version.out().startsWith("acmejx "), version.describe("no version line"));
    }

    /** getent's passwd line: name, password, uid, gid, gecos, home, shell. */
    private static void assertSystemUser() {
        Command.Result passwd = Command.run("getent", "passwd", USER);
        assertEquals(0, passwd.exit(), passwd.describe("postinst made no user " + USER));
        String[] fields = passwd.out().strip().split(":", -1);
        assertTrue(Integer.parseInt(fields[2]) < 1000, "not a system user (uid under 1000): " + passwd.out());
        assertEquals("/usr/sbin/nologin", fields[6], "the acmejx user must not log in: " + passwd.out());
        assertFalse(Files.exists(Path.of(fields[5])), "the acmejx user has no home: " + passwd.out());
        assertTrue(getent("group"), "postinst made no group " + USER + " (the units say Group=" + USER + ")");
    }

    private static void assertUnitsRunTheLauncher() throws IOException {
        assertTrue(Files.isExecutable(LAUNCHER), LAUNCHER + " is not executable");
        for (String name : UNIT_FILES) {
            Path unit = UNITS.resolve(name);
            assertTrue(Files.isRegularFile(unit), "the package installed no " + unit);
            for (String line : Files.readAllLines(unit)) {
                if (line.startsWith("ExecStart=")) {
                    assertTrue(line.startsWith("ExecStart=" + LAUNCHER + " "), unit + " runs another program: " + line);
                }
            }
        }
    }

    private static void assertManPageAndCompletion() throws IOException {
        String manPage;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(MAN_PAGE))) {
            manPage = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(manPage.lines().anyMatch(line -> line.startsWith(".TH \"ACMEJX\" 1 ")),
                "not acmejx's section 1 man page: " + MAN_PAGE);
        Command.Result complete = Command.run("bash", "-c", "source " + COMPLETION + " && complete -p " + PACKAGE);
        assertEquals(0, complete.exit(), complete.describe(COMPLETION + " sets no completion for acmejx"));
        assertTrue(complete.out().contains(" -F "), complete.describe("the completion names no function"));
    }

    /** Every path of the package that did not exist before the install, and the archive, must be gone. */
    private static void assertNothingLeft(List<Path> absentBefore, String after) {
        List<Path> left = absentBefore.stream().filter(DebPackageIT::exists).toList();
        assertEquals(List.of(), left, "left behind by " + after);
        assertFalse(exists(ARCHIVE), after + " left the class-data archive " + ARCHIVE);
    }

    /** {@code dpkg ACTION acmejx}: -r removes, -P purges. */
    private static Command.Result dpkg(String action) {
        return Command.run(List.of("dpkg", action, PACKAGE), Map.of(), SLOW);
    }

    /** Whether dpkg has any record of the package: installed, half-installed, or removed with its config left. */
    private static boolean knownToDpkg() {
        Command.Result status = Command.run("dpkg-query", "-W", "-f=${Status}", PACKAGE);
        return status.exit() == 0 && !status.out().strip().endsWith("not-installed");
    }

    private static boolean getent(String database) {
        return Command.run("getent", database, USER).exit() == 0;
    }

    private static boolean exists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String directory : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory.isEmpty() ? "." : directory, program))) {
                return true;
            }
        }
        return false;
    }
}
