package dev.huddle.protocol.json;

import dev.huddle.protocol.MiniJson;

/**
 * The one JSON codec of huddle's own protocol, JDK-only (the CLI and the front must start fast): records to JSON text
 * and back. Field names are the record components' names in snake_case; null fields are left out when writing (unless
 * {@link KeepNull}); {@link Inline} components are written into the enclosing object; enums are written by their
 * {@code wireName()} when they have one; {@link java.time.Instant}s as ISO-8601. Reading is lenient (see
 * {@link TreeReader}). Record shapes are worked out once per class and cached.
 */
public final class Json {
    private Json() {}

    /** {@code value} (a record, map, list, string, number, boolean, enum, instant or null) as compact JSON text. */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder(256);
        MiniJson.write(b, value, JsonWriter::adapt);
        return b.toString();
    }

    /** Parses {@code json} into {@code type}; throws {@link IllegalArgumentException} when it is not JSON. */
    public static <T> T read(String json, Class<T> type) {
        return fromTree(MiniJson.parse(json), type);
    }

    /** A tree {@link MiniJson} parsed (maps, lists, strings, numbers, booleans) as {@code type}; null for a null tree. */
    public static <T> T fromTree(Object tree, Class<T> type) {
        @SuppressWarnings("unchecked")
        T value = (T) TreeReader.convert(tree, type);
        return value;
    }

    /** {@code value} as the tree {@link MiniJson} would parse from its JSON text (for callers that still speak maps). */
    public static Object tree(Object value) {
        return MiniJson.parse(write(value));
    }
}
