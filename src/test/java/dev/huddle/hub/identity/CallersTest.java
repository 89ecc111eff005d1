package dev.huddle.hub.identity;

import dev.huddle.core.HuddleError;
import dev.huddle.terminal.ProcessInspector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The socket proves the caller: its pid and user from the kernel, its ancestors from the process table. */
class CallersTest {

    @Test
    void theKernelNamesThePeerOfAUnixSocket(@TempDir Path tmp) throws Exception {
        Path sock = tmp.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(sock)); SocketChannel accepted = server.accept()) {
                assertThat(PeerCredentials.unavailable()).as("surefire runs with the export the jar's manifest carries").isNull();
                PeerCredentials.Peer peer = PeerCredentials.of(accepted);
                assertThat(peer.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(peer.why()).isNull();
                assertThat(peer.user()).isNotNull();

                Caller caller = new Callers(new ProcessInspector()).of(accepted);
                assertThat(caller.proven()).isTrue();
                assertThat(caller.sameUser()).isTrue();
                assertThat(caller.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(caller.parent()).isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
            }
        }
    }

    @Test
    void aNamedPidMayNarrowToAnAncestorButNeverWiden() {
        Caller caller = new Caller(List.of(40L, 30L, 20L, 1L), -1, true, null);
        assertThat(caller.fromNamed()).containsExactly(40L, 30L, 20L, 1L);
        Caller narrowed = caller.narrowedTo(20);
        assertThat(narrowed.named()).isEqualTo(20);
        assertThat(narrowed.pid()).as("still the socket's peer").isEqualTo(40);
        assertThat(narrowed.fromNamed()).containsExactly(20L, 1L);
        assertThat(caller.narrowedTo(0)).isEqualTo(caller);
        assertThatThrownBy(() -> caller.narrowedTo(99)).isInstanceOf(HuddleError.class)
                .satisfies(e -> assertThat(((HuddleError) e).code()).isEqualTo("forbidden"));
    }

    @Test
    void anUnprovenCallerStaysUnprovenWhateverItNames() {
        Caller unproven = Caller.unproven("no pid here", true);
        assertThat(unproven.proven()).isFalse();
        assertThat(unproven.narrowedTo(1234)).isEqualTo(unproven);
        assertThat(unproven.fromNamed()).isEmpty();
        assertThat(unproven.pid()).isEqualTo(-1);
        assertThat(new Caller(List.of(), -1, true, null).unproven()).as("a caller that exited").isNotNull();
    }
}
