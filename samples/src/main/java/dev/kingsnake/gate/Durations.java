package dev.kingsnake.gate;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in flags and config files: {@code 500ms}, {@code 90s}, {@code 2m}, {@code 12h}, {@code 3d}, {@code 1w}, whole seconds, or ISO-8601. */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(MS|S|M|H|D|W)?");

    private Durations() {
    }

    /** The duration, or empty when {@code text} is not one. */
    public static Optional<Duration> parse(String text) {
        String v = text.trim().toUpperCase(Locale.ROOT);
        try {
            if (v.startsWith("P")) {
                return Optional.of(Duration.parse(v));
            }
            Matcher m = SIMPLE.matcher(v);
            if (!m.matches()) {
                return Optional.empty();
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "S" : m.group(2);
            return Optional.of(switch (unit) {
                case "MS" -> Duration.ofMillis(n);
                case "M" -> Duration.ofMinutes(n);
                case "H" -> Duration.ofHours(n);
                case "D" -> Duration.ofDays(n);
                case "W" -> Duration.ofDays(7 * n);
                default -> Duration.ofSeconds(n);
            });
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The largest whole unit that fits: {@code 3d}, {@code 12h}, {@code 30m}, {@code 45s}, {@code 250ms}. */
    public static String format(Duration d) {
        if (d.toDays() > 0) {
            return d.toDays() + "d";
        }
        if (d.toHours() > 0) {
            return d.toHours() + "h";
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + "m";
        }
        return d.toSeconds() > 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
