package dev.kingsnake.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A duration: whole seconds ({@code 60}), a number with a unit ({@code 500ms}, {@code 90s}, {@code 2m}, {@code 1h}) or ISO-8601 ({@code PT1M30S}). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(MS|S|M|H)?");

    @Override
    public Duration convert(String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        try {
            if (v.startsWith("P")) {
                return Duration.parse(v);
            }
            Matcher m = SIMPLE.matcher(v);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "S" : m.group(2);
                return switch (unit) {
                    case "MS" -> Duration.ofMillis(n);
                    case "M" -> Duration.ofMinutes(n);
                    case "H" -> Duration.ofHours(n);
                    default -> Duration.ofSeconds(n);
                };
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            // falls through to the message below
        }
        throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a duration (examples: 60, 90s, 2m, PT1M30S)");
    }

    static String format(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        return d.toSeconds() + "s";
    }
}
