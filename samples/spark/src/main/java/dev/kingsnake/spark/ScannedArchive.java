package dev.kingsnake.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * One archive's result as it leaves an executor.
 *
 * @param verdict the result's verdict, the output's partition column
 * @param json    the result as the CLI's JSON Lines record ({@link dev.kingsnake.report.ResultJson}) plus the
 *                archive's {@code sha256} and the {@code rulesVersion} that produced it
 */
public record ScannedArchive(String verdict, String json) implements Serializable {
    public ScannedArchive {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(json, "json");
    }
}
