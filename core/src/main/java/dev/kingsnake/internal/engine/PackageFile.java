package dev.kingsnake.internal.engine;

import dev.kingsnake.Reach;
import dev.kingsnake.internal.facts.FactMemo;
import dev.kingsnake.spi.FileKind;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.facts.FactKey;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** A non-Python file of a package. */
final class PackageFile implements SourceFile {
    private final String path;
    private final FileKind kind;
    private final byte[] bytes;
    private final boolean executable;
    private final FactMemo facts = new FactMemo();
    private volatile String text;

    PackageFile(String path, FileKind kind, byte[] bytes, boolean executable) {
        this.path = path;
        this.kind = kind;
        this.bytes = bytes;
        this.executable = executable;
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
