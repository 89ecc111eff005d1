package dev.huddle.hub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

class HubLogTest {
    @Test
    void rotatesBySizeKeepingAFixedNumberOfPrivateFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hub.log");
        HubLog log = new HubLog(file, 1_000, 3);
        for (int i = 0; i < 100; i++) log.publish(new LogRecord(Level.INFO, "line " + i + " " + "x".repeat(50)));
        log.close();
        assertThat(dir.resolve("hub.log")).exists();
        assertThat(dir.resolve("hub.log.1")).exists();
        assertThat(dir.resolve("hub.log.3")).exists();
        assertThat(dir.resolve("hub.log.4")).doesNotExist();
        assertThat(Files.size(file)).isLessThanOrEqualTo(1_000);
        assertThat(Files.readString(file)).contains("line 99");
        for (String f : new String[]{"hub.log", "hub.log.1", "hub.log.2", "hub.log.3"}) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(f))).isEqualTo(dev.huddle.protocol.HubPaths.FILE_MODE);
        }
    }
}
