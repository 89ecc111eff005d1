package dev.huddle.cli;

import dev.huddle.cli.view.ReadView;
import dev.huddle.cli.view.TerminalStyle;
import dev.huddle.protocol.control.SessionRead;
import dev.huddle.protocol.json.Json;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** What huddle read prints (no hub needed), and what the front must forward for transcripts to be found. */
class ReadCommandTest {
    @Test
    void aTranscriptIsPrintedMessageByMessageWithToolCalls() {
        SessionRead r = Json.read("""
                {"ok":true,"peer":{"session_id":"6f1c","handle":"6f1c2a9e","name":"reviewer","client_type":"claude-code","online":true,"activity":"busy"},
                 "mode":"transcript","transcript":{"path":"/h/.claude/projects/-r/6f1c.jsonl","source":"reported","format":"claude-code","size_bytes":2300000,"age_s":12},
                 "messages":[{"role":"user","text":"Fix the test","timestamp":"2026-11-21T10:00:01Z"},
                   {"role":"assistant","text":"Running it.","timestamp":"2026-11-20T10:00:02Z",
                    "tool_calls":[{"name":"Bash","input":"pytest -q","result":"1 failed","is_error":true}]}],
                 "count":2,"total_messages":57,"total_messages_exact":false,"count_truncated":true,"bytes_truncated":true}""", SessionRead.class);
        String out = ReadView.render(r, new TerminalStyle(false), ZoneOffset.UTC, LocalDate.parse("2026-11-21"));
        assertThat(out).isEqualTo("""
                reviewer (6f1c2a9e) · claude-code · online · busy
                transcript /h/.claude/projects/-r/6f1c.jsonl (reported by its hooks, 2300 kB, modified 12 s ago)
                the last 2 of about 57 messages, cut to fit the byte budget

                ── user  10:00:01
                Fix the test

                ── assistant  2026-11-20 10:00:02
                Running it.
                   ▸ Bash  pytest -q
                     → 1 failed (error)
                """);
    }

    @Test
    void aPaneIsPrintedAsItsText() {
        SessionRead r = Json.read("""
                {"ok":true,"peer":{"handle":"p-3b9a01c2","client_type":"unknown","online":true,"activity":"unknown"},"mode":"pane",
                 "pane":{"tmux_session":"dev","pane":"%3","window":"1","lines":240,"max_chars":20000,"text":"$ make\\nok"},
                 "fallback_reason":"no transcript: its client is not known","note":"this agent opted out of being read by its peers; you see it as its user"}""", SessionRead.class);
        String out = ReadView.render(r, new TerminalStyle(false), ZoneOffset.UTC, LocalDate.parse("2026-11-21"));
        assertThat(out).startsWith("p-3b9a01c2 · unknown · online\nnote: this agent opted out")
                .contains("no transcript: its client is not known\ntmux pane %3 of session dev (window 1), last 240 lines of history\n")
                .endsWith("$ make\nok\n");
    }
}
