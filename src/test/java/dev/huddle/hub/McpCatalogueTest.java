package dev.huddle.hub;

import dev.huddle.hub.mcp.HubTools;
import dev.huddle.hub.mcp.InProcessMcp;
import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.tools.McpCatalogue;
import dev.huddle.protocol.tools.Tools;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The front answers {@code initialize} and {@code tools/list} itself, before the hub is up (issue 18, item 2): what it
 * answers is what the hub's own MCP server answers, for every protocol version a client may ask for.
 */
class McpCatalogueTest {

    @Test
    void theCatalogueSpeaksTheVersionsTheSdkSpeaks() {
        McpServerTransportProvider sdkDefaults = new McpServerTransportProvider() {
            public void setSessionFactory(io.modelcontextprotocol.spec.McpServerSession.Factory f) {}

            public reactor.core.publisher.Mono<Void> notifyClients(String m, Object p) {
                return reactor.core.publisher.Mono.empty();
            }

            public reactor.core.publisher.Mono<Void> closeGracefully() {
                return reactor.core.publisher.Mono.empty();
            }
        };
        assertThat(McpCatalogue.PROTOCOL_VERSIONS).isEqualTo(sdkDefaults.protocolVersions());
    }

    @Test
    @Timeout(60)
    void theFrontsAnswersAreTheHubsAnswers(@TempDir Path tmp) throws Exception {
        try (InProcessMcp mcp = new InProcessMcp(tmp)) {
            var server = HubServices.mcpServer(mcp.sessions(),
                    new HubTools(null, null, null, null, false, Clock.systemUTC(), null, null).specifications(mcp.mapper()));
            try (SocketChannel client = mcp.connect()) {
                OutputStream out = Channels.newOutputStream(client);
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
                int id = 0;
                for (String asked : new String[] {"2024-11-05", "2025-06-18", "2025-11-25", "1999-01-01"}) {
                    out.write(("{\"jsonrpc\":\"2.0\",\"id\":" + (++id) + ",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
                            + asked + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    assertThat(result(in.readLine())).as("initialize asking for %s", asked)
                            .isEqualTo(roundTrip(McpCatalogue.initializeResult(asked, Tools.INSTRUCTIONS)));
                }
                out.write(("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                        + "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"tools/list\"}\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(result(in.readLine())).isEqualTo(roundTrip(McpCatalogue.toolsListResult()));
            } finally {
                server.close();
            }
        }
    }

    private static Object result(String line) {
        return MiniJson.parseObject(line).get("result");
    }

    private static Object roundTrip(Map<String, Object> m) {
        return MiniJson.parse(MiniJson.write(m));
    }
}
