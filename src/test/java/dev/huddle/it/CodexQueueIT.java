package dev.huddle.it;

import dev.huddle.agents.WakeRoute;
import dev.huddle.agents.codex.CodexQueueWaker;
import dev.huddle.core.wake.WakeStatus;
import dev.huddle.it.support.Codex;
import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Project;
import dev.huddle.it.support.ScriptedResponses;
import dev.huddle.terminal.CommandRunner;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.WakeAttempt;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The codex_queue route against the real Codex CLI (0.169.0), offline (a scripted Responses API): what
 * {@code codex queue} does with a thread nobody holds (it waits for the next resume, and is its first turn), an unknown
 * thread and a missing {@code CODEX_HOME}. An idle TUI woken through it is in {@link CodexTuiIT}.
 */
@HubTest
class CodexQueueIT {
    private static final String POINTER = "huddle: new messages from peer agents are waiting for you. Call read_my_messages, then act on them.";

    private Codex codex;
    @Project(value = "cxq", git = true)
    private Path repo;

    @Test
    void aQueuedWakeWaitsForAThreadNobodyHoldsAndIsItsNextTurnOnResume() {
        codex.trust(repo);
        ScriptedResponses model = codex.model();
        CodexQueueWaker waker = new CodexQueueWaker(CommandRunner.system(), new ProcessInspector(),
                new CodexQueueWaker.Options(Duration.ofSeconds(5), Duration.ofSeconds(20), Codex.binary().getParent().toString()));
        String thread = codex.execAsIs(repo, "hi", List.of()).threadId();
        int before = model.requests().size();

        WakeAttempt a = waker.wake(new WakeRoute.Recipient(null, thread, Map.of("CODEX_HOME", codex.codexHome().toString())), POINTER);
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.FIRED_UNCONFIRMED);
        assertThat(model.requests()).as("nobody holds the thread: queued, not run").hasSize(before);

        Instant resumed = Instant.now();
        codex.execAsIs(repo, "next", List.of("resume", thread));
        List<ScriptedResponses.Request> after = model.requests().subList(before, model.requests().size()).stream()
                .filter(ScriptedResponses.Request::main).toList();
        assertThat(after).as("queued until the resume: nothing ran it before").allSatisfy(r -> assertThat(r.at()).isAfterOrEqualTo(resumed));
        assertThat(after).as("the resumed thread runs the queued wake first").anyMatch(r -> r.lastUserText().contains(POINTER) && !r.contains("\"next\""));
        assertThat(after.getLast().messages("user")).anyMatch(t -> t.contains(POINTER)).anyMatch(t -> t.strip().equals("next"));

        a = waker.wake(new WakeRoute.Recipient(null, "01a1fe01-0000-7000-8000-000000000000", Map.of("CODEX_HOME", codex.codexHome().toString())), POINTER);
        assertThat(a.status()).isEqualTo(WakeStatus.FAILED);
        assertThat(a.reason()).contains("exit 1").contains("no rollout found for thread id");
        a = waker.wake(new WakeRoute.Recipient(null, thread, Map.of("CODEX_HOME", codex.home().resolve("nowhere").toString())), POINTER);
        assertThat(a.status()).isEqualTo(WakeStatus.FAILED);
        assertThat(a.reason()).contains("does not exist");
    }
}
