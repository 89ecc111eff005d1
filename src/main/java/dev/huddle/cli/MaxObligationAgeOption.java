package dev.huddle.cli;

import dev.huddle.protocol.cockpit.StatusReport;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code --max-obligation-age DURATION}: from when an open obligation counts as stale (a picocli mixin). */
public final class MaxObligationAgeOption {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?");

    @Option(names = "--max-obligation-age", paramLabel = "DURATION",
            description = "An obligation open longer than this is stale: 90s, 30m, 2h, 500ms or ISO-8601 (default 30m).")
    String maxObligationAge;

    /** In milliseconds: the option's, else the hub's default (30 minutes); a usage error of {@code command} when malformed. */
    long millis(BaseCommand command) {
        if (maxObligationAge == null) return StatusReport.DEFAULT_MAX_OBLIGATION_AGE_MS;
        Duration d = parseDuration(maxObligationAge);
        if (d == null) throw command.usage("--max-obligation-age '" + maxObligationAge + "' is not a duration (try 90s, 30m, 2h or PT30M)");
        return d.toMillis();
    }

    /** 500ms, 90s, 30m, 2h, 1d, a bare number of seconds, or ISO-8601 (PT30M); null when none of these or negative. */
    static Duration parseDuration(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            Duration d = Duration.parse(s.strip().toUpperCase(Locale.ROOT));
            return d.isNegative() ? null : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
