package dev.huddle.protocol.control;

import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.cockpit.StatusReport;
import dev.huddle.protocol.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every message of the control protocol survives the wire: each operation's request and reply, the stream's lines,
 * the front's welcome and the refusal, written and read back (as mvnd's MessageTest holds its messages).
 */
class ControlProtocolTest {
    private static final int SAMPLES = 200;

    static Stream<Arguments> messageTypes() {
        Stream<Class<?>> control = Arrays.stream(ControlOp.values()).flatMap(op -> Stream.of(op.requestType(), op.replyType()));
        return Stream.concat(control, Stream.of(WatchLine.class, HubReply.class, ControlError.class)).distinct().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messageTypes")
    void everyMessageTypeRoundTrips(Class<?> type) {
        RandomRecords random = new RandomRecords(type.getName().hashCode());
        for (int i = 0; i < SAMPLES; i++) {
            Object message = random.record(type, 0);
            String json = Json.write(message);
            assertThat(Json.read(json, type)).as(json).isEqualTo(message);
        }
    }

    @ParameterizedTest
    @EnumSource(ControlOp.class)
    void aRequestTravelsAsTheHellosOpAndArgs(ControlOp op) {
        RandomRecords random = new RandomRecords(op.ordinal());
        ControlRequest<?> request = (ControlRequest<?>) random.record(op.requestType(), 0);
        assertThat(ControlOp.of(request)).isEqualTo(op);
        assertThat(ControlOp.byWireName(op.wireName())).contains(op);
        assertThat(Json.fromTree(Json.tree(request), op.requestType())).isEqualTo(request);
    }

    @Test
    void everyRequestTypeHasOneOperationOfItsOwnName() {
        assertThat(Arrays.stream(ControlOp.values()).<Class<?>>map(ControlOp::requestType).toList())
                .containsExactlyInAnyOrder(ControlRequest.class.getPermittedSubclasses());
        assertThat(new HashSet<>(Arrays.stream(ControlOp.values()).map(ControlOp::wireName).toList())).hasSize(ControlOp.values().length);
        assertThat(ControlOp.byWireName("list_open_work")).isEmpty();
    }

    @Test
    void repliesCarryTheResultOrTheRefusal() {
        Map<String, Object> ok = MiniJson.parseObject(ControlReply.ok(new Pong(true)));
        assertThat(ok).containsEntry("ok", true).containsKey("hub_version");
        HubReply yes = HubReply.parse(ControlReply.ok(new Pong(true)));
        assertThat(yes.ok()).isTrue();
        assertThat(yes.result(Pong.class)).isEqualTo(new Pong(true));

        ControlError error = new ControlError("target-not-found", "no agent matches 'x'", "Run huddle ps.", Map.of("target", "x"));
        String refused = ControlReply.refused(error);
        assertThat(refused).isEqualTo("{\"ok\":false,\"error\":\"target-not-found\",\"message\":\"no agent matches 'x'\","
                + "\"hint\":\"Run huddle ps.\",\"details\":{\"target\":\"x\"}}");
        HubReply no = HubReply.parse(refused);
        assertThat(no.ok()).isFalse();
        assertThat(no.refusal()).isEqualTo(error);
        assertThat(ControlReply.refused(new ControlError("unknown-op", "unknown control operation 'x'")))
                .isEqualTo("{\"ok\":false,\"error\":\"unknown-op\",\"message\":\"unknown control operation 'x'\"}");
    }

    @Test
    void aFrontIsWelcomedWithTheHubsVersionBuildAndPid() {
        String welcome = HubReply.welcome().line();
        assertThat(welcome).startsWith("{\"ok\":true,\"hub_version\":").contains("\"hub_build\":", "\"hub_pid\":" + ProcessHandle.current().pid())
                .doesNotContain("result", "error");
        assertThat(HubReply.parse(welcome).hubPid()).isEqualTo(ProcessHandle.current().pid());
        assertThatThrownBy(() -> HubReply.parse("[1]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streamLinesKeepTheirShape() {
        assertThat(Json.write(WatchLine.HEARTBEAT)).isEqualTo("{\"heartbeat\":true}");
        assertThat(Json.write(WatchLine.of(CockpitSnapshot.empty()))).startsWith("{\"snapshot\":{\"v\":1,\"generation\":-1,");
    }

    /** The snapshots the dashboard's golden screens are drawn from (and app.js reads) keep every field through the codec. */
    @ParameterizedTest
    @ValueSource(strings = {"four-agents", "deadlock", "empty", "all-projects"})
    void aCockpitSnapshotFromTheHubReadsAndWritesTheSameJson(String fixture) throws IOException {
        String json;
        try (InputStream in = ControlProtocolTest.class.getResourceAsStream("/cockpit/" + fixture + ".json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        CockpitSnapshot s = Json.read(json, CockpitSnapshot.class);
        assertThat(MiniJson.parse(Json.write(s))).isEqualTo(MiniJson.parse(json));
    }

    @Test
    void theStatusReportKeepsItsAgesAndProblemNames() {
        assertThat(StatusReport.PROBLEM_ORDER).containsExactly("deadlock", "stranded_mail", "stale_obligation");
        assertThat(StatusReport.DEFAULT_MAX_OBLIGATION_AGE_MS).isEqualTo(1_800_000);
    }
}
