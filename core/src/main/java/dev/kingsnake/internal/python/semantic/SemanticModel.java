package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.Reach;
import dev.kingsnake.spi.FileKind;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Module;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Nodes;
import dev.kingsnake.spi.python.Stmt;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The semantic model of one Python file. Placeholder resolution until the semantic layer lands. */
public final class SemanticModel implements PythonFile {
    private final String path;
    private final byte[] bytes;
    private final String text;
    private final Module module;
    private final boolean parseErrors;
    private final List<String> decodeChain;
    private final Location origin;
    private final List<Expr.Call> calls = new ArrayList<>();
    private final List<Stmt> imports = new ArrayList<>();
    private String[] lines;

    /**
     * @param origin for decoded layers, where the outer literal is; empty for real files
     */
    public SemanticModel(String path, byte[] bytes, String text, Module module, boolean parseErrors,
                         List<String> decodeChain, Optional<Location> origin) {
        this.path = path;
        this.bytes = bytes;
        this.text = text;
        this.module = module;
        this.parseErrors = parseErrors;
        this.decodeChain = List.copyOf(decodeChain);
        this.origin = origin.orElseGet(() -> Location.file(this, Reach.UNKNOWN));
        Nodes.walk(module, n -> {
            if (n instanceof Expr.Call c) {
                calls.add(c);
            } else if (n instanceof Stmt.Import || n instanceof Stmt.ImportFrom) {
                imports.add((Stmt) n);
            }
        });
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public FileKind kind() {
        return FileKind.PYTHON;
    }

    @Override
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public boolean executable() {
        return false;
    }

    @Override
    public List<String> decodeChain() {
        return decodeChain;
    }

    @Override
    public Location origin() {
        return origin;
    }

    @Override
    public Module module() {
        return module;
    }

    @Override
    public List<Expr.Call> calls() {
        return calls;
    }

    @Override
    public List<Stmt> imports() {
        return imports;
    }

    @Override
    public Optional<String> qualifiedName(Expr e) {
        String d = Nodes.dottedName(e);
        return d.isEmpty() ? Optional.empty() : Optional.of(d);
    }

    @Override
    public Optional<Const> constant(Expr e) {
        return e instanceof Expr.Literal l ? Optional.of(l.value()) : Optional.empty();
    }

    @Override
    public Reach reach(Node n) {
        return Reach.UNKNOWN;
    }

    @Override
    public Optional<Stmt.FunctionDef> enclosingFunction(Node n) {
        return Optional.empty();
    }

    @Override
    public synchronized String line(int line) {
        if (lines == null) {
            lines = text.split("\r\n|\r|\n", -1);
        }
        return line >= 1 && line <= lines.length ? lines[line - 1] : "";
    }

    @Override
    public boolean hasParseErrors() {
        return parseErrors;
    }
}
