package dev.huddle.store.postgres;

import dev.huddle.protocol.Settings;
import dev.huddle.store.StoreException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The password for a PostgreSQL store, never from the URL or the command line (both show in logs and {@code ps}):
 * the file {@code store_password_file} names (it must be 0600: readable by its owner only), else {@code PGPASSWORD},
 * else the first matching line of {@code ~/.pgpass} (or {@code $PGPASSFILE}), as libpq reads it. None is fine: a
 * server may trust the connection or take a client certificate.
 */
public final class PgPassword {
    private PgPassword() {}

    public static String find(PostgresTarget t, Path passwordFile, Map<String, String> env, Path home) {
        if (passwordFile != null) return fromFile(passwordFile);
        String fromEnv = env.get("PGPASSWORD");
        if (fromEnv != null && !fromEnv.isEmpty()) return fromEnv;
        String passFile = env.get("PGPASSFILE");
        Path pgpass = passFile != null && !passFile.isBlank() ? Path.of(passFile) : home == null ? null : home.resolve(".pgpass");
        return pgpass == null ? null : fromPgpass(pgpass, t);
    }

    private static String fromFile(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new StoreException("store-error", "the store's password file " + file + " is readable by others",
                        "Run `chmod 600 " + file + "` (huddle reads a password only from a file its owner alone can read).", null);
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new StoreException("store-error", "cannot read the store's password file " + file + ": " + e.getMessage(),
                    "Check " + Settings.STORE_PASSWORD_FILE.key() + " in config.json", e);
        }
    }

    /** libpq's format: host:port:database:user:password, '*' matches anything, '\' escapes ':' and '\'. */
    static String fromPgpass(Path file, PostgresTarget t) {
        if (!Files.isRegularFile(file)) return null;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // libpq ignores an unreadable file too
        }
        String[] want = {t.host(), Integer.toString(t.port()), t.database(), t.user()};
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) continue;
            List<String> f = fields(line);
            if (f.size() < 5) continue;
            boolean match = true;
            for (int i = 0; i < 4 && match; i++) match = f.get(i).equals("*") || f.get(i).equals(want[i]);
            if (match) return f.get(4);
        }
        return null;
    }

    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '\\' && i + 1 < line.length()) cur.append(line.charAt(++i));
            else if (ch == ':' && out.size() < 4) {
                out.add(cur.toString());
                cur.setLength(0);
            } else cur.append(ch);
        }
        out.add(cur.toString());
        return out;
    }
}
