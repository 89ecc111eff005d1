package dev.huddle.hub.identity;

import dev.huddle.terminal.ProcessInspector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The proof of a loopback TCP hook connection ({@link Callers#ofTcp}), as the hub makes it for a new connection of
 * Claude Code's http hooks: the client is a real {@code node} process holding an IPv4 connection (as Claude Code's
 * does). Finding the client socket by asking the kernel ({@code sock_diag}) against reading {@code /proc/net/tcp};
 * the whole proof when the session's process is the holder (Claude Code), when the holder is its child, and with no
 * candidate (every process scanned).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TcpProofBenchmark {
    private final TcpPeers peers = TcpPeers.system();
    private final Callers callers = new Callers(new ProcessInspector());
    private ServerSocket server;
    private Socket accepted;
    private Process node;
    private InetSocketAddress client;
    private InetSocketAddress local;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (TcpPeers.unavailable() != null) throw new IllegalStateException(TcpPeers.unavailable());
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        node = new ProcessBuilder("node", "-e", "const s=require('net').connect(" + server.getLocalPort()
                + ",'127.0.0.1');s.on('connect',()=>console.log('up'));setInterval(()=>{},1000)").start();
        accepted = server.accept();
        if (node.getInputStream().read() < 0) throw new IllegalStateException("node did not connect");
        client = (InetSocketAddress) accepted.getRemoteSocketAddress();
        local = (InetSocketAddress) accepted.getLocalSocketAddress();
        if (peers.clientSocket(client, local).isEmpty() || listed().isEmpty()) throw new IllegalStateException("no client socket found");
        if (callers.ofTcp(client, local, List.of(node.pid())).pid() != node.pid()) throw new IllegalStateException("node not proven");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        node.destroyForcibly();
        accepted.close();
        server.close();
    }

    private Optional<TcpPeers.ClientSocket> listed() {
        return peers.listed((Inet4Address) client.getAddress(), client.getPort(), (Inet4Address) local.getAddress(), local.getPort());
    }

    @Benchmark
    public Object clientSocketBySockDiag() {
        return SockDiag.clientSocket(client, local);
    }

    @Benchmark
    public Object clientSocketFromProcNetTcp() {
        return listed();
    }

    @Benchmark
    public Caller proofTheSessionProcessHolds() {
        return callers.ofTcp(client, local, List.of(node.pid()));
    }

    @Benchmark
    public Caller proofItsChildHolds() {
        return callers.ofTcp(client, local, List.of(ProcessHandle.current().pid()));
    }

    @Benchmark
    public Caller proofNoCandidate() {
        return callers.ofTcp(client, local, List.of());
    }
}
