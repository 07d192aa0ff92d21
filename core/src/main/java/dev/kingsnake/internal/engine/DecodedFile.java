package dev.kingsnake.internal.engine;

import dev.kingsnake.internal.archive.FileClassifier;

import dev.kingsnake.internal.decode.DecodedLayer;
import dev.kingsnake.internal.facts.FactMemo;
import dev.kingsnake.spi.FactKey;
import dev.kingsnake.spi.FileKind;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.SourceFile;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** A decoded payload that is not Python (a URL, a shell command, a PE header, ...). */
record DecodedFile(String path, DecodedLayer layer, FactMemo facts) implements SourceFile {

    DecodedFile(String path, DecodedLayer layer) {
        this(path, layer, new FactMemo());
    }

    @Override
    public <T> T fact(FactKey<T> key) {
        return facts.get(key, this);
    }

    @Override
    public FileKind kind() {
        return FileClassifier.isNative(layer.content()) ? FileKind.NATIVE_BINARY : FileKind.TEXT;
    }

    @Override
    public byte[] bytes() {
        return layer.content();
    }

    @Override
    public String text() {
        return new String(layer.content(), StandardCharsets.UTF_8);
    }

    @Override
    public boolean executable() {
        return false;
    }

    @Override
    public List<String> decodeChain() {
        return layer.chain();
    }

    @Override
    public Location origin() {
        return layer.origin();
    }
}
