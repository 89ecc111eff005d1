package dev.huddle.hub.identity;

import dev.huddle.terminal.ProcessInspector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A loopback TCP connection proves its process: the kernel's socket table names its inode and uid, the fd table its holder. */
class TcpPeersTest {

    @Test
    void theProcessThatOpenedALoopbackConnectionIsFound() throws Exception {
        assumeTrue(TcpPeers.unavailable() == null, "needs /proc");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             Socket client = new Socket("127.0.0.1", server.getLocalPort());
             Socket accepted = server.accept()) {
            InetSocketAddress from = (InetSocketAddress) accepted.getRemoteSocketAddress();
            InetSocketAddress to = (InetSocketAddress) accepted.getLocalSocketAddress();
            TcpPeers peers = TcpPeers.system();
            TcpPeers.ClientSocket socket = peers.clientSocket(from, to).orElseThrow();
            assertThat(peers.ours(socket)).isTrue();
            long me = ProcessHandle.current().pid();
            assertThat(peers.holds(me, socket)).isTrue();
            long parent = ProcessHandle.current().parent().orElseThrow().pid();
            assertThat(peers.holds(parent, socket)).as("the parent does not hold the test's socket").isFalse();
            assertThat(peers.holder(socket, List.of(parent)).orElseThrow()).as("found by the scan when the suspect is wrong").isEqualTo(me);

            Caller caller = new Callers(new ProcessInspector()).ofTcp(from, to, List.of(me));
            assertThat(caller.proven()).isTrue();
            assertThat(caller.pid()).isEqualTo(me);
            assertThat(caller.parent()).isEqualTo(parent);

            // the server's own end (ports the other way round) is not a client socket
            assertThat(peers.clientSocket(to, from)).isPresent().get().isNotEqualTo(socket);
            Caller nobody = new Callers(new ProcessInspector()).ofTcp(new InetSocketAddress("127.0.0.1", 1), to, List.of(me));
            assertThat(nobody.proven()).isFalse();
        }
    }

    @Test
    void theKernelAskedByAddressAgreesWithItsSocketTable() throws Exception {
        assumeTrue(TcpPeers.unavailable() == null, "needs /proc");
        TcpPeers peers = TcpPeers.system();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            // an IPv4 socket (as Node's) and a dual-stack one (as a JVM's), each listed in another table
            for (java.net.ProtocolFamily family : List.of(java.net.StandardProtocolFamily.INET, java.net.StandardProtocolFamily.INET6)) {
                try (java.nio.channels.SocketChannel client = java.nio.channels.SocketChannel.open(family);
                     Socket accepted = acceptFrom(server, client)) {
                    InetSocketAddress from = (InetSocketAddress) accepted.getRemoteSocketAddress();
                    InetSocketAddress to = (InetSocketAddress) accepted.getLocalSocketAddress();
                    SockDiag.Found found = SockDiag.clientSocket(from, to).orElseThrow(() -> new AssertionError("sock_diag found no " + family + " socket"));
                    TcpPeers.ClientSocket asked = new TcpPeers.ClientSocket(found.inode(), found.uid());
                    assertThat(asked).as(family.toString()).isEqualTo(peers.listed((Inet4Address) from.getAddress(), from.getPort(),
                            (Inet4Address) to.getAddress(), to.getPort()).orElseThrow());
                    assertThat(peers.holds(ProcessHandle.current().pid(), asked)).isTrue();
                    assertThat(SockDiag.clientSocket(new InetSocketAddress("127.0.0.1", 1), to)).as("no such connection").isEmpty();
                }
            }
        }
    }

    private static Socket acceptFrom(ServerSocket server, java.nio.channels.SocketChannel client) throws java.io.IOException {
        client.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()));
        return server.accept();
    }

    @Test
    void theHolderIsLookedForInTheCandidatesThenTheirChildrenThenEverywhere(@TempDir Path proc) throws Exception {
        TcpPeers.ClientSocket socket = new TcpPeers.ClientSocket(4242, 1000);
        holding(proc, 100, "pipe:[1]");
        holding(proc, 300, "socket:[4242]");   // a child of 100, on its second thread
        holding(proc, 900, "socket:[4242]");   // unrelated, also holds it (passed on)
        Files.createDirectories(proc.resolve("100/task/100"));
        Files.writeString(proc.resolve("100/task/100/children"), "200 ");
        Files.createDirectories(proc.resolve("100/task/101"));
        Files.writeString(proc.resolve("100/task/101/children"), "300 ");
        holding(proc, 200, "socket:[1]");
        TcpPeers peers = new TcpPeers(proc, 1000);
        assertThat(peers.children(100)).containsExactlyInAnyOrder(200L, 300L);
        assertThat(peers.holder(socket, List.of(100L)).orElseThrow()).as("a child of the candidate before any other process").isEqualTo(300);
        assertThat(peers.holder(socket, List.of(900L)).orElseThrow()).isEqualTo(900);
        assertThat(peers.holder(new TcpPeers.ClientSocket(7, 1000), List.of(100L))).isEmpty();
    }

    private static void holding(Path proc, long pid, String target) throws java.io.IOException {
        Path fd = Files.createDirectories(proc.resolve(pid + "/fd"));
        Files.createSymbolicLink(fd.resolve("3"), Path.of(target));
    }

    @Test
    void anotherUsersSocketIsNotOurs(@TempDir Path proc) throws Exception {
        InetSocketAddress client = new InetSocketAddress("127.0.0.1", 40000);
        InetSocketAddress hub = new InetSocketAddress("127.0.0.1", 8080);
        Files.createDirectories(proc.resolve("net"));
        String local = TcpPeers.hex((Inet4Address) client.getAddress(), 40000);
        String remote = TcpPeers.hex((Inet4Address) hub.getAddress(), 8080);
        Files.writeString(proc.resolve("net/tcp"), "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
                + "   0: " + local + " " + remote + " 06 00000000:00000000 00:00000000 00000000  1001        0 111 1 0\n"
                + "   1: " + local + " " + remote + " 01 00000000:00000000 00:00000000 00000000  1001        0 222 1 0\n");
        TcpPeers peers = new TcpPeers(proc, 1000);
        TcpPeers.ClientSocket s = peers.clientSocket(client, hub).orElseThrow();
        assertThat(s).as("only an established socket").isEqualTo(new TcpPeers.ClientSocket(222, 1001));
        assertThat(peers.ours(s)).isFalse();
        assertThat(TcpPeers.hex((Inet4Address) InetAddress.getByName("127.0.0.1"), 0x1F90)).isIn("0100007F:1F90", "7F000001:1F90");
    }
}
