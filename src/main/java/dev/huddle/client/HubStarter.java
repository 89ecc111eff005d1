package dev.huddle.client;

import dev.huddle.protocol.AgentEnv;
import dev.huddle.protocol.AotCache;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.JvmOptions;
import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.Version;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spawns a detached hub ({@code huddle hub run}). Detached means: its own session ({@code setsid} where it
 * exists), stdin from /dev/null, output to a private log, so it outlives the agent that started it and a
 * Ctrl-C in the agent's terminal does not reach it. The caller holds the start lock.
 */
public final class HubStarter {
    private final HubPaths paths;
    private final Map<String, String> env;

    public HubStarter(HubPaths paths, Map<String, String> env) {
        this.paths = paths;
        this.env = env;
    }

    public Process spawn() throws IOException {
        return spawn(false);
    }

    /**
     * @param ahead nobody waits for this hub ({@code hub start}, setup, {@code hub restart}): it warms itself with a
     *              rehearsed session once it accepts ({@code hub run --ahead})
     */
    public Process spawn(boolean ahead) throws IOException {
        Path jar = chooseJar();
        String java = env.getOrDefault("HUDDLE_JAVA", ProcessHandle.current().info().command().orElse("java"));
        List<String> cmd = new ArrayList<>();
        for (String setsid : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(setsid))) {
                cmd.add(setsid);
                break;
            }
        }
        cmd.add(java);
        cmd.addAll(JvmOptions.COMMON);
        cmd.addAll(JvmOptions.HUB);
        AotCache.existing(jar, env, "hub").ifPresent(f -> cmd.add("-XX:AOTCache=" + f));
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.add("hub");
        cmd.add("run");
        cmd.add("--detached");
        if (ahead) cmd.add("--ahead");

        Path stderrLog = paths.logDir().resolve("hub.stderr.log");
        HubPaths.ensurePrivateFile(stderrLog);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()))
                .redirectErrorStream(true)
                .directory(paths.home().toFile());
        Map<String, String> childEnv = pb.environment();
        childEnv.put("HUDDLE_HOME", paths.home().toString());
        dropAgentVariables(childEnv);
        childEnv.remove(EarlyHub.ENV);
        return pb.start();
    }

    /** The hub is nobody's agent: the variables that describe the agent who started it would only mislead it. */
    static void dropAgentVariables(Map<String, String> env) {
        for (AgentEnv v : AgentEnv.values()) if (v.describesTheAgent()) env.remove(v.name());
    }

    /**
     * The jar to start the hub from: our own, unless a client of a newer build recorded its jar (at a handover)
     * and that jar still exists — so an older front that reconnects does not bring an old hub back.
     */
    Path chooseJar() throws IOException {
        Path mine = AotCache.runningJar(env).orElseThrow(() -> new IOException(
                "cannot find huddle.jar to start the hub from; set HUDDLE_JAR to its path"));
        try {
            String text = Files.readString(paths.hubJarRecord(), StandardCharsets.UTF_8);
            Map<String, Object> rec = MiniJson.parseObject(text);
            Version recorded = new Version(String.valueOf(rec.get("version")), String.valueOf(rec.get("build")));
            Path jar = Path.of(String.valueOf(rec.get("jar")));
            if (recorded.isNewerThan(Version.CURRENT) && Files.isRegularFile(jar)) return jar;
        } catch (IOException | IllegalArgumentException | ClassCastException missingOrBad) {
            // no usable record: use our own jar
        }
        return mine;
    }

    /** Records our jar as the newest one a hub should run from (written atomically, mode 0600). */
    public void recordJarIfNewest() {
        try {
            Path mine = AotCache.runningJar(env).orElse(null);
            if (mine == null) return;
            try {
                Map<String, Object> rec = MiniJson.parseObject(Files.readString(paths.hubJarRecord()));
                Version recorded = new Version(String.valueOf(rec.get("version")), String.valueOf(rec.get("build")));
                if (!Version.CURRENT.isNewerThan(recorded)) return;
            } catch (IOException | IllegalArgumentException ignored) {
                // absent or unreadable: overwrite
            }
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("jar", mine.toString());
            rec.put("version", Version.CURRENT.version());
            rec.put("build", Version.CURRENT.build());
            Path tmp = paths.home().resolve("hub-jar.json.tmp" + ProcessHandle.current().pid());
            HubPaths.ensurePrivateFile(tmp);
            Files.writeString(tmp, MiniJson.write(rec));
            Files.move(tmp, paths.hubJarRecord(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ignored) {
            // best effort: without the record a restart uses whichever client's jar comes first
        }
    }
}
