package dev.huddle.agents.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsoncDocumentTest {
    private static JsoncDocument doc(String text) throws JsoncException {
        return JsoncDocument.parse(text);
    }

    @Test
    void setsANewPropertyKeepingCommentsTrailingCommasAndIndentation() throws Exception {
        String before = """
                {
                    // my settings
                    "model": "opus", /* inline */
                    "hooks": {
                        "PreToolUse": [
                            {"matcher": "Bash", "hooks": [{"type": "command", "command": "other-tool"}]},
                        ],
                    },
                }
                """;
        JsoncDocument d = doc(before).append(List.of("hooks", "PreToolUse"), Map.of("hooks", List.of(Map.of("type", "command"))));
        assertThat(d.text()).isEqualTo("""
                {
                    // my settings
                    "model": "opus", /* inline */
                    "hooks": {
                        "PreToolUse": [
                            {"matcher": "Bash", "hooks": [{"type": "command", "command": "other-tool"}]},
                            {
                                "hooks": [
                                    {
                                        "type": "command"
                                    }
                                ]
                            },
                        ],
                    },
                }
                """);
        JsoncDocument d2 = d.set(List.of("hooks", "Stop"), List.of());
        assertThat(d2.text()).contains("        ],\n        \"Stop\": [],\n    },\n}");
        assertThat(d2.get(List.of("model"))).contains("opus");
    }

    @Test
    void appendsRepeatedlyToAFileItCreated() throws Exception {
        JsoncDocument d = doc("");
        for (String ev : List.of("A", "B", "C")) d = d.append(List.of("hooks", ev), Map.of("x", 1L));
        assertThat(d.text()).isEqualTo("""
                {
                  "hooks": {
                    "A": [
                      {
                        "x": 1
                      }
                    ],
                    "B": [
                      {
                        "x": 1
                      }
                    ],
                    "C": [
                      {
                        "x": 1
                      }
                    ]
                  }
                }
                """);
    }

    @Test
    void insertsAfterALineCommentOnTheLastLine() throws Exception {
        JsoncDocument d = doc("{\n  \"a\": 1 // one\n}\n").set(List.of("b"), 2L);
        assertThat(d.text()).isEqualTo("{\n  \"a\": 1, // one\n  \"b\": 2\n}\n");
    }

    @Test
    void createsMissingObjectsAndFillsEmptyOnes() throws Exception {
        assertThat(doc("").set(List.of("mcpServers", "huddle", "args"), List.of("mcp")).text())
                .isEqualTo("{\n  \"mcpServers\": {\n    \"huddle\": {\n      \"args\": [\"mcp\"]\n    }\n  }\n}\n");
        assertThat(doc("{}").set(List.of("a"), "x").text()).isEqualTo("{\n  \"a\": \"x\"\n}");
        assertThat(doc("{\n\t\"hooks\": {}\n}").set(List.of("hooks", "Stop"), List.of()).text())
                .isEqualTo("{\n\t\"hooks\": {\n\t\t\"Stop\": []\n\t}\n}");
        assertThat(doc("// only a comment\n").set(List.of("a"), 1L).text()).isEqualTo("// only a comment\n{\n  \"a\": 1\n}\n");
    }

    @Test
    void singleLineObjectsStaySingleLine() throws Exception {
        assertThat(doc("{\"a\": 1}").set(List.of("b"), Map.of("c", List.of(1L, 2L))).text())
                .isEqualTo("{\"a\": 1, \"b\": {\"c\": [1, 2]}}");
        assertThat(doc("{\"a\": 1,}").set(List.of("b"), true).text()).isEqualTo("{\"a\": 1, \"b\": true,}");
        assertThat(doc("{\"a\": \"x\"}").set(List.of("b"), "y").text()).isEqualTo("{\"a\": \"x\", \"b\": \"y\"}");
        assertThat(doc("{\n  \"a\": \"x\"\n}").set(List.of("b"), "y").text()).isEqualTo("{\n  \"a\": \"x\",\n  \"b\": \"y\"\n}");
    }

    @Test
    void replacesAValueInPlaceWithCrLf() throws Exception {
        String before = "{\r\n  \"a\": {\"old\": true}, // keep\r\n  \"b\": 2\r\n}\r\n";
        JsoncDocument d = doc(before).set(List.of("a"), Map.of("new", 1L));
        assertThat(d.text()).isEqualTo("{\r\n  \"a\": {\r\n    \"new\": 1\r\n  }, // keep\r\n  \"b\": 2\r\n}\r\n");
    }

    @Test
    void removesMembersWithTheirLinesAndCommas() throws Exception {
        String before = """
                {
                  "a": 1, // about a
                  "b": 2, // about b
                  "c": 3
                }
                """;
        assertThat(doc(before).remove(List.of("b")).text()).isEqualTo("{\n  \"a\": 1, // about a\n  \"c\": 3\n}\n");
        assertThat(doc(before).remove(List.of("c")).text()).isEqualTo("{\n  \"a\": 1, // about a\n  \"b\": 2 // about b\n}\n");
        assertThat(doc(before).remove(List.of("a")).remove(List.of("b")).remove(List.of("c")).text()).isEqualTo("{}\n");
        assertThat(doc("{\"a\": 1, \"b\": 2, \"c\": 3}").remove(List.of("b")).text()).isEqualTo("{\"a\": 1, \"c\": 3}");
        assertThat(doc("{\"a\": 1, \"b\": 2}").remove(List.of("b")).text()).isEqualTo("{\"a\": 1}");
        assertThat(doc("[1, [2, 3]]").remove(List.of(1, 0)).text()).isEqualTo("[1, [3]]");
        assertThat(doc("{\"a\": 1}").remove(List.of("zz")).text()).isEqualTo("{\"a\": 1}");
    }

    @Test
    void refusesToTreatAStringAsAnObject() throws Exception {
        assertThatThrownBy(() -> doc("{\"hooks\": \"x\"}").set(List.of("hooks", "Stop"), List.of()))
                .isInstanceOf(ConfigProblem.class).hasMessage("\"hooks\" is a string where an object is expected");
        assertThatThrownBy(() -> doc("[]").set(List.of("a"), 1L))
                .isInstanceOf(ConfigProblem.class).hasMessage("the top level is an array where an object is expected");
    }

    @Test
    void parseErrorsSayWhereAndWhat() {
        assertThatThrownBy(() -> doc("{\n  \"a\": 1\n  \"b\": 2\n}")).isInstanceOf(JsoncException.class)
                .hasMessage("line 3, column 3: expected ',' or '}' after the value, found a line break (a missing comma?)".replace("found a line break", "found '\"'"));
        assertThatThrownBy(() -> doc("{\"a\": [1, 2}")).hasMessageContaining("expected ',' or ']'");
        assertThatThrownBy(() -> doc("{\"a\": 'x'}")).hasMessageContaining("double quotes");
        assertThatThrownBy(() -> doc("{\"a\": 1,,}")).hasMessageContaining("unexpected ','");
        assertThatThrownBy(() -> doc("{\"a\": 1 /* open")).hasMessageContaining("never closed");
        assertThatThrownBy(() -> doc("{\"a\": 1} x")).hasMessageContaining("after the end");
        assertThatThrownBy(() -> doc("{\"a\": tru}")).hasMessageContaining("unexpected 'tru'");
        assertThatThrownBy(() -> doc("{\"a\": \"x\ny\"}")).hasMessageContaining("line break");
        assertThatThrownBy(() -> doc("{\"a\": 01}")).isInstanceOf(JsoncException.class);
        assertThatThrownBy(() -> doc("{")).hasMessage("line 1, column 1: this '{' is never closed (the file ends first)");
    }

    @Test
    void readsValues() throws Exception {
        JsoncDocument d = doc("{\"a\": [1, 2.5, \"\\u00e9\\n\", null, true], \"a\": {\"b\": -3}}");
        assertThat(d.get(List.of("a", "b"))).contains(-3L);
        assertThat(JsoncNode.toJava(JsoncParser.parse("[1, 2.5, \"\\u00e9\\n\", null, true]")))
                .isEqualTo(java.util.Arrays.asList(1L, 2.5, "é\n", null, true));
    }
}
