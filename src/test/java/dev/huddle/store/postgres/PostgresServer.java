package dev.huddle.store.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: one private cluster per test JVM, made with {@code initdb} in a temporary
 * directory and started with {@code pg_ctl} on a free loopback port (its socket in that directory too), stopped and
 * removed when the JVM exits. PostgreSQL refuses to run as root: as root the cluster belongs to the {@code postgres}
 * user and its commands run through {@code runuser}. Each test class takes a fresh database ({@link #newDatabase}).
 * The binaries are found under /usr/lib/postgresql/N/bin (Debian's postgresql package; the newest N >= 13), else on
 * the PATH; {@code .ci/run} installs the package when they are missing (without them, outside CI, the tests that
 * need a server are skipped).
 */
public final class PostgresServer {
    private static final int MIN_VERSION = 13;
    private static PostgresServer shared;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgres;
    private final boolean durable;
    private final TlsCerts tls;
    private final boolean plainToo;
    private final boolean clientCerts;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgres, boolean durable, TlsCerts tls, boolean plainToo, boolean clientCerts) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgres = asPostgres;
        this.durable = durable;
        this.tls = tls;
        this.plainToo = plainToo;
        this.clientCerts = clientCerts;
    }

    /** The JVM's cluster, started on first use. */
    public static synchronized PostgresServer shared() {
        if (shared == null) shared = start(false, null, false, false);
        return shared;
    }

    /** A cluster of the caller's own (for tests that stop and restart their server); gone at JVM exit at the latest. */
    public static PostgresServer startPrivate() {
        return start(false, null, false, false);
    }

    /** A cluster of the caller's own that syncs its commits to disk, as a production server does (for figures). */
    public static PostgresServer startDurable() {
        return start(true, null, false, false);
    }

    /**
     * A cluster of the caller's own with TLS on, as docs/team.md sets one up: {@code ssl = on} with the server
     * certificate and key of {@code certs} (the key 0600, the server's user's), and pg_hba.conf taking TCP
     * connections only as {@code hostssl} (a plain one is refused): the superuser {@code postgres} trusted, every other
     * role by password (scram-sha-256). It listens on 127.0.0.1 and on 127.0.0.2, a name its certificate does not hold.
     */
    public static PostgresServer startTls(TlsCerts certs, boolean durable) {
        return start(durable, certs, false, false);
    }

    /** As {@link #startTls(TlsCerts, boolean)}; with {@code plainToo}, connections without TLS are taken as well (to measure TLS's cost). */
    public static PostgresServer startTls(TlsCerts certs, boolean durable, boolean plainToo) {
        return start(durable, certs, plainToo, false);
    }

    /**
     * As {@link #startTls(TlsCerts, boolean)}, and taking client certificates as docs/team.md sets that up:
     * {@code ssl_ca_file} is the test CA, and the members of the role {@value #CERT_GROUP} log in by a certificate the CA
     * signed whose CN is their role's name ({@code hostssl ... cert clientcert=verify-full}), never by password.
     */
    public static PostgresServer startTlsWithClientCerts(TlsCerts certs) {
        PostgresServer s = start(false, certs, false, true);
        s.sql("postgres", "CREATE ROLE " + CERT_GROUP + " NOLOGIN");
        return s;
    }

    /** The role whose members log in by client certificate on a {@link #startTlsWithClientCerts} cluster. */
    public static final String CERT_GROUP = "huddle_cert_logins";

    /**
     * On a {@link #startTlsWithClientCerts} cluster: a team's database owned by a new role ({@code name} and this JVM's
     * pid) that logs in only by a client certificate; returns the role, which is also the database's name.
     */
    public String certTeam(String name) {
        String role = name + "_" + ProcessHandle.current().pid();
        sql("postgres", "CREATE ROLE " + role + " LOGIN IN ROLE " + CERT_GROUP, "CREATE DATABASE " + role + " OWNER " + role);
        return role;
    }

    /** The store URL of {@code role}'s database on this cluster, verified against {@code certs}' CA; a null cert or key is left out. */
    public String certUrl(TlsCerts certs, String role, Object cert, Object key) {
        return "postgresql://" + role + "@localhost:" + port() + "/" + role + "?sslmode=verify-full&sslrootcert=" + certs.ca()
                + (cert == null ? "" : "&sslcert=" + cert) + (key == null ? "" : "&sslkey=" + key);
    }

    /**
     * Puts a new server certificate and key in place of the running ones and reloads ({@code pg_ctl reload}: the
     * server reads its TLS files again on SIGHUP; connections made before keep theirs).
     */
    public void replaceServerCertificate(Path cert, Path key) {
        try {
            Path staged = dir.resolve("staged");
            Files.createDirectories(staged);
            Path newCert = Files.copy(cert, staged.resolve("server.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path newKey = Files.copy(key, staged.resolve("server.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(newKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            if (asPostgres) {
                chown(newCert);
                chown(newKey);
            }
            // moved over: the server never reads half a file
            Files.move(newCert, dir.resolve("server.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.move(newKey, dir.resolve("server.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot put the new server certificate in place: " + e.getMessage(), e);
        }
        run(List.of(bin.resolve("pg_ctl").toString(), "reload", "-D", dir.resolve("data").toString()), 60);
    }

    /** The server's log so far (what it said about a reload, a refused certificate). */
    public String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    /** A fresh, empty database on this cluster. */
    public PostgresTarget createDatabase(String prefix) {
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet()).toLowerCase(java.util.Locale.ROOT);
        sql("postgres", "CREATE DATABASE " + name);
        return target(name);
    }

    /** A fresh, empty database on the shared cluster; its URL as huddle's store_url takes it (user postgres, no password). */
    public static PostgresTarget newDatabase(String prefix) {
        return shared().createDatabase(prefix);
    }

    public PostgresTarget target(String database) {
        return PostgresTarget.parse("postgresql://postgres@127.0.0.1:" + port + "/" + database);
    }

    public int port() {
        return port;
    }

    /** Runs statements as the superuser on one database of the cluster. */
    public void sql(String database, String... statements) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
             Statement st = c.createStatement()) {
            for (String s : statements) st.execute(s);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("on the test server: " + String.join("; ", statements) + ": " + e.getMessage(), e);
        }
    }

    /** The first column of each row a query returns, as text. */
    public List<String> query(String database, String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
             Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("on the test server: " + sql + ": " + e.getMessage(), e);
        }
    }

    public void stop() {
        run(List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w"), 60);
    }

    /** Stops it if it runs. */
    public void stopQuietly() {
        try {
            stop();
        } catch (IllegalStateException stoppedAlready) {
            // a test stopped it
        }
    }

    /** Starts it again after {@link #stop} (same port, same data). */
    public void restart() {
        startServer();
    }

    private static PostgresServer start(boolean durable, TlsCerts tls, boolean plainToo, boolean clientCerts) {
        Path bin = findBinaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("huddle-pg-");
            if (root) chown(dir);
            PostgresServer s = new PostgresServer(bin, dir, freePort(), root, durable, tls, plainToo, clientCerts);
            s.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres", "--auth=trust",
                    "--no-sync", "--locale=C", "--encoding=UTF8"), 180);
            if (tls != null) s.configureTls(root);
            s.startServer();
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                s.stopQuietly();
                deleteQuietly(dir);
            }));
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the test PostgreSQL cluster: " + e.getMessage(), e);
        }
    }

    private void startServer() {
        // fsync off: a test cluster lives as long as its JVM (huddle's durability is the server's, not under test here)
        String options = "-p " + port + " -k " + dir + " -c max_connections=200" + (durable ? "" : " -c fsync=off")
                + (tls == null ? " -c listen_addresses=127.0.0.1" : " -c listen_addresses=127.0.0.1,127.0.0.2 -c ssl=on"
                + " -c ssl_cert_file=" + dir.resolve("server.crt") + " -c ssl_key_file=" + dir.resolve("server.key")
                + (clientCerts ? " -c ssl_ca_file=" + dir.resolve("client-ca.pem") : ""));
        run(List.of(bin.resolve("pg_ctl").toString(), "start", "-w", "-t", "120", "-D", dir.resolve("data").toString(),
                "-l", dir.resolve("server.log").toString(), "-o", options), 180);
    }

    /** The server's certificate and key beside its data (the key 0600 and the server's user's, or it refuses to start), hostssl only. */
    private void configureTls(boolean root) throws IOException {
        Path cert = Files.copy(tls.serverCert(), dir.resolve("server.crt"));
        Path key = Files.copy(tls.serverKey(), dir.resolve("server.key"));
        if (clientCerts) {
            Path clientCa = Files.copy(tls.ca(), dir.resolve("client-ca.pem"));
            if (root) chown(clientCa);
        }
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path hba = dir.resolve("data/pg_hba.conf");
        Path staged = dir.resolve("pg_hba.conf");
        Files.writeString(staged, "local all all trust\n"
                + "hostssl all postgres 127.0.0.0/8 trust\n"
                + (clientCerts ? "hostssl all +" + CERT_GROUP + " 127.0.0.0/8 cert clientcert=verify-full\n" : "")
                + "hostssl all all 127.0.0.0/8 scram-sha-256\n"
                + (plainToo ? "hostnossl all postgres 127.0.0.0/8 trust\n" : "")); // else no host line: a connection without TLS is refused
        if (root) {
            chown(cert);
            chown(key);
            run(List.of("cp", staged.toString(), hba.toString()), 30); // as postgres: the data directory is its alone
        } else {
            Files.copy(staged, hba, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private String run(List<String> command, int timeoutS) {
        List<String> full = new ArrayList<>();
        if (asPostgres) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish in " + timeoutS + " s: " + out);
            }
            if (p.exitValue() != 0) {
                String log = "";
                Path serverLog = dir.resolve("server.log");
                if (Files.exists(serverLog)) log = "\nserver.log:\n" + Files.readString(serverLog);
                throw new IllegalStateException(String.join(" ", full) + " exited with " + p.exitValue() + ": " + out + log);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + full + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + full, e);
        }
    }

    /** The newest Debian cluster binaries (version >= 13), else initdb on the PATH. */
    static Path findBinaries() {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var best = versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                        .filter(v -> Integer.parseInt(v.getFileName().toString()) >= MIN_VERSION)
                        .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())));
                if (best.isPresent()) return best.get().resolve("bin");
            } catch (IOException ignored) {
                // look on the PATH
            }
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "initdb")) && Files.isExecutable(Path.of(d, "pg_ctl"))) return Path.of(d);
        }
        String missing = "no PostgreSQL >= " + MIN_VERSION + " binaries (initdb, pg_ctl): install Debian's postgresql"
                + " package (apt-get install postgresql; .ci/run does) or put initdb on the PATH";
        // skipped on a developer's machine without them, as the real-client tests are without their clients; never in CI
        if (System.getenv("CI") == null) throw new org.opentest4j.TestAbortedException(missing);
        throw new IllegalStateException(missing);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void chown(Path dir) throws IOException {
        try {
            Process p = new ProcessBuilder("chown", "postgres:postgres", dir.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IOException("chown postgres " + dir + " failed (is there a postgres user?): " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind
        }
    }

    /** For tests that want to know: which server runs. */
    public Map<String, String> describe() {
        return Map.of("bin", bin.toString(), "dir", dir.toString(), "port", Integer.toString(port));
    }
}
