package dev.kingsnake;

import java.util.Objects;

/**
 * A finding the user chose to set aside, kept in the result so that reports still show it, and left out of
 * the score and verdict.
 *
 * @param finding the finding as the rule reported it
 * @param reason  why: the matching suppression's reason, or {@code "baseline"} for a finding already in the
 *                baseline
 */
public record SuppressedFinding(Finding finding, String reason) {
    public SuppressedFinding {
        Objects.requireNonNull(finding, "finding");
        Objects.requireNonNull(reason, "reason");
    }
}
