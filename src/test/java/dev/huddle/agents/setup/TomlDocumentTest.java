package dev.huddle.agents.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TomlDocumentTest {
    private static final List<String> HUDDLE = List.of("mcp_servers", "huddle");

    private static Map<String, Object> ours(String command) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("args", List.of("mcp"));
        m.put("tool_timeout_sec", 130);
        return m;
    }

    @Test
    void appendsTheTableKeepingEverythingElse() throws Exception {
        String before = "# my codex\nmodel = \"o3\"  # fast\n\n[mcp_servers.other]\ncommand = \"x\"\nargs = [\n  \"[not a header]\",\n]\n";
        TomlDocument d = TomlDocument.parse(before).setKeys(HUDDLE, ours("/opt/my huddle/huddle"));
        assertThat(d.text()).isEqualTo(before + "\n[mcp_servers.huddle]\ncommand = \"/opt/my huddle/huddle\"\nargs = [\"mcp\"]\ntool_timeout_sec = 130\n");
        assertThat(d.at(List.of("mcp_servers", "other", "args")).get(0).asString()).isEqualTo("[not a header]");
        assertThat(TomlDocument.parse("").setKeys(HUDDLE, ours("h")).text()).startsWith("[mcp_servers.huddle]\n");
        assertThat(TomlDocument.parse("a = 1").setKeys(HUDDLE, ours("h")).text()).startsWith("a = 1\n\n[mcp_servers.huddle]\n");
    }

    @Test
    void replacesKeysInPlaceAndKeepsTheUsersOwn() throws Exception {
        String before = """
                [mcp_servers.huddle]
                command = "/old/huddle" # where it was
                default_tools_approval_mode = "approve"
                s = '''
                [fake]
                '''

                [mcp_servers.huddle.tools.send]
                approval_mode = "approve"

                [other]
                x = 1
                """;
        TomlDocument d = TomlDocument.parse(before).setKeys(HUDDLE, ours("/new/huddle"));
        assertThat(d.text()).isEqualTo(before
                .replace("command = \"/old/huddle\"", "command = \"/new/huddle\"")
                .replace("'''\n\n", "'''\nargs = [\"mcp\"]\ntool_timeout_sec = 130\n\n"));
        assertThat(d.setKeys(HUDDLE, ours("/new/huddle")).text()).isEqualTo(d.text());
    }

    @Test
    void removesTheTableAndItsSubtables() throws Exception {
        String before = "a = 1\n\n[mcp_servers.huddle]\ncommand = \"h\"\n\n[other]\nx = 1\n\n[mcp_servers.huddle.env]\nK = \"v\"\n";
        assertThat(TomlDocument.parse(before).removeTable(HUDDLE).text()).isEqualTo("a = 1\n\n[other]\nx = 1\n");
        assertThat(TomlDocument.parse("a = 1\n").removeTable(HUDDLE).text()).isEqualTo("a = 1\n");
    }

    @Test
    void crlfIsKept() throws Exception {
        TomlDocument d = TomlDocument.parse("a = 1\r\n[mcp_servers.huddle]\r\ncommand = \"x\"\r\n").setKeys(HUDDLE, ours("y"));
        assertThat(d.text()).isEqualTo("a = 1\r\n[mcp_servers.huddle]\r\ncommand = \"y\"\r\nargs = [\"mcp\"]\r\ntool_timeout_sec = 130\r\n");
    }

    @Test
    void refusesBrokenTomlAndOtherForms() throws Exception {
        assertThatThrownBy(() -> TomlDocument.parse("[mcp_servers.huddle\ncommand = 1\n"))
                .isInstanceOf(ConfigProblem.class).hasMessageStartingWith("line 1, column").hasMessageContaining("not valid TOML");
        assertThatThrownBy(() -> TomlDocument.parse("a = 1\na = 2\n")).hasMessageContaining("Duplicate key");
        assertThat(TomlDocument.parse("mcp_servers.huddle.command = \"h\"\n").definedOtherwise(HUDDLE)).contains("line 1").contains("dotted keys");
        assertThat(TomlDocument.parse("[mcp_servers]\nhuddle = { command = \"h\" }\n").definedOtherwise(HUDDLE)).contains("line 2");
        assertThat(TomlDocument.parse("mcp_servers = { other = { command = \"h\" } }\n").definedOtherwise(HUDDLE)).contains("inline table");
        assertThat(TomlDocument.parse("[[mcp_servers.huddle]]\ncommand = \"h\"\n").definedOtherwise(HUDDLE)).contains("array of tables");
        assertThat(TomlDocument.parse("[mcp_servers.huddle]\nenv.K = \"v\"\n").definedOtherwise(HUDDLE)).isNull();
        assertThat(TomlDocument.parse("[mcp_servers.other]\ncommand = \"h\"\n").definedOtherwise(HUDDLE)).isNull();
    }

    @Test
    void quotesStringsAndKeys() {
        assertThat(TomlDocument.render("a \"b\" \\ c\n")).isEqualTo("\"a \\\"b\\\" \\\\ c\\n\"");
        assertThat(TomlDocument.render(Map.of("HUDDLE_HOME", "/x y"))).isEqualTo("{ HUDDLE_HOME = \"/x y\" }");
        assertThat(TomlDocument.dotted(List.of("mcp_servers", "a.b"))).isEqualTo("mcp_servers.\"a.b\"");
    }
}
