package dev.huddle.hub.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LoginUsersTest {
    @Test
    void peopleWithALoginShellOtherThanMeAreOthers(@TempDir Path dir) throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), """
                root:x:0:0:root:/root:/bin/bash
                daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
                me:x:1000:1000:Me:/home/me:/bin/bash
                alice:x:1001:1001:Alice:/home/alice:/usr/bin/zsh
                svc:x:1002:1002::/srv:/bin/false
                nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
                broken line
                """);
        assertThat(LoginUsers.others(passwd, 1000)).containsExactly("alice");
        assertThat(LoginUsers.others(passwd, 0)).containsExactly("me", "alice");
        assertThat(LoginUsers.others(dir.resolve("missing"), 1000)).isEmpty();
    }
}
