package dev.huddle.hub.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The other people who can log in to this machine, as {@code /etc/passwd} lists them: accounts with a uid in the
 * range of people (1000 to 65533) and a login shell, other than the hub's own. A loopback port is open to every one
 * of them, so where there are any, huddle keeps hooks on its Unix socket unless the user chooses otherwise.
 */
public final class LoginUsers {
    private LoginUsers() {}

    /** Their names; empty where nobody else can log in, or where the file cannot be read. */
    public static List<String> others() {
        return others(Path.of("/etc/passwd"), TcpPeers.selfUid());
    }

    static List<String> others(Path passwd, long myUid) {
        List<String> names = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(passwd, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException unreadable) {
            return names;
        }
        for (String line : lines) {
            String[] f = line.split(":", -1);
            if (f.length < 7) continue;
            long uid;
            try {
                uid = Long.parseLong(f[2]);
            } catch (NumberFormatException e) {
                continue;
            }
            String shell = f[6].strip();
            boolean canLogIn = !shell.isEmpty() && !shell.endsWith("/nologin") && !shell.endsWith("/false");
            if (uid >= 1000 && uid < 65534 && uid != myUid && canLogIn) names.add(f[0]);
        }
        return names;
    }
}
