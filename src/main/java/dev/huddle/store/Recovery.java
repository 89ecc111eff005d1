package dev.huddle.store;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code huddle hub recover} salvaged from a damaged database: per table the rows kept and lost, where the new
 * database is and where the damaged file was kept.
 *
 * @param unreadableReason why nothing at all could be read (the new database is empty then), or null
 */
public record Recovery(Path database, Path keptAt, List<Table> tables, int oldSchemaVersion, String unreadableReason) {
    /** One table: {@code unreadable} rowids could not be read (at most that many rows lost). */
    public record Table(String name, long copied, long unreadable, long orphansDropped) {}

    public long copied() {
        return tables.stream().mapToLong(Table::copied).sum();
    }

    public long lost() {
        return tables.stream().mapToLong(t -> t.unreadable() + t.orphansDropped()).sum();
    }
}
