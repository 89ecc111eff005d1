package dev.huddle.core.identity;

import dev.huddle.core.HuddleError;
import dev.huddle.core.Validation;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentityRulesTest {

    @Property
    void anUnboundAgentTakesAnyRealBinding(@ForAll BindingSource incoming, @ForAll boolean verified) {
        assertThat(BindingSource.UNBOUND.mayBeReplacedBy(incoming, verified)).isEqualTo(incoming != BindingSource.UNBOUND);
    }

    @Property
    void aBoundIdentityChangesOnlyByClaimOrVerifiedHookRebind(@ForAll BindingSource current, @ForAll BindingSource incoming,
                                                              @ForAll boolean verified) {
        if (current == BindingSource.UNBOUND) return;
        boolean expected = incoming == BindingSource.CLAIM || (incoming == BindingSource.HOOK && verified);
        assertThat(current.mayBeReplacedBy(incoming, verified)).isEqualTo(expected);
    }

    @Test
    void wireNamesRoundTrip() {
        for (ClientType t : ClientType.values()) assertThat(ClientType.fromWireName(t.wireName())).isEqualTo(t);
        for (BindingSource b : BindingSource.values()) assertThat(BindingSource.fromWireName(b.wireName())).isEqualTo(b);
        for (Activity a : Activity.values()) assertThat(Activity.fromWireName(a.wireName())).isEqualTo(a);
        assertThat(ClientType.fromWireName("bogus")).isEqualTo(ClientType.UNKNOWN);
    }

    @Test
    void provisionalIdsAreStablePerProcessAndDistinctAcrossProcesses() {
        var a = new AgentProcess(100, 1_000);
        assertThat(Handles.provisionalId(a)).isEqualTo(Handles.provisionalId(new AgentProcess(100, 1_000)))
                .startsWith("p-").hasSize(18);
        assertThat(Handles.provisionalId(a)).isNotEqualTo(Handles.provisionalId(new AgentProcess(100, 2_000)));
        assertThat(Handles.handle(Handles.provisionalId(a))).hasSize(10).startsWith("p-");
        assertThat(Handles.handle("0123456789abcdef")).isEqualTo("01234567");
        assertThat(Handles.handle("abc")).isEqualTo("abc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"reviewer", "api-2", "Max.v2", "a", "abcdefghijklmnopqrstuvwxyz012345"})
    void goodNames(String name) {
        assertThat(Validation.name(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2fast", "-x", "has space", "abcdefghijklmnopqrstuvwxyz0123456", "é", "me", "*", "a/b"})
    void badNames(String name) {
        assertThatThrownBy(() -> Validation.name(name)).isInstanceOf(HuddleError.class)
                .extracting(e -> ((HuddleError) e).code()).isEqualTo("invalid-argument");
    }

    @Test
    void purposeIsLimitedTo200CharactersOnOneLine() {
        assertThat(Validation.purpose("  fixing the parser  ")).isEqualTo("fixing the parser");
        assertThat(Validation.purpose("é".repeat(200))).hasSize(200);
        assertThatThrownBy(() -> Validation.purpose("x".repeat(201))).isInstanceOf(HuddleError.class)
                .hasMessageContaining("201");
        assertThatThrownBy(() -> Validation.purpose("two\nlines")).isInstanceOf(HuddleError.class);
    }

    @Test
    void sessionIdsAreShapedAndNeverProvisional() {
        assertThat(Validation.sessionId(" 019a-bc:1.x_y ")).isEqualTo("019a-bc:1.x_y");
        assertThatThrownBy(() -> Validation.sessionId("p-123")).isInstanceOf(HuddleError.class);
        assertThatThrownBy(() -> Validation.sessionId("../../etc")).isInstanceOf(HuddleError.class);
        assertThatThrownBy(() -> Validation.sessionId("x".repeat(129))).isInstanceOf(HuddleError.class);
        assertThatThrownBy(() -> Validation.sessionId(null)).isInstanceOf(HuddleError.class);
    }

    @Test
    void terminalLabels() {
        assertThat(new TerminalLocation("tmux", "dev", "%3", "1", true).label()).isEqualTo("tmux dev:%3");
        assertThat(new TerminalLocation("wezterm", null, "4", null, false).label()).isEqualTo("wezterm 4 (reported)");
        assertThat(TerminalLocation.NONE.label()).isEqualTo("-");
    }
}
