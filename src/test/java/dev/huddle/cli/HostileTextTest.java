package dev.huddle.cli;

import dev.huddle.agents.doctor.Check;
import dev.huddle.cli.doctor.DoctorReport;
import dev.huddle.cli.view.ClaimsView;
import dev.huddle.cli.view.DiagnoseView;
import dev.huddle.cli.view.LogLines;
import dev.huddle.cli.view.PsTable;
import dev.huddle.cli.view.ReadView;
import dev.huddle.cli.view.SendView;
import dev.huddle.cli.view.StatusView;
import dev.huddle.cli.view.TerminalStyle;
import dev.huddle.protocol.HostileRecords;
import dev.huddle.protocol.control.AgentList;
import dev.huddle.protocol.control.ClaimList;
import dev.huddle.protocol.control.Diagnosis;
import dev.huddle.protocol.control.LogPage;
import dev.huddle.protocol.control.SendReceipt;
import dev.huddle.protocol.control.SessionRead;
import dev.huddle.protocol.cockpit.StatusReport;
import dev.huddle.protocol.json.Json;
import dev.huddle.protocol.tools.Views;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, terminal injection: every field of every result the CLI prints for a human holds escape sequences, C1
 * controls and bidi overrides; nothing of it reaches the terminal raw, with colour or without. {@code --json} keeps
 * the data exact (and escaped).
 */
class HostileTextTest {
    private static final HostileRecords HOSTILE = new HostileRecords();

    /** Our own colours are the only escapes allowed (SGR: ESC [ digits m); anything else must not be there raw. */
    static void assertSafe(String what, String printed) {
        HostileRecords.assertPrintable(what, printed.replaceAll("\u001b\\[[0-9;]*m", ""));
    }

    @Test
    void readShowsTranscriptTextToolResultsAndPanesVisibly() {
        SessionRead transcript = HOSTILE.of(SessionRead.class);
        for (TerminalStyle style : List.of(new TerminalStyle(false), new TerminalStyle(true))) {
            String out = ReadView.render(transcript, style, ZoneOffset.UTC, LocalDate.of(2026, 11, 21));
            assertSafe("read (transcript)", out);
            assertThat(out).contains("^[[2J").contains("^[]52;c;").contains("<U+009B>31m").contains("<U+202E>evil");
        }
        Views.ReadSessionResult r = transcript.result();
        SessionRead pane = new SessionRead(new Views.ReadSessionResult(r.ok(), r.frame(), r.peer(), "pane", r.transcript(), r.messages(),
                r.count(), r.totalMessages(), r.totalMessagesExact(), r.countTruncated(), r.bytesTruncated(), r.skippedLines(),
                r.pane(), r.fallbackReason(), r.clamped(), r.note()), transcript.projectRoot());
        String out = ReadView.render(pane, new TerminalStyle(false), ZoneOffset.UTC, LocalDate.of(2026, 11, 21));
        assertSafe("read (pane)", out);
        assertThat(out).contains("text:^[[2J");
    }

    @Test
    void logPsStatusSendClaimsAndDiagnoseShowPeerTextVisibly() {
        for (TerminalStyle style : List.of(new TerminalStyle(false), new TerminalStyle(true))) {
            LogPage.Entry row = HOSTILE.of(LogPage.Entry.class);
            assertSafe("log", LogLines.line(row, style, 120, true));
            assertSafe("log (no width)", LogLines.line(row, style, null, false));
            assertSafe("ps", PsTable.render(HOSTILE.of(AgentList.class), style));
            assertSafe("status", StatusView.render(HOSTILE.of(StatusReport.class), style, 100, 1));
            assertSafe("send", SendView.render(HOSTILE.of(SendReceipt.class), style));
            assertSafe("claims", ClaimsView.render(HOSTILE.of(ClaimList.class), style));
        }
        String ps = PsTable.render(HOSTILE.of(AgentList.class), new TerminalStyle(false));
        assertThat(ps).contains("purpose:^[[2J").contains("name:^[[2J").contains("<U+202E>evil");
        assertSafe("diagnose", DiagnoseView.render(HOSTILE.of(Diagnosis.class)));
    }

    @Test
    void doctorAndErrorsQuoteTheHubVisibly() {
        String doctor = DoctorReport.text(List.of(Check.fail("hub", "a hub answered but refused: " + HostileRecords.ATTACK,
                "hint " + HostileRecords.ATTACK), Check.ok("database", HostileRecords.ATTACK)), true);
        assertSafe("doctor", doctor);
        StringWriter err = new StringWriter();
        new ExitException(1, "target-not-found: " + HostileRecords.ATTACK, "hint: " + HostileRecords.ATTACK)
                .report(new PrintWriter(err), "huddle send");
        assertSafe("a refusal", err.toString());
    }

    @Test
    void jsonKeepsTheDataExactAndEscaped() {
        LogPage.Entry row = HOSTILE.of(LogPage.Entry.class);
        String json = Json.write(row);
        HostileRecords.assertPrintable("--json", json);
        assertThat(Json.read(json, LogPage.Entry.class)).isEqualTo(row);
    }
}
