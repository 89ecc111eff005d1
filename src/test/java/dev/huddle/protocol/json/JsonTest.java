package dev.huddle.protocol.json;

import dev.huddle.protocol.MiniJson;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The protocol's JSON codec: names, nulls, nesting, enums, instants, and lenient reading. */
class JsonTest {
    enum Mode {
        EXCLUSIVE("exclusive"), SHARED("shared");

        private final String wireName;

        Mode(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    enum Plain { ONE, TWO }

    record Inner(String pathName, Mode mode) {}

    record Outer(String sessionId, long maxObligationAgeMs, int count, boolean online, Boolean armed, Instant at,
                 List<Inner> claims, Map<String, Long> sizes, Plain plain, @KeepNull String delivered) {}

    record Extra(String projectRoot) {}

    record Wrapped(@Inline Extra extra, int fronts) {}

    record Numbers(long whole, double half, Integer boxed, Double boxedHalf, Number any) {}

    record Untyped(Map<String, Object> details, Object anything) {}

    private static final Instant AT = Instant.parse("2026-12-05T10:00:00.123Z");

    @Test
    void writesSnakeCaseNamesInComponentOrderAndLeavesNullsOut() {
        Outer o = new Outer("s-1", 1_800_000, 2, true, null, AT, List.of(new Inner("src/**", Mode.EXCLUSIVE)), Map.of("a.txt", 3L),
                Plain.TWO, null);
        assertThat(Json.write(o)).isEqualTo("{\"session_id\":\"s-1\",\"max_obligation_age_ms\":1800000,\"count\":2,\"online\":true,"
                + "\"at\":\"2026-12-05T10:00:00.123Z\",\"claims\":[{\"path_name\":\"src/**\",\"mode\":\"exclusive\"}],"
                + "\"sizes\":{\"a.txt\":3},\"plain\":\"TWO\",\"delivered\":null}");
    }

    @Test
    void snakeCaseIsJacksonsForEveryNameShape() {
        assertThat(RecordShape.snakeCase("v")).isEqualTo("v");
        assertThat(RecordShape.snakeCase("ageS")).isEqualTo("age_s");
        assertThat(RecordShape.snakeCase("expiresInS")).isEqualTo("expires_in_s");
        assertThat(RecordShape.snakeCase("ppidStartMs")).isEqualTo("ppid_start_ms");
        assertThat(RecordShape.snakeCase("isMe")).isEqualTo("is_me");
        assertThat(RecordShape.snakeCase("tmuxSession")).isEqualTo("tmux_session");
    }

    @Test
    void readsBackWhatItWrote() {
        Outer o = new Outer("s\"1\n\u2028é😀", -5, 0, false, Boolean.TRUE, AT, List.of(), Map.of(), Plain.ONE, "tool");
        assertThat(Json.read(Json.write(o), Outer.class)).isEqualTo(o);
    }

    @Test
    void inlineFieldsAreWrittenIntoTheEnclosingObjectAndReadFromIt() {
        Wrapped w = new Wrapped(new Extra("/r"), 2);
        assertThat(Json.write(w)).isEqualTo("{\"project_root\":\"/r\",\"fronts\":2}");
        assertThat(Json.read("{\"fronts\":2,\"project_root\":\"/r\"}", Wrapped.class)).isEqualTo(w);
    }

    @Test
    void readingIsLenient() {
        Outer o = Json.read("{\"session_id\":7,\"count\":2.9,\"max_obligation_age_ms\":1.5e3,\"unknown\":{\"x\":[1]},"
                + "\"at\":\"yesterday\",\"claims\":[{\"mode\":\"shared\"},{\"mode\":\"SHARED\"},null,{\"mode\":\"other\"}],"
                + "\"plain\":\"THREE\",\"online\":\"true\"}", Outer.class);
        assertThat(o.sessionId()).isEqualTo("7");
        assertThat(o.count()).isEqualTo(2);
        assertThat(o.maxObligationAgeMs()).isEqualTo(1500);
        assertThat(o.at()).isNull();
        assertThat(o.claims()).containsExactly(new Inner(null, Mode.SHARED), new Inner(null, Mode.SHARED), new Inner(null, null));
        assertThat(o.plain()).isNull();
        assertThat(o.online()).isFalse();
        assertThat(o.armed()).isNull();
        assertThat(o.sizes()).isNull();
        assertThat(Json.read("{}", Outer.class)).isEqualTo(new Outer(null, 0, 0, false, null, null, null, null, null, null));
    }

    @Test
    void numbersConvertBetweenLongAndDouble() {
        Numbers n = Json.read("{\"whole\":2.0,\"half\":3,\"boxed\":4.2,\"boxed_half\":5,\"any\":6.5}", Numbers.class);
        assertThat(n).isEqualTo(new Numbers(2, 3.0, 4, 5.0, 6.5));
        assertThat(Json.write(new Numbers(1, Double.NaN, null, Double.POSITIVE_INFINITY, 7L)))
                .isEqualTo("{\"whole\":1,\"half\":null,\"boxed_half\":null,\"any\":7}");
    }

    @Test
    void untypedFieldsKeepTheTree() {
        Untyped u = Json.read("{\"details\":{\"limit\":{\"requested\":5}},\"anything\":[true,\"x\"]}", Untyped.class);
        assertThat(u.details()).isEqualTo(Map.of("limit", Map.of("requested", 5L)));
        assertThat(u.anything()).isEqualTo(List.of(true, "x"));
        assertThat(Json.tree(u)).isEqualTo(MiniJson.parse("{\"details\":{\"limit\":{\"requested\":5}},\"anything\":[true,\"x\"]}"));
    }

    @Test
    void aRecordFromSomethingElseIsNullAndMalformedTextIsRefused() {
        assertThat(Json.read("[1,2]", Extra.class)).isNull();
        assertThat(Json.fromTree(null, Extra.class)).isNull();
        assertThatThrownBy(() -> Json.read("{\"project_root\":", Extra.class)).isInstanceOf(IllegalArgumentException.class);
    }
}
