package dev.kingsnake.rules.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.kingsnake.Reach;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.SourceFile;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Where package-level findings point: the metadata header they are about, else the package as a whole. */
final class PackageMetadata {
    private static final TomlMapper TOML = new TomlMapper();

    private PackageMetadata() {
    }

    /** The {@code [project]} table of a pyproject.toml; a missing node when there is none or the file does not parse. */
    static JsonNode pyprojectTable(SourceFile pyproject) {
        try {
            return TOML.readTree(pyproject.text()).path("project");
        } catch (IOException | RuntimeException e) {
            return MissingNode.getInstance();
        }
    }

    /** The metadata file (PKG-INFO / METADATA) the engine read, if any. */
    static Optional<SourceFile> file(RuleContext ctx) {
        String path = ctx.packageInfo().metadataPath();
        return path.isEmpty() ? Optional.empty() : ctx.file(path);
    }

    /**
     * The line of the first {@code header:} in the metadata file, else that file as a whole, else the
     * first file of the package; empty for a package without files.
     */
    static Optional<Location> header(RuleContext ctx, String header) {
        Optional<SourceFile> meta = file(ctx);
        if (meta.isPresent()) {
            int line = headerLine(meta.get().text(), header);
            return Optional.of(Location.of(meta.get(), line, line == 0 ? 0 : 1, Reach.UNKNOWN));
        }
        return whole(ctx);
    }

    /** The metadata file as a whole, else the first file of the package. */
    static Optional<Location> whole(RuleContext ctx) {
        Optional<SourceFile> meta = file(ctx);
        if (meta.isPresent()) {
            return Optional.of(Location.file(meta.get(), Reach.UNKNOWN));
        }
        return ctx.files().isEmpty() ? Optional.empty()
                : Optional.of(Location.file(ctx.files().get(0), Reach.UNKNOWN));
    }

    /** One metadata header as written, with its 1-based line. */
    record Header(String name, String value, int line) {
    }

    /** Every header of the metadata file (continuation lines joined), in order; empty without metadata. */
    static List<Header> headers(RuleContext ctx) {
        Optional<SourceFile> meta = file(ctx);
        if (meta.isEmpty()) {
            return List.of();
        }
        List<Header> out = new ArrayList<>();
        String text = meta.get().text();
        int pos = 0;
        for (int i = 0; pos >= 0; i++) {
            int end = lineEnd(text, pos);
            String l = text.substring(pos, end);
            pos = nextLine(text, end);
            if (l.isEmpty()) {
                break;
            }
            if ((l.charAt(0) == ' ' || l.charAt(0) == '\t') && !out.isEmpty()) {
                Header last = out.remove(out.size() - 1);
                out.add(new Header(last.name(), last.value() + "\n" + l.strip(), last.line()));
                continue;
            }
            int colon = l.indexOf(':');
            if (colon > 0) {
                out.add(new Header(l.substring(0, colon).strip(), l.substring(colon + 1).strip(), i + 1));
            }
        }
        return out;
    }

    /** The metadata body (the long description after the headers), stripped; empty if none. */
    static String body(RuleContext ctx) {
        Optional<SourceFile> meta = file(ctx);
        if (meta.isEmpty()) {
            return "";
        }
        String text = meta.get().text().replace("\r\n", "\n");
        int blank = text.indexOf("\n\n");
        return blank < 0 ? "" : text.substring(blank + 2).strip();
    }

    /** 1-based line of the first header {@code name:} (case-insensitive) before the body, or 0. */
    static int headerLine(String text, String name) {
        int pos = 0;
        for (int i = 0; pos >= 0; i++) {
            int end = lineEnd(text, pos);
            String l = text.substring(pos, end);
            pos = nextLine(text, end);
            if (l.isEmpty()) {
                return 0;
            }
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return i + 1;
            }
        }
        return 0;
    }

    /**
     * Where the line starting at {@code from} ends (its line break, or the end of the text). Lines are read one by
     * one up to the blank line that ends the headers, as {@code split("\r\n|\n|\r", -1)} would cut them, without
     * splitting the long description after it.
     */
    private static int lineEnd(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return text.length();
    }

    /** The start of the line after the one ending at {@code end}, or -1 when that was the last line. */
    private static int nextLine(String text, int end) {
        if (end >= text.length()) {
            return -1;
        }
        return text.startsWith("\r\n", end) ? end + 2 : end + 1;
    }
}
