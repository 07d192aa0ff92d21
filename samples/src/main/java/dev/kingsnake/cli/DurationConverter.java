package dev.kingsnake.cli;

import dev.kingsnake.gate.Durations;
import picocli.CommandLine;

import java.time.Duration;

/** A duration: whole seconds ({@code 60}), a number with a unit ({@code 500ms}, {@code 90s}, {@code 2m}, {@code 1h}, {@code 3d}) or ISO-8601 ({@code PT1M30S}). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return Durations.parse(value).orElseThrow(() -> new CommandLine.TypeConversionException(
                "'" + value + "' is not a duration (examples: 60, 90s, 2m, 3d, PT1M30S)"));
    }

    static String format(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        return d.toSeconds() + "s";
    }
}
