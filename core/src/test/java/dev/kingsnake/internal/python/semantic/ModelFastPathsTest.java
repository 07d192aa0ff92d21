package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.Limits;
import dev.kingsnake.Reach;
import dev.kingsnake.internal.python.ParseOutcome;
import dev.kingsnake.internal.python.PythonParser;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model's memos against the plain computations they stand for, on every node of varied code: the enclosing
 * function kept per scope against climbing the scopes, the reach kept per context against the reach analysis's
 * own walk, and a memoised qualified name against the answer of a model asked in another order.
 */
class ModelFastPathsTest {
    private static final Path STDLIB = Path.of("/usr/lib/python3.11");

    /** Code of every shape the memos distinguish: nested defs, lambdas, classes, command classes, a main guard. */
    private static final String SETUP = String.join("\n",
            "import os, subprocess as sp",
            "from setuptools import setup",
            "from setuptools.command.install import install",
            "def helper(x):",
            "    def inner(y):",
            "        return lambda z: sp.call([z, y])",
            "    return inner(x)",
            "class Post(install):",
            "    def run(self):",
            "        helper('a')",
            "        self.more()",
            "    def more(self):",
            "        [os.system(c) for c in ('a', 'b')]",
            "class Plain:",
            "    x = os.getcwd()",
            "    def m(self):",
            "        return os.path.join(self.x, 'b')",
            "g = getattr(os, 'sys' + 'tem')",
            "g('true')",
            "if __name__ == '__main__':",
            "    helper(os.name)",
            "setup(name='p', cmdclass={'install': Post})",
            "");

    private static SemanticModel model(PythonParser parser, String path, byte[] bytes) {
        ParseOutcome out = parser.parse(path, bytes);
        return new SemanticModel(path, bytes, out.text(), out.module(), false, List.of(), Optional.empty());
    }

