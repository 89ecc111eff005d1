package dev.huddle.cli;

import dev.huddle.client.front.FrontMain;
import picocli.CommandLine.Command;

/** {@code huddle mcp} (reached through picocli only for --help: {@code dev.huddle.Main} runs the front first). */
@Command(name = "mcp", description = "Run the stdio MCP server an agent spawns (the front; it talks to the hub).")
final class McpCommand extends BaseCommand {
    @Override
    protected int run() {
        return FrontMain.run();
    }
}
