package dev.huddle.tools.bench;

import dev.huddle.protocol.JvmOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The floors of {@code huddle bench}, measured first in every run (issue 18, item 4): what this machine, as loaded as
 * it is now, charges for the work a figure cannot skip. A figure names its floor ({@link Figure#withFloor}) and the
 * report prints the ratio beside the time, so a noisy machine moves both and the ratio still means something.
 */
final class FloorBench {
    private final Lab lab;

    FloorBench(Lab lab) {
        this.lab = lab;
    }

    void run() throws IOException {
        int n = lab.quick() ? 10 : 30;
        lab.progress.println("bench: floors (process spawn, trivial JVM start, SQLite single-row commit, Unix-socket round trip), "
                + n + " runs each");
        List<Double> spawn = new ArrayList<>();
        List<Double> jvm = new ArrayList<>();
        List<String> java = new ArrayList<>();
        java.add(lab.java);
        java.addAll(JvmOptions.COMMON);
        java.addAll(JvmOptions.FRONT);
        java.add("-version");
        for (int i = -3; i < n; i++) { // interleaved, so drift hits both alike
            double s = timedRun(List.of("/bin/true"));
            double j = timedRun(java);
            if (i >= 0) {
                spawn.add(s);
                jvm.add(j);
            }
        }
        lab.put(Figure.measured(Floors.SPAWN, "floor: spawn /bin/true and wait for it", "ms", Stats.of(spawn), null,
                "ProcessBuilder.start + waitFor from the bench JVM: what starting any process costs here"));
        lab.put(Figure.measured(Floors.JVM, "floor: trivial JVM start (java -version, front flags)", "ms", Stats.of(jvm), null,
                "java " + String.join(" ", JvmOptions.COMMON) + " " + String.join(" ", JvmOptions.FRONT) + " -version: no class of huddle's"));
        lab.put(Figure.atLeast(Floors.SQLITE, "floor: single-row SQLite commits per second", "commits/s", sqliteCommits(lab.quick() ? 1 : 3,
                lab.quick() ? 300 : 2000), null, "one INSERT of an 80-byte row per transaction, one thread, on a database opened as the"
                + " hub opens its own (same pragmas, same code), on the bench's /tmp"));
        lab.put(Figure.measured(Floors.SOCKET, "floor: Unix-socket round trip (one line each way)", "us", socketRoundTrips(lab.quick() ? 200 : 2000), null,
                "in the bench JVM: a line written, echoed by a thread, read back"));
    }

    private double timedRun(List<String> cmd) throws IOException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /**
     * Commits per second of {@code perRun} single-row transactions, once per run, through the driver and with the
     * pragmas the hub's database uses (store/sqlite/SqliteDatabase: WAL, synchronous=NORMAL; keep them alike).
     */
    private Stats sqliteCommits(int runs, int perRun) throws IOException {
        Path dir = Files.createDirectory(lab.root.resolve("floor-sqlite"));
        List<Double> rates = new ArrayList<>();
        String url = "jdbc:sqlite:" + dir.resolve("floor.db") + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000";
        try (Connection c = DriverManager.getConnection(url); Statement ddl = c.createStatement()) {
            ddl.execute("CREATE TABLE floor(id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
            c.setAutoCommit(false);
            String body = "x".repeat(80);
            try (PreparedStatement st = c.prepareStatement("INSERT INTO floor(body) VALUES (?)")) {
                for (int r = -1; r < runs; r++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < perRun; i++) {
                        st.setString(1, body);
                        st.executeUpdate();
                        c.commit();
                    }
                    if (r >= 0) rates.add(perRun / ((System.nanoTime() - t0) / 1e9));
                }
            }
        } catch (SQLException e) {
            throw new IOException("the SQLite floor failed: " + e.getMessage(), e);
        }
        return Stats.of(rates);
    }

    private static Stats socketRoundTrips(int n) throws IOException {
        Path sock = Files.createTempFile("huddle-floor", ".sock");
        Files.delete(sock);
        List<Double> rtt = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread echo = Thread.ofPlatform().daemon().start(() -> {
                try (SocketChannel ch = server.accept();
                     BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8))) {
                    OutputStream out = Channels.newOutputStream(ch);
                    String line;
                    while ((line = in.readLine()) != null) out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the client closed
                }
            });
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                OutputStream out = Channels.newOutputStream(client);
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
                byte[] line = String.format(Locale.ROOT, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"ok\":true}}%n").getBytes(StandardCharsets.UTF_8);
                for (int i = -50; i < n; i++) {
                    long t0 = System.nanoTime();
                    out.write(line);
                    if (in.readLine() == null) throw new IOException("the echo ended");
                    if (i >= 0) rtt.add((System.nanoTime() - t0) / 1e3);
                }
            }
            echo.interrupt();
        } finally {
            Files.deleteIfExists(sock);
        }
        return Stats.of(rtt);
    }
}
