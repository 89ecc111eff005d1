package dev.huddle.cli.watch;

import dev.huddle.cli.view.ReadView;
import dev.huddle.cli.view.TerminalStyle;
import dev.huddle.protocol.HostileRecords;
import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.control.SessionRead;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16: the dashboard draws hostile agent text (names, purposes, bodies, tools, transcripts) visibly, bidi included. */
class HostileWatchTest {
    @Test
    void theBoardTheDetailAndTheFeedShowControlsAndBidiVisibly() {
        CockpitSnapshot snap = new HostileRecords().of(CockpitSnapshot.class);
        for (int width : new int[]{80, 200}) {
            WatchState st = ScreenTest.live();
            assertPrintable("watch " + width, Screen.plain(Screen.render(snap, st, ScreenTest.NOW, ZoneOffset.UTC, width, 60, false)));
            String ansi = Screen.ansi(Screen.render(snap, st, ScreenTest.NOW, ZoneOffset.UTC, width, 60, true));
            HostileRecords.assertPrintable("watch in colour " + width, ansi.replaceAll("\u001b\\[[0-9;]*m", ""));
        }
        String wide = Screen.plain(Screen.render(snap, ScreenTest.live(), ScreenTest.NOW, ZoneOffset.UTC, 240, 60, false));
        assertThat(wide).contains("<U+202E>");
    }

    @Test
    void theTranscriptOverlayShowsControlsVisibly() {
        String text = ReadView.render(new HostileRecords().of(SessionRead.class), new TerminalStyle(false), ZoneOffset.UTC, LocalDate.now());
        List<AttributedString> lines = OverlayText.lines(text);
        for (AttributedString l : lines) assertPrintable("overlay", l.toString());
        assertThat(String.join("\n", lines.stream().map(AttributedString::toString).toList())).contains("^[]0;owned^G");
    }

    private static void assertPrintable(String what, String text) {
        HostileRecords.assertPrintable(what, text);
    }
}
