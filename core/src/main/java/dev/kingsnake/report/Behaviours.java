package dev.kingsnake.report;

import dev.kingsnake.Finding;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a finding shows a package doing, for reports that speak to people: the first of its rule's tags in
 * {@link #HEADINGS} order, most telling first, else {@link #OTHER}.
 */
final class Behaviours {
    static final String OTHER = "other";
    /** Tag to heading; headings of actions read as a verb phrase ("downloads code or files"). */
    static final Map<String, String> HEADINGS = headings();

    private final Map<String, RuleInfo> rules = new HashMap<>();

    Behaviours(List<RuleInfo> rules) {
        rules.forEach(r -> this.rules.put(r.id(), r));
    }

    private static Map<String, String> headings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Tags.BACKDOOR, "Gives remote control");
        m.put(Tags.EXFILTRATION, "Sends data out");
        m.put(Tags.CREDENTIALS, "Reads secrets");
        m.put(Tags.PERSISTENCE, "Stays on the machine");
        m.put(Tags.MINER, "Mines cryptocurrency");
        m.put(Tags.DOWNLOAD, "Downloads code or files");
        m.put(Tags.EXECUTE, "Runs code from data");
        m.put(Tags.PROCESS, "Starts processes");
        m.put(Tags.NETWORK, "Talks to the network");
        m.put(Tags.OBFUSCATION, "Hides what it does");
        m.put(Tags.DECODE, "Decodes data");
        m.put(Tags.FILE_WRITE, "Writes files");
        m.put(Tags.FINGERPRINT, "Collects facts about the host");
        m.put(Tags.BINARY, "Ships native code");
        m.put(Tags.DEPENDENCY, "Pulls in other packages");
        m.put(Tags.IDENTITY, "Pretends to be someone else");
        m.put(Tags.METADATA, "Package metadata and layout");
        m.put(OTHER, "Other findings");
        return Collections.unmodifiableMap(m);
    }

    /** The behaviour tag a finding is shown under. */
    String of(Finding f) {
        RuleInfo info = rules.get(f.ruleId());
        if (info != null) {
            for (String b : HEADINGS.keySet()) {
                if (info.tags().contains(b)) {
                    return b;
                }
            }
        }
        return OTHER;
    }

    /** True for behaviours that describe an action of the code (not metadata, not unclassified). */
    static boolean isAction(String behaviour) {
        return !behaviour.equals(OTHER) && !behaviour.equals(Tags.METADATA) && !behaviour.equals(Tags.IDENTITY)
                && !behaviour.equals(Tags.DEPENDENCY);
    }
}
