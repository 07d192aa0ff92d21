package dev.kingsnake.internal.engine;

import dev.kingsnake.Reach;
import dev.kingsnake.internal.facts.FactMemo;
import dev.kingsnake.internal.archive.ArchiveEntry;
import dev.kingsnake.spi.FactKey;
import dev.kingsnake.spi.FileKind;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.SourceFile;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** A non-Python file of a package; for a large data file or native library, only its first bytes. */
final class PackageFile implements SourceFile {
    private final String path;
    private final FileKind kind;
    private final byte[] bytes;
    private final boolean executable;
    private final FactMemo facts = new FactMemo();
    private final long size;
    private final Optional<byte[]> sha256;
    private final List<String> links;
    private volatile String text;

    PackageFile(ArchiveEntry entry, FileKind kind) {
        this.path = entry.path();
        this.kind = kind;
        this.bytes = entry.bytes();
        this.executable = entry.executable();
        this.size = entry.size();
        this.sha256 = entry.sha256();
        this.links = entry.links();
    }

    @Override
    public List<String> embeddedLinks() {
        return links;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Optional<byte[]> sha256() {
        return sha256;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public FileKind kind() {
        return kind;
    }

    @Override
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public String text() {
        String t = text;
        if (t == null) {
            t = new String(bytes, StandardCharsets.UTF_8);
            text = t;
        }
        return t;
    }

    @Override
    public boolean executable() {
        return executable;
    }

    @Override
    public List<String> decodeChain() {
        return List.of();
    }

    @Override
    public Location origin() {
        return Location.file(this, kind == FileKind.PTH ? Reach.IMPORT_TIME : Reach.UNKNOWN);
    }

    @Override
    public <T> T fact(FactKey<T> key) {
        return facts.get(key, this);
    }
}
