package dev.huddle.hub.identity;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.identity.ProjectIdentity;
import dev.huddle.core.identity.ProjectLocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two clones of one repository at different paths, one over ssh and one over https, and a worktree: one name. */
class SharedProjectNameTest {
    @TempDir
    Path tmp;

    private void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    private Optional<String> name(Path dir) {
        return new ProjectLocator(new NioFileProbe()).sharedName(dir).map(ProjectIdentity.Name::value);
    }

    @Test
    void clonesAtDifferentPathsAndAWorktreeShareTheOriginsName() throws Exception {
        Path laptop = Files.createDirectories(tmp.resolve("laptop/payments"));
        Path devbox = Files.createDirectories(tmp.resolve("devbox/src/pay"));
        git(laptop, "init", "-q");
        git(laptop, "remote", "add", "origin", "git@github.com:acme/payments.git");
        git(laptop, "commit", "-q", "--allow-empty", "-m", "first");
        git(laptop, "worktree", "add", "-q", tmp.resolve("feature").toString());
        git(devbox, "init", "-q");
        git(devbox, "remote", "add", "origin", "https://github.com/acme/payments");
        Files.createDirectories(laptop.resolve("src"));

        assertThat(name(laptop.resolve("src"))).contains("github.com/acme/payments");
        assertThat(name(devbox)).contains("github.com/acme/payments");
        assertThat(name(tmp.resolve("feature"))).contains("github.com/acme/payments");

        git(devbox, "config", "huddle.project", "acme-payments");
        assertThat(new ProjectLocator(new NioFileProbe()).sharedName(devbox))
                .contains(new ProjectIdentity.Name("acme-payments", ProjectIdentity.Source.CONFIGURED));
        assertThat(name(Files.createDirectories(tmp.resolve("no-git")))).isEmpty();
    }

    @Test
    void onASharedStoreTwoClonesHaveOneKeyAndEachItsOwnLocalRootOnALocalStoreTheirPaths() throws Exception {
        Path laptop = Files.createDirectories(tmp.resolve("laptop/payments"));
        Path devbox = Files.createDirectories(tmp.resolve("devbox/src/pay"));
        git(laptop, "init", "-q");
        git(laptop, "remote", "add", "origin", "git@github.com:acme/payments.git");
        git(devbox, "init", "-q");
        git(devbox, "remote", "add", "origin", "https://github.com/acme/payments.git");
        Path src = Files.createDirectories(laptop.resolve("src"));
        Path real = laptop.toRealPath();

        Projects shared = new Projects(new ProjectLocator(new NioFileProbe()), true);
        assertThat(shared.key(src.toString())).isEqualTo("github.com/acme/payments");
        assertThat(shared.key(devbox.toString())).isEqualTo("github.com/acme/payments");
        assertThat(shared.localRoot(src.toString())).isEqualTo(real);
        assertThat(shared.localRoot(devbox.toString())).isEqualTo(devbox.toRealPath());
        Agent a = Agent.create("a", "a", BindingSource.HOOK, ClientType.CLAUDE_CODE, "github.com/acme/payments", src.toString(), null, Instant.now());
        assertThat(shared.localRoot(a)).as("a named project lives where the agent's cwd is").isEqualTo(real);

        Projects local = new Projects(new ProjectLocator(new NioFileProbe()), false);
        assertThat(local.key(src.toString())).as("a machine's own store: the path, as before").isEqualTo(real.toString());
        assertThat(local.key(devbox.toString())).isEqualTo(devbox.toRealPath().toString());
        Agent b = Agent.create("b", "b", BindingSource.HOOK, ClientType.CLAUDE_CODE, real.toString(), "/elsewhere", null, Instant.now());
        assertThat(local.localRoot(b)).as("a path key is the local root").isEqualTo(real);

        Path loose = Files.createDirectories(tmp.resolve("loose"));
        assertThat(shared.key(loose.toString())).as("no name: its path").isEqualTo(loose.toRealPath().toString());
    }
}
