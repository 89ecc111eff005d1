package dev.huddle.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MiniJsonTest {

    @Provide
    Arbitrary<Object> values() {
        Arbitrary<Object> leaves = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.of(true, false).map(b -> (Object) b));
        return Arbitraries.recursive(() -> leaves, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> (Object) l),
                Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), inner).ofMaxSize(4).map(m -> (Object) m)), 3);
    }

    @Property(tries = 300)
    void writeThenParseIsIdentity(@ForAll("values") Object v) {
        assertThat(MiniJson.parse(MiniJson.write(v))).isEqualTo(v);
    }

    @Property(tries = 300)
    void agreesWithJackson(@ForAll("values") Object v) {
        String ours = MiniJson.write(v);
        Object theirs = JsonMapper.shared().readValue(ours, Object.class);
        assertThat(MiniJson.parse(JsonMapper.shared().writeValueAsString(theirs))).isEqualTo(MiniJson.parse(ours));
    }

    @Property(tries = 500)
    void garbageFailsOnlyWithIllegalArgument(@ForAll String garbage) {
        try {
            MiniJson.parse(garbage);
        } catch (IllegalArgumentException expected) {
            // the only allowed failure
        }
    }

    @Test
    void parsesEscapesAndNumbers() {
        Map<String, Object> m = MiniJson.parseObject("{\"a\":\"x\\n\\u00e9\\\"\",\"b\":-12,\"c\":1.5e3,\"d\":[null,true]}");
        assertThat(m).containsEntry("a", "x\né\"").containsEntry("b", -12L).containsEntry("c", 1500.0)
                .containsEntry("d", java.util.Arrays.asList(null, true));
    }

    @Test
    void rejectsTrailingGarbageAndDeepNesting() {
        assertThatThrownBy(() -> MiniJson.parse("{} x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MiniJson.parse("[".repeat(500) + "]".repeat(500))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MiniJson.parseObject("[1]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesControlCharactersEscaped() {
        assertThat(MiniJson.write(List.of("a\u0001b\u2028"))).isEqualTo("[\"a\\u0001b\\u2028\"]");
    }
}
