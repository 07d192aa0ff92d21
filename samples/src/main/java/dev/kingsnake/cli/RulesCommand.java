package dev.kingsnake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kingsnake.rules.RuleCatalogue;
import dev.kingsnake.spi.RuleInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code kingsnake rules}: lists the rules found on the class path. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Lists the rules: id, severity, confidence, summary. --format markdown prints the README's rule table.")
final class RulesCommand implements Callable<Integer> {
    enum Format { TEXT, MARKDOWN, JSON }

    @ParentCommand
    KingsnakeCommand parent;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
            description = "text, markdown or json. Default: ${DEFAULT-VALUE}.")
    Format format = Format.TEXT;

    @Override
    public Integer call() throws IOException {
        List<RuleInfo> rules = RuleCatalogue.registered();
        OutputStream out = parent.out();
        String text = switch (format) {
            case MARKDOWN -> RuleCatalogue.markdownTable(rules);
            case JSON -> new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(rules) + "\n";
            case TEXT -> text(rules);
        };
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return KingsnakeCommand.EXIT_CLEAN;
    }

    private static String text(List<RuleInfo> rules) {
        int width = rules.stream().mapToInt(r -> r.id().length()).max().orElse(4);
        StringBuilder b = new StringBuilder();
        for (RuleInfo r : rules) {
            b.append(String.format(Locale.ROOT, "%-" + width + "s  %-8s  %-6s  %s%n",
                    r.id(), r.severity(), r.confidence(), r.summary()));
        }
        b.append(rules.size()).append(rules.size() == 1 ? " rule" : " rules").append(System.lineSeparator());
        return b.toString();
    }
}
