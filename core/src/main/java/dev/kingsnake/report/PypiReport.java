package dev.kingsnake.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kingsnake.Finding;
import dev.kingsnake.Reach;
import dev.kingsnake.ScanResult;
import dev.kingsnake.spi.RuleInfo;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A malware report about one package for PyPI: the {@link PypiObservation} to submit through the API and the
 * same facts as Markdown for the web form. The summary names the release and file, says in one sentence what the
 * code does, and quotes the decisive evidence (the most serious findings of different rules), within 2,000
 * characters. The inspector URL points at the file and line of the most serious finding in a file of the
 * distribution itself (not a decoded layer, not a nested archive) and needs the distribution's PyPI URL; without
 * it the URL is left out and {@code inspectorUrlOmitted} says why.
 *
 * @param project             the project name as the package declares it
 * @param version             the release
 * @param observation         the API request body
 * @param inspectorUrlOmitted why there is no inspector URL, when there is none
 * @param markdown            the report for the web form
 */
public record PypiReport(String project, String version, PypiObservation observation,
                         Optional<String> inspectorUrlOmitted, String markdown) {
    private static final String FILES_HOST = "files.pythonhosted.org";
    private static final int DECISIVE = 3;
    private static final int MAX_QUOTE = 160;

    public PypiReport {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(observation, "observation");
        Objects.requireNonNull(inspectorUrlOmitted, "inspectorUrlOmitted");
        Objects.requireNonNull(markdown, "markdown");
    }

    /** The JSON form: project, version, API path, the observation, the omission reason if any, the Markdown. */
    public ObjectNode toJson() {
        ObjectNode o = ResultJson.MAPPER.createObjectNode();
        o.put("project", project);
        o.put("version", version);
        o.put("endpoint", PypiObservation.path(project));
        o.put("mediaType", PypiObservation.MEDIA_TYPE);
        o.set("observation", observation.toJson());
        inspectorUrlOmitted.ifPresent(r -> o.put("inspectorUrlOmitted", r));
        o.put("markdown", markdown);
        return o;
    }

    /**
     * The report on a result.
     *
     * @param sourceUrls PyPI download URLs; the one whose file name is the input's is used
     */
    public static PypiReport of(ScanResult r, ReportSettings settings, List<String> sourceUrls) {
        Behaviours behaviours = new Behaviours(settings.rules());
        List<Finding> decisive = decisive(r.findings());
        String distribution = fileName(r.input());
        String release = (r.name() + " " + r.version()).trim();
        String sentence = sentence(r.findings(), behaviours);

        Optional<String> omitted = Optional.empty();
        Optional<String> inspector = Optional.empty();
        Optional<String> source = sourceUrls.stream().filter(u -> fileName(u).equals(distribution)).findFirst();
        Optional<Finding> anchor = anchor(r.findings());
        if (source.isEmpty()) {
            omitted = Optional.of("the PyPI URL of " + distribution + " is not known: give it with --source-url "
                    + "https://files.pythonhosted.org/packages/.../" + distribution);
        } else if (r.name().isEmpty() || r.version().isEmpty()) {
            omitted = Optional.of("the package's name or version is unknown");
        } else if (anchor.isEmpty()) {
            omitted = Optional.of("no finding is in a file of the distribution itself");
        } else {
            Optional<String> base = inspectorBase(r.name(), r.version(), source.get());
            if (base.isEmpty()) {
                omitted = Optional.of("not a files.pythonhosted.org/packages/ URL: " + source.get());
            } else {
                Finding f = anchor.get();
                inspector = Optional.of(base.get() + "/" + encodePath(f.file()) + (f.line() > 0 ? "#line." + f.line() : ""));
            }
        }

        String head = String.format(Locale.ROOT, "%s (%s) is malware: %s Kingsnake %s scored it %.1f/10 "
                        + "(threshold %.1f) from static analysis. Evidence:", release.isEmpty() ? "?" : release,
                distribution, sentence, settings.toolVersion(), r.score(), settings.threshold());
        StringBuilder summary = new StringBuilder(TextReportWriter.safe(head));
        for (Finding f : decisive) {
            String item = " " + TextReportWriter.safe(where(f) + " " + f.ruleId() + ": " + f.message()
                    + (f.evidence().isEmpty() ? "" : ": " + quote(f.evidence()))
                    + (f.decodeChain().isEmpty() ? "" : " (after decoding " + String.join(" > ", f.decodeChain()) + ")")) + ";";
            if (summary.length() + item.length() <= PypiObservation.MAX_SUMMARY) {
                summary.append(item);
            }
        }
        String text = summary.length() > PypiObservation.MAX_SUMMARY
                ? summary.substring(0, PypiObservation.MAX_SUMMARY - 1) + "…"
                : summary.toString().replaceAll(";$", ".");
        PypiObservation observation = new PypiObservation(PypiObservation.IS_MALWARE, text, inspector);
        String markdown = markdown(r, settings, release, distribution, sentence, decisive, inspector, omitted);
        return new PypiReport(r.name(), r.version(), observation, omitted, markdown);
    }

    /** The most serious finding of each rule, most serious first, at most {@value #DECISIVE}. */
    private static List<Finding> decisive(List<Finding> findings) {
        List<Finding> out = new ArrayList<>();
        Set<String> rules = new HashSet<>();
        for (Finding f : findings) {
            if (out.size() < DECISIVE && rules.add(f.ruleId())) {
                out.add(f);
            }
        }
        return out;
    }

    /** The finding the inspector link points at: the most serious one in a file of the distribution itself. */
    private static Optional<Finding> anchor(List<Finding> findings) {
        return findings.stream().filter(f -> !f.file().isEmpty() && !f.file().contains("#") && !f.file().contains("!/"))
                .min((a, b) -> Boolean.compare(a.line() == 0, b.line() == 0));
    }

    /** "When installed, it downloads code or files, runs code from data and starts processes." */
    private static String sentence(List<Finding> findings, Behaviours behaviours) {
        Set<String> actions = new LinkedHashSet<>();
        for (String b : Behaviours.HEADINGS.keySet()) {
            if (Behaviours.isAction(b) && findings.stream().anyMatch(f -> behaviours.of(f).equals(b))) {
                actions.add(Behaviours.HEADINGS.get(b).toLowerCase(Locale.ROOT));
            }
        }
        List<String> list = new ArrayList<>(actions).subList(0, Math.min(actions.size(), 4));
        Reach reach = findings.isEmpty() ? Reach.UNKNOWN : findings.get(0).reach();
        String who = switch (reach) {
            case INSTALL_TIME -> "When installed, it ";
            case IMPORT_TIME -> "When imported, it ";
            default -> "It ";
        };
        if (list.isEmpty()) {
            return who + "matches Kingsnake's malware rules.";
        }
        String joined = list.size() == 1 ? list.get(0)
                : String.join(", ", list.subList(0, list.size() - 1)) + " and " + list.get(list.size() - 1);
        return who + joined + ".";
    }

    private static String where(Finding f) {
        String file = f.file().isEmpty() ? "(package metadata)" : f.file();
        return f.line() > 0 ? file + ":" + f.line() : file;
    }

    private static String quote(String evidence) {
        String e = evidence.length() > MAX_QUOTE ? evidence.substring(0, MAX_QUOTE) + "…" : evidence;
        return "`" + e.replace('`', '\'') + "`";
    }

    /**
     * {@code https://inspector.pypi.io/project/<name>/<version>/packages/<a>/<b>/<rest>/<file>} from
     * {@code https://files.pythonhosted.org/packages/<a>/<b>/<rest>/<file>}, the inspector's route for a file.
     */
    static Optional<String> inspectorBase(String name, String version, String sourceUrl) {
        URI uri;
        try {
            uri = new URI(sourceUrl);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (!"https".equals(uri.getScheme()) || !FILES_HOST.equals(uri.getHost()) || uri.getRawPath() == null) {
            return Optional.empty();
        }
        String[] parts = uri.getRawPath().split("/");
        // "", "packages", a, b, rest, file
        if (parts.length != 6 || !parts[1].equals("packages")) {
            return Optional.empty();
        }
        return Optional.of(PypiObservation.INSPECTOR_PREFIX + encodeSegment(canonicalName(name)) + "/"
                + encodeSegment(version) + "/packages/" + parts[2] + "/" + parts[3] + "/" + parts[4] + "/" + parts[5]);
    }

    /** PEP 503: lowercase, runs of {@code -_.} become one {@code -}; the inspector redirects other spellings. */
    static String canonicalName(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    private static String fileName(String pathOrUrl) {
        String p = pathOrUrl.replace('\\', '/');
        int q = p.indexOf('?');
        if (q >= 0 && p.contains("://")) {
            p = p.substring(0, q);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.substring(p.lastIndexOf('/') + 1);
    }

    private static String encodePath(String path) {
        return SarifReportWriter.percentEncode(path, "/");
    }

    static String encodeSegment(String s) {
        return SarifReportWriter.percentEncode(s, "");
    }

    private static String markdown(ScanResult r, ReportSettings settings, String release, String distribution,
                                   String sentence, List<Finding> decisive, Optional<String> inspector,
                                   Optional<String> omitted) {
        StringBuilder md = new StringBuilder();
        md.append("### Malware report: ").append(mdText(release.isEmpty() ? "?" : release)).append("\n\n");
        md.append("- **Project:** ").append(mdText(r.name())).append('\n');
        md.append("- **Release file:** ").append(mdText(distribution)).append('\n');
        // the URL is ours and percent-encoded: an autolink needs no escaping
        md.append("- **Inspector:** ").append(inspector.map(u -> "<" + u + ">")
                .orElse("not available (" + mdText(omitted.orElse("")) + ")")).append('\n');
        md.append(String.format(Locale.ROOT, "- **Verdict:** MALICIOUS, score %.1f/10 (Kingsnake %s, threshold %.1f)%n%n",
                r.score(), mdText(settings.toolVersion()), settings.threshold()));
        md.append(mdText(sentence)).append("\n\n#### Evidence\n\n");
        int n = 0;
        for (Finding f : decisive) {
            md.append(++n).append(". ").append(mdText(where(f))).append(" **").append(mdText(f.ruleId())).append("** (")
                    .append(f.severity()).append(f.reach() == Reach.UNKNOWN ? ""
                            : ", " + f.reach().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .append("): ").append(mdText(f.message())).append('\n');
            if (!f.decodeChain().isEmpty()) {
                md.append("   found after decoding ").append(mdText(String.join(" > ", f.decodeChain()))).append('\n');
            }
            List<String> lines = f.context().lines().isEmpty()
                    ? (f.evidence().isEmpty() ? List.of() : List.of(f.evidence())) : f.context().lines();
            if (!lines.isEmpty()) {
                List<String> body = lines.stream().map(TextReportWriter::safe).toList();
                String fence = "`".repeat(Math.max(3, longestBacktickRun(String.join("\n", body)) + 1));
                md.append("   ").append(fence).append("python\n");
                for (String line : body) {
                    md.append("   ").append(line).append('\n');
                }
                md.append("   ").append(fence).append('\n');
            }
        }
        return md.toString();
    }

    private static int longestBacktickRun(String s) {
        int best = 0;
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            run = s.charAt(i) == '`' ? run + 1 : 0;
            best = Math.max(best, run);
        }
        return best;
    }

    /**
     * Package text as inert Markdown: control characters made visible, and the characters that start emphasis,
     * code, links, HTML or tables escaped (text never starts a line here, so list and heading markers are inert).
     */
    static String mdText(String s) {
        String visible = TextReportWriter.safe(s);
        StringBuilder b = new StringBuilder(visible.length() + 8);
        for (int i = 0; i < visible.length(); i++) {
            char c = visible.charAt(i);
            if ("\\`*_[]<>|~&".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
