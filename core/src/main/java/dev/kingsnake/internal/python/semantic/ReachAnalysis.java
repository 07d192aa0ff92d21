package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.Reach;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Stmt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * When code runs. Module code runs at install time in a {@code setup.py} and at import time anywhere
 * else; class bodies run where the class statement stands; function bodies run only when called,
 * except for the methods of setuptools/distutils command classes (install time) and functions that
 * code of a known reach calls directly (they inherit that reach, up to a fixed point).
 */
final class ReachAnalysis {
    /** Command classes whose methods setuptools runs during a build or install. */
    private static final Set<String> COMMANDS = Set.of(
            "install", "develop", "egg_info", "build", "build_py", "build_ext", "build_clib", "build_scripts",
            "sdist", "bdist", "bdist_wheel", "bdist_egg", "bdist_rpm", "install_lib", "install_scripts",
            "install_data", "install_headers", "install_egg_info", "easy_install", "editable_wheel", "dist_info",
            "Command");
    /**
     * Outside setup.py a command class runs at install time only when it overrides a command that pip's build
     * runs; a generic {@code Command} or an {@code sdist}/{@code bdist_rpm} there is a command the project offers
     * its users (cx_Freeze's {@code bdist_appimage}), which runs when someone asks for it.
     */
    private static final Set<String> PIP_RUN_COMMANDS = COMMANDS.stream()
            .filter(c -> !Set.of("Command", "sdist", "bdist", "bdist_rpm").contains(c))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final Set<String> BUILD_TOOLS = Set.of("setuptools", "distutils", "wheel", "numpy", "skbuild");

    private final SymbolTable table;
    private final Evaluator eval;
    private final Reach moduleReach;
    private final boolean setupScript;
    private final boolean builtOnInstall;
    private final Set<Scope> commandClasses = setOf();
    private final Map<Scope, Reach> promoted = new IdentityHashMap<>();
    /** The answer of {@link #reach} per context: index {@code 2 * scope.index + (mainGuard ? 1 : 0)}. */
    private final Reach[] byCtx;

    /**
     * @param setupScript the file is a setup.py (or a layer decoded from one)
     * @param originReach for decoded layers, the reach of the literal they were decoded from
     */
    ReachAnalysis(SymbolTable table, Evaluator eval, boolean setupScript, Optional<Reach> originReach) {
        this(table, eval, setupScript, originReach, true);
    }

    /**
     * @param builtOnInstall the package is built when installed (an sdist): setuptools command classes outside
     *                       setup.py can run then. In a wheel or egg nothing but setup.py itself could.
     */
    ReachAnalysis(SymbolTable table, Evaluator eval, boolean setupScript, Optional<Reach> originReach,
                  boolean builtOnInstall) {
        this.table = table;
        this.eval = eval;
        this.setupScript = setupScript;
        this.builtOnInstall = builtOnInstall;
        this.moduleReach = originReach.orElse(setupScript ? Reach.INSTALL_TIME : Reach.IMPORT_TIME);
        this.byCtx = new Reach[2 * table.scopes.size()];
        findCommandClasses();
        propagateThroughCalls();
    }

    private static <T> Set<T> setOf() {
        return java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    }

    Reach reach(Scope.Ctx ctx) {
        int i = 2 * ctx.scope().index + (ctx.mainGuard() ? 1 : 0);
        Reach r = byCtx[i];
        if (r == null) {
            r = compute(ctx);
            byCtx[i] = r;
        }
        return r;
    }

    /** Walks up the scope chain (bounded by the parser's nesting limit) to the nearest scope that decides. */
    Reach compute(Scope.Ctx start) {
        Scope.Ctx ctx = start;
        while (true) {
            Scope s = ctx.scope();
            if (ctx.mainGuard() && !setupScript) {
                return Reach.CALLED;
            }
            switch (s.kind) {
                case MODULE:
                    return moduleReach;
                case FUNCTION: {
                    Reach own = s.parent != null && commandClasses.contains(s.parent) ? Reach.INSTALL_TIME
                            : Reach.CALLED;
                    return stronger(own, promoted.getOrDefault(s, Reach.CALLED));
                }
                case LAMBDA:
                    return Reach.CALLED;
                default:
                    // class bodies and comprehensions run where they stand
                    ctx = s.definedIn;
            }
        }
    }

