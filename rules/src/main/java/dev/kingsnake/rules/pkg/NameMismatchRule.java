package dev.kingsnake.rules.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kingsnake.PackageKind;
import dev.kingsnake.spi.FileKind;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PackageInfo;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name in PKG-INFO/METADATA is not the name the archive is published under: the file name, the sdist's top
 * directory, the wheel's {@code .dist-info} directory, or the sdist's own pyproject.toml/setup.cfg.
 */
public final class NameMismatchRule implements Rule {
    private static final RuleInfo INFO = new RuleInfo("KS-PKG-NAME-MISMATCH",
            "The Name in PKG-INFO/METADATA differs (after PEP 503 normalisation) from the archive's file name, its"
                    + " top directory or .dist-info directory, or the name in the sdist's pyproject.toml, setup.py"
                    + " or setup.cfg.",
            Severity.MEDIUM, Confidence.HIGH, Set.of(Tags.METADATA),
            "requestz-1.0.tar.gz containing requestz-1.0/PKG-INFO with\nName: requests",
            "Names are compared after PEP 503 normalisation, so Foo_Bar, foo-bar and foo.bar agree. Archives"
                    + " renamed without a version in the file name (pkg.whl) are not compared by file name."
                    + " Metadata copied from another project is what this catches; alone it is weak evidence.");
    private static final Pattern WHEEL = Pattern.compile("^([^-]+)-([^-]+)(-.*)?\\.(whl|egg)$");
    private static final Pattern SDIST =
            Pattern.compile("^(.+?)-(\\d[^-]*?)(\\.tar\\.gz|\\.tgz|\\.tar\\.bz2|\\.tar\\.xz|\\.tar|\\.zip)$");
    private static final Pattern DIR_VERSION = Pattern.compile("^(.+?)-(\\d[^/-]*)$");
    private static final Pattern CFG_NAME = Pattern.compile("(?m)^\\s*name\\s*=\\s*([A-Za-z0-9._-]+)\\s*$");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(RuleContext ctx, FindingSink sink) {
        PackageInfo info = ctx.packageInfo();
        Optional<String> declared = info.header("Name").filter(n -> !n.isBlank());
        if (declared.isEmpty() || info.metadataPath().isEmpty()) {
            return;
        }
        String name = PackageNames.normalise(declared.get());
        Optional<Location> at = PackageMetadata.header(ctx, "Name");
        if (at.isEmpty()) {
            return;
        }
        String published = fileNameName(info);
        if (published != null && !PackageNames.normalise(published).equals(name)) {
            sink.report(at.get(), "The metadata names the package '" + declared.get() + "' but the archive is '"
                    + info.fileName() + "'", "Name: " + declared.get() + " / " + info.fileName());
            return;
        }
        String metaPath = info.metadataPath();
        int slash = metaPath.indexOf('/');
        if (slash > 0) {
            String dir = metaPath.substring(0, slash);
            String dirName = dir.endsWith(".dist-info") || dir.endsWith(".egg-info")
                    ? dir.substring(0, dir.lastIndexOf('.')) : dir;
            Matcher m = DIR_VERSION.matcher(dirName);
            String base = m.matches() ? m.group(1) : info.kind() == PackageKind.SDIST ? null : dirName;
            if (base != null && !PackageNames.normalise(base).equals(name)) {
                sink.report(at.get(), "The metadata names the package '" + declared.get() + "' but it sits in '" + dir
                        + "/'", "Name: " + declared.get() + " / " + dir);
                return;
            }
        }
        if (info.kind() == PackageKind.SDIST) {
            String root = slash > 0 ? metaPath.substring(0, slash + 1) : "";
            for (String[] own : ownMetadataNames(ctx, root)) {
                if (!PackageNames.normalise(own[1]).equals(name)) {
                    sink.report(at.get(), "PKG-INFO names the package '" + declared.get() + "' but " + own[0]
                            + " says '" + own[1] + "'", "Name: " + declared.get() + " / " + own[0] + ": " + own[1]);
                    return;
                }
            }
        }
    }

    private static String fileNameName(PackageInfo info) {
        Matcher m = (info.kind() == PackageKind.WHEEL || info.kind() == PackageKind.EGG ? WHEEL : SDIST)
                .matcher(info.fileName());
        return info.kind() == PackageKind.SDIST || info.kind() == PackageKind.WHEEL || info.kind() == PackageKind.EGG
                ? m.matches() ? m.group(1) : null : null;
    }

    /**
     * {source, name} from [project].name of pyproject.toml, the constant name= of setup.py's setup() call and
     * [metadata] name of setup.cfg, in the sdist's top directory. A setup.cfg left over from another project
     * counts too: it is a sign of copied packaging files even when setup.py overrides it.
     */
    private static List<String[]> ownMetadataNames(RuleContext ctx, String root) {
        List<String[]> out = new ArrayList<>();
        Optional<SourceFile> pyproject = ctx.file(root + "pyproject.toml").filter(f -> f.kind() == FileKind.PYPROJECT);
        if (pyproject.isPresent()) {
            // an unparsable pyproject.toml says nothing about the name
            JsonNode n = PackageMetadata.pyprojectTable(pyproject.get()).path("name");
            if (n.isTextual() && !n.asText().isBlank()) {
                out.add(new String[] {"pyproject.toml", n.asText()});
            }
        }
        for (SetupCall.Found setup : SetupCall.find(ctx)) {
            Optional<String> name = setup.text("name");
            if (name.isPresent() && setup.file().path().equals(root + "setup.py")) {
                out.add(new String[] {"setup.py", name.get()});
            }
        }
        Optional<SourceFile> cfg = ctx.file(root + "setup.cfg");
        if (cfg.isPresent()) {
            String text = cfg.get().text();
            int section = text.indexOf("[metadata]");
            if (section >= 0) {
                int next = text.indexOf("\n[", section + 1);
                Matcher m = CFG_NAME.matcher(text.substring(section, next < 0 ? text.length() : next));
                if (m.find()) {
                    out.add(new String[] {"setup.cfg", m.group(1)});
                }
            }
        }
        return out;
    }
}
