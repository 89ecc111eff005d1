package dev.huddle.agents.transcript;

import dev.huddle.agents.claude.ClaudeTranscript;
import dev.huddle.agents.claude.ClaudeTranscripts;
import dev.huddle.agents.codex.CodexRollout;
import dev.huddle.agents.codex.CodexRollouts;
import dev.huddle.agents.gemini.GeminiChat;
import dev.huddle.agents.gemini.GeminiChats;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterTry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged transcripts never make a reader throw: real-shaped files cut at any byte, with bytes flipped, inserted or
 * removed, read in every format (a Codex rollout read as a Claude session too), with and without tools, under any
 * budget. What is readable is read; the rest is skipped and counted.
 */
class TranscriptFuzzProperties {
    private static final List<Path> FIXTURES = List.of(TranscriptFormatsTest.CLAUDE, TranscriptFormatsTest.CODEX, TranscriptFormatsTest.GEMINI);
    private static final List<TranscriptFormat> FORMATS = List.of(ClaudeTranscripts.FORMAT, CodexRollouts.FORMAT, GeminiChats.FORMAT);

    /** A format's reverse read over an open reader (chunk size chosen by the test). */
    private interface ReverseTail {
        Tail read(ReverseLineReader r, int limit, boolean tools) throws IOException;
    }

    private static final List<ReverseTail> REVERSE_TAILS = List.of(ClaudeTranscript::tail, CodexRollout::tail, GeminiChat::tail);
    private Path file;

    @AfterTry
    void cleanUp() throws IOException {
        if (file != null) Files.deleteIfExists(file);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 400)
    void damagedFilesAreReadWithoutThrowing(@ForAll @IntRange(min = 0, max = 2) int fixture, @ForAll("seeds") long seed,
                                            @ForAll @IntRange(min = 0, max = 40) int damage, @ForAll @IntRange(min = 1, max = 30) int limit,
                                            @ForAll @IntRange(min = 16, max = 300) int chunk, @ForAll boolean tools,
                                            @ForAll @IntRange(min = 1, max = 30_000) int budget) throws IOException {
        byte[] bytes = damaged(Files.readAllBytes(FIXTURES.get(fixture)), new Random(seed), damage);
        file = Files.createTempFile("huddle-fuzz", ".jsonl");
        Files.write(file, bytes);
        for (int f = 0; f < FORMATS.size(); f++) {
            TranscriptFormat format = FORMATS.get(f);
            Tail t;
            try (ReverseLineReader r = ReverseLineReader.open(file, chunk, 4096)) {
                t = REVERSE_TAILS.get(f).read(r, limit, tools);
            }
            assertThat(t.messages().size()).isLessThanOrEqualTo(limit);
            assertThat(format.readAll(file, tools)).isNotNull();
            TailBudget.Fitted fitted = TailBudget.fit(t.messages(), budget);
            assertThat(fitted.kept().size()).isLessThanOrEqualTo(t.messages().size());
        }
    }

    @Property(tries = 200)
    void everyCutOfAFileReads(@ForAll @IntRange(min = 0, max = 2) int fixture, @ForAll @IntRange(min = 0, max = 100_000) int cut) throws IOException {
        byte[] all = Files.readAllBytes(FIXTURES.get(fixture));
        file = Files.createTempFile("huddle-cut", ".jsonl");
        Files.write(file, Arrays.copyOf(all, Math.min(cut, all.length)));
        for (TranscriptFormat format : FORMATS) {
            Tail t = format.tail(file, 5, true);
            assertThat(t.fileSize()).isEqualTo(Math.min(cut, all.length));
        }
    }

    @Test
    void anEmptyFileHasNoMessages() throws IOException {
        file = Files.createTempFile("huddle-empty", ".jsonl");
        for (TranscriptFormat format : FORMATS) {
            Tail t = format.tail(file, 20, true);
            assertThat(t.messages()).isEmpty();
            assertThat(t.total()).isZero();
            assertThat(t.more()).isFalse();
        }
        Files.deleteIfExists(file);
    }

    @Test
    void aLineLongerThanTheLimitIsSkippedAndCounted() throws IOException {
        file = Files.createTempFile("huddle-long", ".jsonl");
        String big = "{\"type\":\"user\",\"uuid\":\"big\",\"parentUuid\":null,\"message\":{\"role\":\"user\",\"content\":\"" + "x".repeat(20_000) + "\"}}";
        String small = "{\"type\":\"user\",\"uuid\":\"s\",\"parentUuid\":null,\"message\":{\"role\":\"user\",\"content\":\"small\"}}";
        Files.writeString(file, small + "\n" + big + "\n" + small.replace("\"s\"", "\"s2\"").replace("small", "last") + "\n", StandardCharsets.UTF_8);
        try (ReverseLineReader r = ReverseLineReader.open(file, 256, 4096)) {
            assertThat(r.next()).isTrue();
            assertThat(r.text()).contains("last");
            assertThat(r.next()).isTrue();
            assertThat(r.text()).contains("small");
            assertThat(r.next()).isFalse();
            assertThat(r.skippedOversized()).isEqualTo(1);
        }
        Files.deleteIfExists(file);
    }

    @Test
    void aFileThatShrinksWhileItIsReadIsAnIoErrorNotACrash() throws IOException {
        file = Files.createTempFile("huddle-shrink", ".jsonl");
        Files.writeString(file, "{\"a\":1}\n".repeat(10_000));
        try (ReverseLineReader r = ReverseLineReader.open(file, 64, 4096)) {
            assertThat(r.next()).isTrue();
            Files.writeString(file, "");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                while (r.next()) {
                    // read on until the missing bytes are needed
                }
            }).isInstanceOf(IOException.class);
        }
        Files.deleteIfExists(file);
    }

    /** {@code damage} random edits: flip a byte, insert random bytes (often a newline), delete a range, cut the end. */
    static byte[] damaged(byte[] in, Random rnd, int damage) {
        byte[] b = in;
        for (int i = 0; i < damage && b.length > 0; i++) {
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(5)) {
                case 0 -> b[at] = (byte) rnd.nextInt(256);
                case 1 -> {
                    byte[] ins = new byte[1 + rnd.nextInt(8)];
                    rnd.nextBytes(ins);
                    if (rnd.nextBoolean()) ins[0] = '\n';
                    byte[] out = new byte[b.length + ins.length];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(ins, 0, out, at, ins.length);
                    System.arraycopy(b, at, out, at + ins.length, b.length - at);
                    b = out;
                }
                case 2 -> {
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(64));
                    byte[] out = new byte[b.length - len];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + len, out, at, b.length - at - len);
                    b = out;
                }
                case 3 -> b = Arrays.copyOf(b, at);
                default -> b[at] = (byte) (0x80 | rnd.nextInt(64)); // a stray UTF-8 continuation byte
            }
        }
        return b;
    }
}
