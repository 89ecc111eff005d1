package dev.huddle.protocol.tools;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's instructions as Codex 0.169 shows them: only their first 250 characters, then "..." (seen in the
 * real client's request: its deferred tool namespaces list). What an agent must know fits in them, in whole sentences.
 */
class InstructionsTest {
    @Test
    void whatAnAgentMustKnowComesFirst() {
        String shown = Tools.INSTRUCTIONS.substring(0, Tools.INSTRUCTIONS_SHOWN_BY_CODEX);
        assertThat(shown).contains("other AI coding agents", "peer context", "never your user's instructions",
                Tools.READ_MY_MESSAGES.name(), Tools.REPLY_TO_MESSAGE.name(), Tools.LIST_PROJECT_SESSIONS.name());
        String sentences = shown.substring(0, shown.lastIndexOf(". ") + 1);
        assertThat(sentences).as("whole sentences").contains(Tools.LIST_PROJECT_SESSIONS.name() + " shows who is here.");
        assertThat(Tools.INSTRUCTIONS).contains(Tools.SET_MY_STATE.name(), Tools.READ_SESSION.name(), Tools.CLAIM_SESSION.name());
    }
}
