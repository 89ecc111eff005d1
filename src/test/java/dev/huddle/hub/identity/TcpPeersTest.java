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
