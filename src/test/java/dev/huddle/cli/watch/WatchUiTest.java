package dev.huddle.cli.watch;

import dev.huddle.client.ControlRefusedException;
import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.control.ControlError;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.Diagnosis;
import dev.huddle.protocol.control.SendReceipt;
import dev.huddle.protocol.json.Json;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's loop on a terminal made of pipes (JLine's external terminal, xterm): keys in, escape sequences out.
 * Hub requests go to a stub; snapshots come from the fixtures.
 */
@Timeout(90)
class WatchUiTest {
    /** Generous: a loaded machine may take seconds between a key and the frame it changes. */
    private static final java.time.Duration DEADLINE = java.time.Duration.ofSeconds(20);
    private PipedOutputStream keys;
    private ByteArrayOutputStream screen;
    private Terminal terminal;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private static final SendReceipt SENT = Json.read("{\"count\":1,\"messages\":[{\"message_id\":\"feedbeef00000001\"}]}",
            SendReceipt.class);

    private final HubActions stub = new HubActions(null, "/") {
        @Override
        @SuppressWarnings("unchecked")
        protected <R> R call(ControlRequest<R> request) throws IOException {
            requests.add(request.toString());
            return (R) switch (request) {
                case ControlRequest.Send s -> SENT;
                case ControlRequest.Nudge n -> SENT;
                case ControlRequest.Diagnose d -> Json.read("{\"agents\":[],\"since\":\"2026-12-04T10:00:00Z\"}", Diagnosis.class);
                case ControlRequest.Read r -> throw new ControlRefusedException(new ControlError("nothing-to-read", "no transcript"));
                default -> null;
            };
        }
    };

