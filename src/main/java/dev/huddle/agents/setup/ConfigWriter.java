package dev.huddle.agents.setup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a planned file safely: a backup of the old text ({@code <file>.huddle-backup-<UTC time>}, 0600), then the
 * new text into a temporary file beside it with the original's mode, synced and renamed over the original in one
 * step. A symlinked settings file is written through to its target. If the file changed since it was read (the
 * client rewrote it meanwhile) nothing is replaced.
 */
public final class ConfigWriter {
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> SHARED_FILE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    /** What was written: the file and its backup (null for a file that did not exist). */
    public record Written(Path path, Path backup) {}

    private ConfigWriter() {}

    /**
     * Null when {@code path} can be replaced; otherwise why not and what to do. Mode bits are checked as well as
     * access, so a file its owner made read-only is respected even when running as root.
     */
    public static String whyNotWritable(Path path) {
        try {
            Path target = resolve(path);
            if (Files.exists(target)) {
                if (!Files.isRegularFile(target)) return path + " is not a regular file; huddle edits only regular files.";
                if (!Files.isWritable(target) || !ownerMay(target, PosixFilePermission.OWNER_WRITE)) {
                    return path + " is read-only (" + mode(target) + "); nothing was written. Make it writable (chmod u+w '" + target
                            + "') and run again, or add the entries by hand (--dry-run shows them).";
                }
            }
            Path dir = target.getParent();
            while (dir != null && !Files.exists(dir)) dir = dir.getParent();
            if (dir != null && (!Files.isWritable(dir) || !ownerMay(dir, PosixFilePermission.OWNER_WRITE))) {
                return "cannot write " + path + ": the directory " + dir + " is read-only (" + mode(dir) + "); nothing was written."
                        + " Make it writable (chmod u+w '" + dir + "') and run again.";
            }
            return null;
        } catch (IOException e) {
            return "cannot check " + path + " (" + e.getMessage() + "); nothing was written.";
        }
    }

    /**
     * Writes {@code plan.after()} to its file. New directories are 0700 in user scope; new files are 0600 in user
     * scope and 0644 in a project (they are meant to be committed).
     */
    public static Written write(FilePlan plan) throws IOException {
        Path target = resolve(plan.path());
        boolean user = plan.scope() == Scope.USER;
        createDirectories(target.getParent(), user);
        byte[] before = plan.before() == null ? null : plan.before().getBytes(StandardCharsets.UTF_8);
        byte[] now = Files.exists(target) ? Files.readAllBytes(target) : null;
        if (!Arrays.equals(before, now)) throw changedMeanwhile(plan.path());
        Set<PosixFilePermission> mode = now != null ? Files.getPosixFilePermissions(target) : user ? PRIVATE_FILE : SHARED_FILE;
        Path backup = now == null ? null : backup(target, now);
        Path tmp = target.resolveSibling("." + target.getFileName() + ".huddle-tmp-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt()));
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
            Files.write(tmp, plan.after().getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            Files.setPosixFilePermissions(tmp, mode);
            byte[] last = Files.exists(target) ? Files.readAllBytes(target) : null;
            if (!Arrays.equals(before, last)) throw changedMeanwhile(plan.path());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Written(plan.path(), backup);
    }

    private static IOException changedMeanwhile(Path path) {
        return new IOException(path + " changed while huddle was editing it (did the client rewrite it?); it was left as it is."
                + " Run the command again.");
    }

    private static Path backup(Path target, byte[] content) throws IOException {
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
        for (int k = 0; ; k++) {
            Path b = target.resolveSibling(target.getFileName() + ".huddle-backup-" + stamp + (k == 0 ? "" : "-" + k));
            try {
                Files.createFile(b, PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            Files.write(b, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            return b;
        }
    }

    private static void createDirectories(Path dir, boolean privateDirs) throws IOException {
        if (dir == null || Files.isDirectory(dir)) return;
        createDirectories(dir.getParent(), privateDirs);
        if (privateDirs) Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
        else Files.createDirectory(dir);
    }

    /** A symlink is followed to the file it names, so the link stays a link. */
    private static Path resolve(Path path) throws IOException {
        Path p = path.toAbsolutePath();
        for (int hops = 0; Files.isSymbolicLink(p) && hops < 40; hops++) {
            Path link = Files.readSymbolicLink(p);
            p = p.resolveSibling(link).normalize();
        }
        return p;
    }

    private static boolean ownerMay(Path p, PosixFilePermission perm) throws IOException {
        return Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).contains(perm);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