    private static Reach stronger(Reach a, Reach b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(Reach r) {
        return switch (r) {
            case INSTALL_TIME -> 3;
            case IMPORT_TIME -> 2;
            case CALLED -> 1;
            case UNKNOWN -> 0;
        };
    }

    // ---------------------------------------------------------------- command classes

    private void findCommandClasses() {
        for (Expr.Call call : table.calls) {
            String fn = eval.qualifiedName(call.callee()).orElse("");
            if (isSetupFunction(fn)) {
                call.keyword("cmdclass").ifPresent(v -> markCmdclass(v, 0));
            }
        }
        // bases first: a class deriving from a command class defined earlier in the file is one too
        boolean changed = true;
        for (int round = 0; changed && round < 4; round++) {
            changed = false;
            for (Scope cls : table.classes) {
                if (!commandClasses.contains(cls) && derivesFromCommand((Stmt.ClassDef) cls.node)) {
                    commandClasses.add(cls);
                    changed = true;
                }
            }
        }
    }

    /** {@code setuptools.setup}, {@code distutils.core.setup}, {@code numpy.distutils.core.setup}, ... */
    private static boolean isSetupFunction(String fn) {
        int dot = fn.indexOf('.');
        return dot > 0 && fn.endsWith(".setup") && BUILD_TOOLS.contains(fn.substring(0, dot));
    }

    private boolean derivesFromCommand(Stmt.ClassDef c) {
        for (Expr base : c.bases()) {
            Optional<String> q = eval.qualifiedName(base);
            if (q.isPresent()) {
                String name = q.get();
                int first = name.indexOf('.');
                int last = name.lastIndexOf('.');
                if (first > 0 && BUILD_TOOLS.contains(name.substring(0, first)) && (setupScript || builtOnInstall)
                        && (setupScript ? COMMANDS : PIP_RUN_COMMANDS).contains(name.substring(last + 1))) {
                    return true;
                }
            }
            Scope local = localClass(base);
            if (local != null && commandClasses.contains(local)) {
                return true;
            }
        }
        return false;
    }

    /** {@code cmdclass={'install': Cls}}, {@code cmdclass=dict(install=Cls)}, or a name bound to either. */
    private void markCmdclass(Expr value, int depth) {
        if (depth > 4) {
            return;
        }
        List<Expr> classes = new ArrayList<>();
        if (value instanceof Expr.Dict d) {
            d.items().forEach(i -> classes.add(i.value()));
        } else if (value instanceof Expr.Call c && eval.qualifiedName(c.callee()).filter("dict"::equals).isPresent()) {
            c.keywords().forEach(k -> classes.add(k.value()));
        } else if (value instanceof Expr.Name n) {
            List<Binding> bs = eval.visibleBindings(n.id(), null, eval.scopeOf(n));
            if (bs != null) {
                for (Binding b : bs) {
                    if (b instanceof Binding.Value v) {
                        markCmdclass(v.value(), depth + 1);
                    }
                }
            }
        }
        for (Expr e : classes) {
            Scope cls = localClass(e);
            if (cls != null) {
                commandClasses.add(cls);
            }
        }
    }

    /** The class scope a name refers to when it is bound once, to a class of this file. */
    private Scope localClass(Expr e) {
        Stmt def = localDefinition(e);
        return def instanceof Stmt.ClassDef ? scopeOpenedBy(def) : null;
    }

    private Stmt localDefinition(Expr e) {
        if (!(e instanceof Expr.Name n)) {
            return null;
        }
        List<Binding> bs = eval.visibleBindings(n.id(), n, eval.scopeOf(n));
        return bs != null && bs.size() == 1 && bs.get(0) instanceof Binding.Definition d ? d.definition() : null;
    }

    private Scope scopeOpenedBy(Stmt def) {
        if (scopesByNode == null) {
            scopesByNode = new IdentityHashMap<>();
            for (Scope s : table.scopes) {
                scopesByNode.put(s.node, s);
            }
        }
        return scopesByNode.get(def);
    }

    private Map<Object, Scope> scopesByNode;

    // ---------------------------------------------------------------- call graph

    /**
     * Functions called (or handed over as callbacks) from code of a known reach get that reach. Each
     * function can only be raised twice (CALLED to IMPORT_TIME to INSTALL_TIME), so the work list ends.
     */
    private void propagateThroughCalls() {
        // each call's context and local targets are found once (they do not change as reach is raised); a call
        // that runs no local function raises nothing and is left out
        Map<Scope, List<CallSite>> callsByOwner = new IdentityHashMap<>();
        for (Expr.Call c : table.calls) {
            Scope.Ctx ctx = table.ctx(c);
            if (ctx != null) {
                List<Scope> targets = callTargets(c);
                if (!targets.isEmpty()) {
                    callsByOwner.computeIfAbsent(owner(ctx.scope()), k -> new ArrayList<>())
                            .add(new CallSite(ctx, targets));
                }
            }
        }
        // @atexit.register runs the function when the interpreter exits: within the reach of its def
        Map<Scope, List<Scope>> atExitByOwner = new IdentityHashMap<>();
        for (Scope s : table.scopes) {
            if (s.node instanceof Stmt.FunctionDef f && registersAtExit(f)) {
                atExitByOwner.computeIfAbsent(owner(s.parent), k -> new ArrayList<>()).add(s);
            }
        }
        Deque<Scope> work = new ArrayDeque<>();
        for (Scope s : table.scopes) {
            if (s.kind == Scope.Kind.MODULE || s.kind == Scope.Kind.FUNCTION) {
                work.add(s);
            }
        }
        int budget = 8 * (table.scopes.size() + table.calls.size()) + 64;
        while (!work.isEmpty() && budget-- > 0) {
            Scope s = work.poll();
            for (CallSite call : callsByOwner.getOrDefault(s, List.of())) {
                Reach r = compute(call.ctx());
                for (Scope target : call.targets()) {
                    promote(target, r, work);
                }
            }
            for (Scope f : atExitByOwner.getOrDefault(s, List.of())) {
                promote(f, compute(f.definedIn), work);
            }
        }
    }

    /** A call that runs local functions: where it stands and what it runs. */
    private record CallSite(Scope.Ctx ctx, List<Scope> targets) {
    }

    private void promote(Scope function, Reach r, Deque<Scope> work) {
        if ((r == Reach.INSTALL_TIME || r == Reach.IMPORT_TIME) && rank(r) > rank(compute(function.ctx))) {
            promoted.put(function, r);
            work.add(function);
        }
    }

    private boolean registersAtExit(Stmt.FunctionDef f) {
        for (Expr d : f.decorators()) {
            if (eval.qualifiedName(d).filter("atexit.register"::equals).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** The scope whose reach decides a call's: comprehensions and class bodies defer to where they stand. */
    private static Scope owner(Scope s) {
        Scope cur = s;
        while ((cur.kind == Scope.Kind.COMPREHENSION || cur.kind == Scope.Kind.CLASS) && cur.parent != null) {
            cur = cur.parent;
        }
        return cur;
    }

    /** Local functions a call runs: the callee, {@code self.method}, a class's constructor, callbacks. */
    private List<Scope> callTargets(Expr.Call call) {
        List<Scope> out = new ArrayList<>(1);
        addFunction(out, call.callee());
        Stmt def = localDefinition(call.callee());
        if (def instanceof Stmt.ClassDef) {
            Scope cls = scopeOpenedBy(def);
            addMethod(out, cls, "__init__");
            addMethod(out, cls, "__new__");
        }
        if (call.callee() instanceof Expr.Attribute a && a.value() instanceof Expr.Name self) {
            Scope method = eval.scopeOf(call);
            while (method != null && method.kind != Scope.Kind.FUNCTION) {
                method = method.parent;
            }
            if (method != null && method.parent != null && method.parent.kind == Scope.Kind.CLASS
                    && !((Stmt.FunctionDef) method.node).params().isEmpty()
                    && ((Stmt.FunctionDef) method.node).params().get(0).name().equals(self.id())) {
                addMethod(out, method.parent, a.attr());
            }
        }
        if (registers(call)) {
            return out;
        }
        for (Expr arg : call.args()) {
            addFunction(out, arg);
        }
        for (Expr.Keyword k : call.keywords()) {
            addFunction(out, k.value());
        }
        return out;
    }

    /**
     * Methods that store a function for later rather than run it: {@code cli.add_command(stack)},
     * {@code registry.register(handler)}, {@code signal_.connect(slot)}, {@code handlers.append(f)}. A function
     * handed to one of them keeps its own reach; one handed to anything else (a thread, an executor,
     * {@code map}, {@code atexit.register}) is taken to run within the caller's reach.
     */
    private static final java.util.regex.Pattern REGISTRATION = java.util.regex.Pattern.compile(
            "add_\\w+|register\\w*|connect|bind|route|set_defaults|subscribe|append|extend|insert|setdefault");

    private boolean registers(Expr.Call call) {
        return call.callee() instanceof Expr.Attribute a && REGISTRATION.matcher(a.attr()).matches()
                // atexit.register(f) runs f when this interpreter exits: still within this reach
                && eval.qualifiedName(call.callee()).filter("atexit.register"::equals).isEmpty();
    }

    private void addFunction(List<Scope> out, Expr e) {
        Stmt def = localDefinition(e);
        if (def instanceof Stmt.FunctionDef) {
            out.add(scopeOpenedBy(def));
        }
    }

    private void addMethod(List<Scope> out, Scope cls, String name) {
        List<Binding> bs = cls == null ? null : cls.bindings.get(name);
        if (bs != null && bs.size() == 1 && bs.get(0) instanceof Binding.Definition d
                && d.definition() instanceof Stmt.FunctionDef) {
            out.add(scopeOpenedBy(d.definition()));
        }
    }
}
