package dev.huddle.cli;

/**
 * Entry point of the jar. {@code huddle mcp} goes straight to the JDK-only front, before picocli or anything
 * else is loaded, because an agent waits for it; every other command goes through {@link Cli}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("mcp")) {
            System.exit(FrontMain.run());
        }
        System.exit(Cli.run(args));
    }
}
