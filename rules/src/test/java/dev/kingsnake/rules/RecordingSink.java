package dev.kingsnake.rules;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.python.Node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Runs one {@link PythonFileRule} on one file and keeps what it reports, with the grading it reports it at. */
public final class RecordingSink implements FindingSink {
    /** One report: the line, the severity and confidence it was given (the rule's own when not given). */
    public record Reported(int line, Severity severity, Confidence confidence, String message) {
    }

    private final PythonFileRule rule;
    private final List<Reported> reported = new ArrayList<>();
    private final Set<Integer> linesReported = new HashSet<>();

    private RecordingSink(PythonFileRule rule) {
        this.rule = rule;
    }

    public static List<Reported> run(PythonFileRule rule, PythonFile file) {
        RecordingSink sink = new RecordingSink(rule);
        rule.check(file, null, sink);
        return sink.reported;
    }

    @Override
    public void report(Location at, String message, String evidence) {
        report(at, message, evidence, rule.info().severity(), rule.info().confidence());
    }

    @Override
    public void report(Location at, String message, String evidence, Severity s, Confidence c) {
        reported.add(new Reported(at.line(), s, c, message));
    }

    @Override
    public void report(PythonFile file, Node node, String message) {
        report(file, node, message, rule.info().severity(), rule.info().confidence());
    }

    @Override
    public void report(PythonFile file, Node node, String message, Severity s, Confidence c) {
        if (linesReported.add(node.line())) {
            reported.add(new Reported(node.line(), s, c, message));
        }
    }
}