    private static List<SemanticModel> models() throws IOException {
        PythonParser parser = new PythonParser(Limits.defaults());
        List<SemanticModel> out = new ArrayList<>();
        byte[] setup = SETUP.getBytes(StandardCharsets.UTF_8);
        out.add(model(parser, "pkg/setup.py", setup));
        out.add(model(parser, "pkg/mod.py", setup));
        if (Files.isDirectory(STDLIB)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(STDLIB)) {
                files = s.filter(p -> p.toString().endsWith(".py")).sorted().collect(Collectors.toList());
            }
            for (int i = 0; i < files.size(); i += 29) {
                out.add(model(parser, files.get(i).toString(), Files.readAllBytes(files.get(i))));
            }
        }
        return out;
    }

    @Test
    void enclosingFunctionKeptPerScopeIsTheOneFoundByClimbing() throws IOException {
        int functions = 0;
        for (SemanticModel m : models()) {
            for (Scope s : m.table().scopes) {
                assertEquals(s.enclosingFunctionByClimbing(), s.enclosingFunction(), m.path());
                functions += s.enclosingFunction().isPresent() ? 1 : 0;
            }
            for (Node n : m.nodes()) {
                Scope.Ctx ctx = m.table().ctx(n);
                assertEquals(ctx == null ? Optional.empty() : ctx.scope().enclosingFunctionByClimbing(),
                        m.enclosingFunction(n), m.path());
            }
        }
        assertTrue(functions > 10, "the sample has nested functions");
    }

    @Test
    void reachKeptPerContextIsTheAnalysisOwnAnswer() throws IOException {
        int[] seen = new int[Reach.values().length];
        for (SemanticModel m : models()) {
            for (Node n : m.nodes()) {
                Reach r = m.reach(n);
                Scope.Ctx ctx = m.table().ctx(n);
                assertEquals(ctx == null ? Reach.UNKNOWN : m.reachAnalysis().compute(ctx), r,
                        () -> m.path() + ":" + n.line());
                seen[r.ordinal()]++;
            }
        }
        for (Reach r : List.of(Reach.INSTALL_TIME, Reach.IMPORT_TIME, Reach.CALLED)) {
            assertTrue(seen[r.ordinal()] > 0, "the sample has code of reach " + r);
        }
    }

    @Test
    void memoisedQualifiedNamesAreThoseOfAModelAskedInAnotherOrder() throws IOException {
        PythonParser parser = new PythonParser(Limits.defaults());
        int named = 0;
        for (SemanticModel m : models()) {
            List<Expr> exprs = new ArrayList<>();
            for (Node n : m.nodes()) {
                if (n instanceof Expr e) {
                    exprs.add(e);
                }
            }
            List<Optional<String>> first = new ArrayList<>();
            for (Expr e : exprs) {
                first.add(m.qualifiedName(e));
            }
            for (int i = 0; i < exprs.size(); i++) {
                // the second answer comes from the memo: the same value, and for a name the same object
                Optional<String> again = m.qualifiedName(exprs.get(i));
                assertEquals(first.get(i), again, m.path());
                if (again.isPresent()) {
                    assertSame(again, m.qualifiedName(exprs.get(i)));
                    named++;
                }
            }
            SemanticModel fresh = model(parser, m.path(), m.bytes());
            List<Expr> freshExprs = new ArrayList<>();
            for (Node n : fresh.nodes()) {
                if (n instanceof Expr e) {
                    freshExprs.add(e);
                }
            }
            for (int i = freshExprs.size() - 1; i >= 0; i--) {
                assertEquals(first.get(i), fresh.qualifiedName(freshExprs.get(i)), m.path() + ":" + exprs.get(i).line());
            }
        }
        assertTrue(named > 100, "the sample resolves names");
    }

    /** One attribute of a non-attribute goes around the chain's deque: the chain's own answer all the same. */
    @Test
    void anAttributeOfANameIsItsBaseJoinedWithTheAttribute() throws IOException {
        int joined = 0;
        for (SemanticModel m : models()) {
            for (Node n : m.nodes()) {
                if (n instanceof Expr.Attribute a) {
                    Optional<String> base = m.qualifiedName(a.value());
                    Optional<String> expected = base.map(b -> Builtins.join(b, a.attr()));
                    assertEquals(expected, m.qualifiedName(a), () -> m.path() + ":" + a.line());
                    joined += expected.isPresent() && !(a.value() instanceof Expr.Attribute) ? 1 : 0;
                }
            }
        }
        assertTrue(joined > 100, "the sample has attributes of resolved names: " + joined);
    }

    @Test
    void theSymbolTablesChildrenAreTheNodesChildren() throws IOException {
        java.util.Set<Class<?>> kinds = new java.util.HashSet<>();
        for (SemanticModel m : models()) {
            for (Node n : m.nodes()) {
                List<? extends Node> expected = n.children();
                List<Node> walked = SymbolTable.childrenAsWalked(n);
                assertEquals(expected.size(), walked.size(), m.path());
                for (int i = 0; i < expected.size(); i++) {
                    assertSame(expected.get(i), walked.get(i), m.path());
                }
                kinds.add(n.getClass());
            }
        }
        for (Class<?> k : List.of(Expr.Name.class, Expr.Literal.class, Expr.Attribute.class, Expr.Call.class,
                Expr.Keyword.class, Expr.BinOp.class, Expr.Subscript.class)) {
            assertTrue(kinds.contains(k), "the sample has " + k.getSimpleName());
        }
    }

    @Test
    void callsAreFoundInSourceOrderWithTheirContexts() throws IOException {
        for (SemanticModel m : models()) {
            List<Expr.Call> walked = new ArrayList<>();
            for (Node n : m.nodes()) {
                if (n instanceof Expr.Call c) {
                    walked.add(c);
                }
            }
            // every call is in the table's list, each once (the table's walk visits a def's defaults first)
            assertEquals(walked.size(), m.calls().size(), m.path());
            java.util.Set<Expr.Call> listed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            listed.addAll(m.calls());
            for (Expr.Call c : walked) {
                assertTrue(listed.contains(c), m.path());
                assertTrue(m.table().ctx(c) != null, m.path());
            }
        }
    }

    @Test
    void aNameBoundToAComputedGetattrResolves() throws IOException {
        SemanticModel m = models().get(1);
        for (Node n : m.nodes()) {
            if (n instanceof Expr.Call c && c.callee() instanceof Expr.Name nm && nm.id().equals("g")) {
                assertEquals(Optional.of("os.system"), m.calleeName(c));
                assertEquals(Reach.IMPORT_TIME, m.reach(c));
            }
        }
    }
}
