package dev.huddle.it.support;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** What the environments of the real clients ({@link ClaudeCode}, {@link Codex}) share. */
final class RealClients {
    private RealClients() {}

    /**
     * The installed CLI: system property {@code property} or variable {@code variable}, else
     * {@code <repo>/.ci/node/node_modules/.bin/<npmBin>}; skips the test without it, except under CI ({@code CI=true}),
     * where the real-client tests must run.
     */
    static Path binary(String property, String variable, String npmBin, String name) {
        String configured = System.getProperty(property, System.getenv(variable));
        Path bin = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : TestHome.launcher().getParent().resolve(".ci/node/node_modules/.bin/" + npmBin);
        if (!Files.isExecutable(bin)) {
            String why = name + " not found at " + bin + " (install it with .ci/install-clients.sh or set " + variable + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(why + "; CI must run the real-client tests");
            Assumptions.assumeTrue(false, why);
        }
        return bin.toAbsolutePath();
    }

    /** {@code huddle setup --client <client>} in {@code cwd} as the client's user runs it ({@code userEnv}: HOME, ...). */
    static TestHome.Result setup(TestHome hub, Path cwd, Map<String, String> userEnv, String client) {
        Map<String, String> env = new LinkedHashMap<>(hub.env());
        env.putAll(userEnv);
        env.put("HUDDLE_LAUNCHER", TestHome.launcher().toString());
        TestHome.Result r = TestHome.run(cwd, env, TestHome.CLI_TIMEOUT, hub.command("setup", "--client", client));
        assertThat(r.exit()).as("huddle setup%n%s", r).isZero();
        return r;
    }
}
