package dev.huddle.client;

import dev.huddle.protocol.AgentEnv;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HubStarterTest {
    @Test
    void aHubStartedByAnAgentsFrontKeepsNoneOfTheAgentsVariables() {
        Map<String, String> env = new HashMap<>();
        for (AgentEnv v : AgentEnv.values()) env.put(v.name(), "x");
        env.put("HUDDLE_HOME", "/h");
        env.put("LANG", "C.UTF-8");
        HubStarter.dropAgentVariables(env);
        assertThat(env).containsOnlyKeys("HUDDLE_HOME", "LANG", AgentEnv.HOME.name(), AgentEnv.PATH.name());
    }
}