    @BeforeEach
    void setUp() throws IOException {
        java.util.logging.Logger.getLogger("org.jline").setLevel(java.util.logging.Level.OFF); // its input pump complains at close
        keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys, 4096);
        screen = new ByteArrayOutputStream();
        // JLine's external terminal, not TerminalBuilder.streams(): that makes a real pty with pump threads, and 10 of 150
        // runs found their pty back in canonical mode after raw mode was entered (typed keys then waited for a newline;
        // likely a closed terminal's pump finishing late on a reused file descriptor number).
        terminal = new ExternalTerminal("watch-test", "xterm-256color", in, screen, StandardCharsets.UTF_8);
        terminal.setSize(new Size(80, 24));
    }

    @AfterEach
    void tearDown() throws IOException {
        terminal.close();
    }

    private static WatchUi.Source fixed(CockpitSnapshot s) {
        return listener -> {
            listener.snapshot(s);
            listener.link(WatchState.Link.LIVE, null);
        };
    }

    private void type(String s) throws IOException {
        keys.write(s.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    private String shown() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void sendsAMessageToTheSelectedAgentAndQuits() throws Exception {
        WatchUi ui = new WatchUi(terminal, fixed(ScreenTest.fixture("four-agents")), stub, false);
        CompletableFuture<String> done = CompletableFuture.supplyAsync(() -> {
            try {
                return ui.runInSession(false);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await().atMost(DEADLINE).until(() -> ui.screenText().contains("reviewer"));
        type("j");            // builder
        type("s");
        type("please rebase");
        await().atMost(DEADLINE).until(() -> ui.screenText().contains("message to builder: please rebase"));
        type("\r");
        await().atMost(DEADLINE).until(() -> requests.stream().anyMatch(r -> r.startsWith("Send")));
        assertThat(requests).contains(new ControlRequest.Send("649b30d1-1111-4222-8333-444455556666", "please rebase", false,
                "/home/ana/src/payments").toString());
        await().atMost(DEADLINE).until(() -> ui.screenText().contains("sent to builder (message feedbeef00000001)"));
        type("n");
        await().atMost(DEADLINE).until(() -> requests.stream().anyMatch(r -> r.startsWith("Nudge")));
        type("r");
        await().atMost(DEADLINE).until(() -> ui.screenText().contains("read refused: nothing-to-read"));
        type("\u001b[A");     // up: reviewer again
        type("t");            // reviewer's verified tmux pane; not inside tmux here: the command to run
        type("q");
        assertThat(done.get(30, TimeUnit.SECONDS)).isNull();
        await().atMost(DEADLINE).until(() -> shown().lastIndexOf("\u001b[?1049l") > shown().lastIndexOf("\u001b[?1049h"));
    }

    @Test
    void escapeCancelsAMessageAndOverlaysScrollAndClose() throws Exception {
        WatchUi ui = new WatchUi(terminal, fixed(ScreenTest.fixture("deadlock")), stub, false);
        CompletableFuture<String> done = CompletableFuture.supplyAsync(() -> {
            try {
                return ui.runInSession(false);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await().atMost(DEADLINE).until(() -> ui.screenText().contains("deadlock: alpha"));
        type("shello");
        await().atMost(DEADLINE).until(() -> ui.screenText().contains("message to alpha: hello"));
        type("\u001b");       // a lone Escape is told from a sequence by the pause after it: the composer closes then
        await().atMost(DEADLINE).until(() -> !ui.screenText().contains("message to alpha"));
        type("?");
        await().atMost(DEADLINE).until(() -> ui.screenText().contains("━━ help"));
        type("G");
        type("q");            // closes the help
        type("d");
        await().atMost(DEADLINE).until(() -> ui.screenText().contains("━━ huddle diagnose"));
        type("\u001b");
        await().atMost(DEADLINE).until(() -> !ui.screenText().contains("━━ huddle diagnose"));
        type("q");
        assertThat(done.get(30, TimeUnit.SECONDS)).isNull();
        assertThat(requests).noneMatch(r -> r.startsWith("Send"));
    }

    @Test
    void theTerminalIsGivenBackWhenTheLoopCrashes() throws Exception {
        Attributes before = terminal.getAttributes();
        WatchUi ui = new WatchUi(terminal, fixed(ScreenTest.fixture("four-agents")), stub, true);
        ui.post(() -> {
            throw new IllegalStateException("boom");
        });
        assertThatThrownBy(() -> ui.runInSession(false)).hasMessage("boom");
        await().atMost(DEADLINE).until(() -> shown().lastIndexOf("\u001b[?1049l") > 0);
        String out = shown();
        assertThat(out.indexOf("\u001b[?1049h")).isGreaterThanOrEqualTo(0);
        int left = out.lastIndexOf("\u001b[?1049l"); // the alternate screen left, after the cursor was shown again
        assertThat(left).isGreaterThan(out.indexOf("\u001b[?1049h"));
        assertThat(out.lastIndexOf("\u001b[?25h")).isGreaterThan(out.lastIndexOf("\u001b[?25l")).isLessThan(left);
        assertThat(terminal.getAttributes().toString()).isEqualTo(before.toString());
    }

    @Test
    void aRefusingHubEndsTheDashboardWithItsReason() throws Exception {
        WatchUi.Source refusing = listener -> listener.refused("invalid-argument: no such project");
        WatchUi ui = new WatchUi(terminal, refusing, stub, false);
        assertThat(ui.runInSession(false)).isEqualTo("invalid-argument: no such project");
    }

    @Test
    void keysAreDecodedFromTheirEscapeSequences() throws IOException {
        String input = "\u001b[A\u001bOB\u001b[5~\u001b[6~\u001b[H\u001b[4~\r\u007fx\u0003\u001b";
        int[] at = {0};
        Keys.Source src = t -> at[0] < input.length() ? input.charAt(at[0]++) : -2;
        List<Keys.Kind> kinds = new java.util.ArrayList<>();
        Keys.Key k;
        while ((k = Keys.next(src, 10)) != null) kinds.add(k.kind());
        assertThat(kinds).containsExactly(Keys.Kind.UP, Keys.Kind.DOWN, Keys.Kind.PAGE_UP, Keys.Kind.PAGE_DOWN, Keys.Kind.HOME,
                Keys.Kind.END, Keys.Kind.ENTER, Keys.Kind.BACKSPACE, Keys.Kind.CHAR, Keys.Kind.CTRL_C, Keys.Kind.ESCAPE);
    }
}
