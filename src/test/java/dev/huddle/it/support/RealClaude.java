package dev.huddle.it.support;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** What the tests that drive the real Claude Code CLI share: finding it and the launcher, a git repository, the hub's log. */
public final class RealClaude {
    private RealClaude() {
    }

    /** The {@code ./huddle} launcher (system property huddle.launcher, set by Failsafe). */
    public static Path launcher() {
        String p = System.getProperty("huddle.launcher");
        assertThat(p).as("system property huddle.launcher (set by Failsafe in pom.xml)").isNotBlank();
        return Path.of(p).toAbsolutePath();
    }

    /** -Dhuddle.claude / $HUDDLE_CLAUDE_BIN, else {@code <repo>/.ci/node/node_modules/.bin/claude}; skips without it, except under CI. */
    public static Path binary() {
        String configured = System.getProperty("huddle.claude", System.getenv("HUDDLE_CLAUDE_BIN"));
        Path bin = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : launcher().getParent().resolve(".ci/node/node_modules/.bin/claude");
        if (!Files.isExecutable(bin)) {
            String why = "Claude Code CLI not found at " + bin + " (install it with .ci/install-clients.sh or set HUDDLE_CLAUDE_BIN)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(why + "; CI must run the real-client test");
            Assumptions.assumeTrue(false, why);
        }
        return bin.toAbsolutePath();
    }

    /** {@code git <args>} in {@code repo}, with {@code home} as HOME; must succeed. */
    public static void git(Path repo, Path home, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com"));
        cmd.addAll(List.of(args));
        TestHome.Result r = TestHome.run(repo, Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", home.toString()),
                Duration.ofSeconds(30), cmd);
        assertThat(r.exit()).as("git %s%n%s", String.join(" ", args), r).isZero();
    }

    /** The tail of each of the hub's log files, for failure messages. */
    public static String hubLog(TestHome hub) {
        Path logs = hub.paths().logDir();
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.exists(logs) ? Files.list(logs) : Stream.empty()) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                if (text.length() > 6000) text = "..." + text.substring(text.length() - 6000);
                sb.append("\n--- ").append(f).append(" ---\n").append(text);
            }
        } catch (IOException | RuntimeException e) {
            sb.append("\n(hub log unreadable: ").append(e).append(')');
        }
        return sb.toString();
    }
}
