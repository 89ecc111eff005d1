package dev.huddle.store.sqlite;

import org.sqlite.util.LibraryLoaderUtil;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Keeps sqlite-jdbc's native library in a private directory between hub starts. By default the driver detects the
 * platform on every start (spawning {@code uname}) and copies a 1.1 MB library to {@code /tmp} before loading it:
 * about 150 ms of a cold hub start. The first hub extracts it once; later hubs point the driver at that copy
 * ({@code org.sqlite.lib.path}/{@code .name}) and skip both. The directory is keyed by the driver version.
 */
public final class SqliteNativeLibrary {
    private static final Logger LOG = Logger.getLogger(SqliteNativeLibrary.class.getName());

    private SqliteNativeLibrary() {}

    /** Uses a library extracted earlier under {@code baseDir}, if there is one. Call before the first connection. */
    public static void useCached(Path baseDir) {
        Path dir = baseDir.resolve(driverVersion());
        try (var files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().equals(LibraryLoaderUtil.getNativeLibName())) // libsqlitejdbc.so, as cache() names it
                    .filter(Files::isRegularFile).findFirst().ifPresent(lib -> {
                        System.setProperty("org.sqlite.lib.path", dir.toString());
                        System.setProperty("org.sqlite.lib.name", lib.getFileName().toString());
                    });
        } catch (IOException | SecurityException notYet) {
            // the first start extracts it (see cache)
        }
    }

    /** Extracts this platform's library under {@code baseDir} for the next start (atomically; 0700/0600). */
    public static void cache(Path baseDir) {
        Path dir = baseDir.resolve(driverVersion());
        String name = LibraryLoaderUtil.getNativeLibName();
        Path target = dir.resolve(name);
        if (Files.isRegularFile(target)) return;
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
        try (InputStream in = SqliteNativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) return; // a platform without a bundled library: the driver's own search applies
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path tmp = Files.createTempFile(dir, name, ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (var out = Files.newOutputStream(tmp)) { // keeps the 0600 the temp file was created with
                in.transferTo(out);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            LOG.fine(() -> "could not cache the SQLite native library: " + e.getMessage());
        }
    }

    static String driverVersion() {
        Properties p = new Properties();
        try (InputStream in = SqliteNativeLibrary.class.getResourceAsStream("/sqlite-jdbc.properties")) {
            if (in != null) p.load(in);
        } catch (IOException ignored) {
            // unknown version: still a stable directory name
        }
        return "sqlite-jdbc-" + p.getProperty("version", "unknown").replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
