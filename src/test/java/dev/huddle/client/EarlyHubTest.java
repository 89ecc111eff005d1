package dev.huddle.client;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EarlyHubTest {

    @Test
    void onlyAHubsCommandLineIsWaitedFor() {
        assertThat(EarlyHub.isHub(Optional.of(List.of("-Xmx160m", "-jar", "/x/huddle.jar", "hub", "run", "--detached")))).isTrue();
        assertThat(EarlyHub.isHub(Optional.of(List.of("-jar", "/x/huddle.jar", "hub", "stop")))).isFalse();
        assertThat(EarlyHub.isHub(Optional.of(List.of("-c", "sleep 100")))).isFalse();
        assertThat(EarlyHub.isHub(Optional.empty())).as("a zombie, or a process we may not read").isFalse();
    }

    @Test
    void aPidThatIsNoHubIsNotWaitedFor() {
        assertThat(EarlyHub.hub(Long.toString(ProcessHandle.current().pid()))).isEmpty();
        assertThat(EarlyHub.hub("not a pid")).isEmpty();
        assertThat(EarlyHub.hub("")).isEmpty();
        assertThat(EarlyHub.hub(null)).isEmpty();
    }
}
