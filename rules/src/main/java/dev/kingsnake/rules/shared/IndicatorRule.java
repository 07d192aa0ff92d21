package dev.kingsnake.rules.shared;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.facts.Capability;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A rule that looks for {@link Indicator} strings and grades each hit by what the surrounding code
 * does: the rule's default severity when the indicator is strong, when the same function also has
 * one of {@link #companions()}, or when the file holds several different indicators of this rule; a
 * lower grade when only the file has a companion; nothing when a weak indicator stands alone (a path
 * or host named in a string is not a behaviour). One finding per line.
 */
public abstract class IndicatorRule implements PythonFileRule {

    private final RuleInfo info;
    /** The rule's indicators in one automaton. */
    private final IndicatorSet matcher;
    private final Set<Capability> companions;
    private final boolean secretStore;
    private final String message;

    /**
     * @param companions capabilities that turn a weak indicator into evidence when they are in the same function
     * @param secretStore true when the indicators name stores of secrets: a hit in the same function as a file
     *                    upload (the store read and sent in one place) is then CRITICAL
     * @param message     what a finding says; the indicator's label follows in brackets
     */
    protected IndicatorRule(RuleInfo info, List<Indicator> indicators, Set<Capability> companions,
                            boolean secretStore, String message) {
        this.info = info;
        this.matcher = new IndicatorSet(indicators);
        this.companions = Set.copyOf(companions);
        this.secretStore = secretStore;
        this.message = message;
    }

    @Override
    public final RuleInfo info() {
        return info;
    }

    protected final List<Indicator> indicators() {
        return matcher.indicators();
    }

    protected final Set<Capability> companions() {
        return companions;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallFacts facts = CallFacts.of(file);
        Map<Integer, Hit> hits = new LinkedHashMap<>();
        Set<String> labels = new HashSet<>();
        List<CallFacts.StringFact> strings = facts.strings();
        // the strings the shared pass found none of the set's literals in can match nothing: not read at all
        for (int i : matcher.candidates(facts)) {
            CallFacts.StringFact s = strings.get(i);
            int line = s.node().line();
            Hit prev = hits.get(line);
            if (prev != null && prev.indicator().strong()) {
                continue;
            }
            Optional<Indicator> ind = matcher.first(s);
            // prose is passed over; asked only of the few strings that hold an indicator
            if (ind.isPresent() && (prev == null || ind.get().strong()) && !isProse(s.text())) {
                hits.put(line, new Hit(s, ind.get()));
                labels.add(ind.get().label());
            }
        }
        boolean several = labels.size() >= 2;
        for (Hit h : hits.values()) {
            Grade g = grade(facts, h, several);
            if (g != null) {
                sink.report(file, h.string().node(), message + " (" + h.indicator().label() + ")",
                        g.severity(), g.confidence());
            }
        }
    }

    /**
     * Documentation text: several lines of mostly words with little code punctuation (ansible's module
     * {@code DOCUMENTATION} strings name {@code ~/.ssh/id_rsa} as an option's default). A script kept in a string
     * to be written out and run is code, full of brackets, '=' and ';', and is still looked at.
     */
    static boolean isProse(String text) {
        if (text.length() < 200 || text.indexOf('\n') < 0) {
            return false;
        }
        int words = 0;
        int code = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            boolean letter = Character.isLetter(ch);
            if (letter && !inWord) {
                words++;
            }
            inWord = letter;
            if (ch == '(' || ch == '=' || ch == ';' || ch == '{' || ch == '[' || ch == '$' || ch == '|') {
                code++;
            }
        }
        return words >= 40 && code * 10 < words;
    }

    /** The severity/confidence of a hit, or null to drop it. */
    protected Grade grade(CallFacts facts, Hit h, boolean several) {
        boolean inScope = hasAny(facts.scope(h.string().scope()), companions());
        if (secretStore && info().severity() == Severity.HIGH && uploadsFile(facts, h.string().scope())) {
            return new Grade(Severity.CRITICAL, Confidence.HIGH);
        }
        boolean inFile = hasAny(facts.fileCaps(), companions());
        if (h.indicator().strong() || inScope || several && inFile) {
            return new Grade(info().severity(), info().confidence());
        }
        if (secretStore && several && !inFile && !facts.fileCaps().contains(Capability.NETWORK)) {
            // several stores named in a file with no network use at all: the shape of a tool that administers
            // them (ansible's user module names /etc/passwd, /etc/shadow, ~/.ssh); low confidence, still
            // weighty enough to combine with a sender in another file
            return new Grade(lower(info().severity()), Confidence.LOW);
        }
        if (inFile || several) {
            // several stores named where nothing sends data: a tool managing them (user administration,
            // SSH clients), or a collector whose sending happens in another file; half weight either way
            return new Grade(lower(info().severity()), Confidence.MEDIUM);
        }
        return null;
    }

    /** A call in the scope sends a file: {@code files=} of an HTTP upload, or a mail/FTP/bot upload method. */
    static boolean uploadsFile(CallFacts facts, int scope) {
        for (CallFacts.CallFact c : facts.calls()) {
            if (c.scope() == scope && c.is(Capability.SEND) && (c.call().keyword("files").isPresent()
                    || Set.of("storbinary", "send_document", "sendDocument", "upload_file").contains(c.method()))) {
                return true;
            }
        }
        return false;
    }

    protected static boolean hasAny(Set<Capability> have, Set<Capability> wanted) {
        for (Capability c : wanted) {
            if (have.contains(c)) {
                return true;
            }
        }
        return false;
    }

    protected static Severity lower(Severity s) {
        return s == Severity.CRITICAL ? Severity.HIGH : s == Severity.HIGH ? Severity.MEDIUM : Severity.LOW;
    }

    public record Hit(CallFacts.StringFact string, Indicator indicator) {
    }

    public record Grade(Severity severity, Confidence confidence) {
    }
}
