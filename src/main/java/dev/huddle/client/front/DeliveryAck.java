package dev.huddle.client.front;

import dev.huddle.protocol.Hello;
import dev.huddle.protocol.MiniJson;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The delivery receipt's line, {@code {"huddle_ack":<id>}}, both ways (see {@link Hello#DELIVERY_ACK}). */
final class DeliveryAck {
    private DeliveryAck() {}

    private static final byte[] PREFIX = ("{\"" + Hello.DELIVERY_ACK + "\":").getBytes(StandardCharsets.UTF_8);

    static boolean isAck(byte[] line) {
        if (line.length <= PREFIX.length || line.length > 512) return false;
        for (int i = 0; i < PREFIX.length; i++) if (line[i] != PREFIX[i]) return false;
        return true;
    }

    /** The id as the front keys responses ({@link JsonRpc#responseIdKey}), or null. */
    static String idKey(byte[] line) {
        try {
            Map<String, Object> m = MiniJson.parseObject(new String(line, StandardCharsets.UTF_8));
            Object id = m.get(Hello.DELIVERY_ACK);
            return id == null ? null : MiniJson.write(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static byte[] line(String idKey) {
        return ("{\"" + Hello.DELIVERY_ACK + "\":" + idKey + "}\n").getBytes(StandardCharsets.UTF_8);
    }
}
