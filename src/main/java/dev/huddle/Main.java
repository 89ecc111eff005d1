package dev.huddle;

import dev.huddle.cli.Cli;
import dev.huddle.client.HookMain;
import dev.huddle.client.front.FrontMain;

import java.util.List;

/**
 * Entry point of the jar. {@code huddle mcp} goes straight to the JDK-only front, before picocli or anything
 * else is loaded, because an agent waits for it, and so does {@code huddle hook} (the hook where curl is missing); {@code huddle hub run} (how clients start the hub) skips
 * picocli's model building too (about 100 ms of a cold hub start). Every other command goes through {@link Cli}.
 */
public final class Main {
    /** {@code hub run --ahead}: a hub started with nobody waiting for it, which warms itself (HubStarter). */
    private static final String AHEAD = "--ahead";
    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("mcp")) {
            System.exit(FrontMain.run());
        }
        if (args.length > 0 && args[0].equals("hook")) {
            System.exit(HookMain.run(args, System.getenv(), System.in, System.out));
        }
        if (isPlainHubRun(args)) {
            System.exit(dev.huddle.hub.Hub.run(System.getenv(), System.err, List.of(args).contains(AHEAD)));
        }
        System.exit(Cli.run(args));
    }

    /** {@code hub run} with at most {@code --detached} and {@code --ahead}; anything else (--help, typos) goes to picocli. */
    static boolean isPlainHubRun(String[] args) {
        if (args.length < 2 || !args[0].equals("hub") || !args[1].equals("run")) return false;
        for (int i = 2; i < args.length; i++) if (!args[i].equals("--detached") && !args[i].equals(AHEAD)) return false;
        return true;
    }
}
