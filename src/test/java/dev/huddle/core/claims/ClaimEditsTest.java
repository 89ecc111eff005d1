package dev.huddle.core.claims;

import dev.huddle.agents.codex.PatchPaths;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure parts of edit enforcement: apply_patch headers, git status parsing, shell changes, the edit check. */
class ClaimEditsTest {
    final Instant t0 = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void patchHeadersNameEveryFileAndMalformedTextYieldsWhatItCan() {
        String patch = """
                *** Begin Patch
                *** Update File: src/app.py
                *** Move to: src/main.py
                @@ def greet():
                -print("Hi")
                +*** Add File: not/a/header.txt
                *** Add File: hello.txt
                +Hello
                *** Delete File: obsolete.txt
                *** Update File: src/app.py
                *** End Patch
                """;
        assertThat(PatchPaths.looksLikePatch(patch)).isTrue();
        assertThat(PatchPaths.of(patch)).containsExactly("src/app.py", "src/main.py", "hello.txt", "obsolete.txt");
        assertThat(PatchPaths.of("*** Update File:\n*** Add File:    \n*** Delete File: a\u0001b\n***\n")).isEmpty();
        assertThat(PatchPaths.of(null)).isEmpty();
        assertThat(PatchPaths.of("garbage without newline *** Update File: x")).isEmpty();
        assertThat(PatchPaths.looksLikePatch("ls -la")).isFalse();
        StringBuilder many = new StringBuilder("*** Begin Patch\n");
        for (int i = 0; i < 500; i++) many.append("*** Add File: f").append(i).append('\n');
        assertThat(PatchPaths.of(many.toString())).hasSize(PatchPaths.MAX_FILES);
    }

    @Test
    void gitPorcelainIsParsedTolerantly() {
        Map<String, String> m = GitPorcelain.parse(" M src/a.txt\0?? new file.txt\0 D gone.txt\0R  new.txt\0old.txt\0xx\0M  /abs\0");
        assertThat(m).containsExactly(Map.entry("src/a.txt", " M"), Map.entry("new file.txt", "??"), Map.entry("gone.txt", " D"),
                Map.entry("new.txt", "R "));
        assertThat(GitPorcelain.parse("")).isEmpty();
        assertThat(GitPorcelain.parse(" M trunc")).containsEntry("trunc", " M");
    }

    @Test
    void aShellCommandChangedWhatItWroteRewroteOrDeletedWhileItRan() {
        Instant start = t0.plusSeconds(100);
        Map<String, Instant> mtimes = new HashMap<>(Map.of("written.txt", t0.plusSeconds(101), "old-dirty.txt", t0.plusSeconds(50),
                "reverted.txt", t0.plusSeconds(102), "committed.txt", t0.plusSeconds(10)));
        Map<String, String> before = Map.of("old-dirty.txt", " M", "reverted.txt", " M", "committed.txt", "M ", "was-deleted.txt", " D");
        Map<String, String> after = Map.of("written.txt", "??", "old-dirty.txt", " M", "deleted.txt", " D", "was-deleted.txt", " D");
        assertThat(ShellChanges.changed(before, after, start, mtimes::get)).containsExactly("deleted.txt", "reverted.txt", "written.txt");
        assertThat(ShellChanges.changed(null, after, start, mtimes::get)).as("no earlier look: writes only").containsExactly("written.txt");
    }

    @Test
    void anEditMeetsOthersExclusiveClaimsButAHolderIsNotLockedOutByATrespassersEdit() {
        PathClaim aliceDir = new PathClaim("/r", "alice", "src", ClaimMode.EXCLUSIVE, "refactor", t0, t0.plusSeconds(1800));
        PathClaim bobEdit = new PathClaim("/r", "bob", "src/a.txt", ClaimMode.EXCLUSIVE, "being edited (Edit)", t0, t0.plusSeconds(300), true, 300);
        PathClaim carolShared = new PathClaim("/r", "carol", "docs", ClaimMode.SHARED, null, t0, t0.plusSeconds(1800));
        PathClaim carolEdit = new PathClaim("/r", "carol", "lib/x.c", ClaimMode.EXCLUSIVE, "being edited (Write)", t0, t0.plusSeconds(300), true, 300);
        ClaimIndex idx = new ClaimIndex(List.of(aliceDir, bobEdit, carolShared, carolEdit));
        Instant now = t0.plusSeconds(10);

        ClaimIndex.Edit alice = idx.forEdit("src/a.txt", "alice", now);
        assertThat(alice.blocking()).as("bob's edit does not lock alice out of her claimed file").isEmpty();
        assertThat(alice.ownExplicit()).isTrue();
        assertThat(idx.forEdit("src/a.txt", "dave", now).blocking()).containsExactly(aliceDir, bobEdit);
        assertThat(idx.forEdit("docs/x.md", "dave", now).blocking()).as("shared claims never block").isEmpty();
        assertThat(idx.forEdit("lib/x.c", "dave", now).blocking()).containsExactly(carolEdit);
        assertThat(idx.forEdit("lib/x.c", "dave", t0.plusSeconds(300)).blocking()).as("the window is over").isEmpty();
        ClaimIndex.Edit carol = idx.forEdit("lib/x.c", "carol", now);
        assertThat(carol.blocking()).isEmpty();
        assertThat(carol.own()).containsExactly(carolEdit);
        assertThat(carol.ownExplicit()).isFalse();
        assertThat(carolEdit.lastEditAt()).isEqualTo(t0);
    }
}
