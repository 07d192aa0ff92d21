package dev.kingsnake.rules.pkg;

import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.python.Expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code setup(...)} calls of an sdist's top-level setup.py. */
final class SetupCall {
    private SetupCall() {
    }

    record Found(PythonFile file, Expr.Call call) {
        /** A keyword argument's constant string value. */
        Optional<String> text(String keyword) {
            return call.keyword(keyword).flatMap(file::constant).map(c -> c.asText()).filter(s -> !s.isBlank());
        }
    }

    static List<Found> find(RuleContext ctx) {
        List<Found> out = new ArrayList<>();
        for (PythonFile f : ctx.pythonFiles()) {
            if (!f.decodeChain().isEmpty() || !MetadataMissingRule.isTopLevelSetupPy(f.path())) {
                continue;
            }
            for (Expr.Call c : f.calls()) {
                String callee = f.calleeName(c).orElse("");
                if (callee.equals("setuptools.setup") || callee.equals("distutils.core.setup")
                        || callee.equals("setup") && !c.keywords().isEmpty()) {
                    out.add(new Found(f, c));
                }
            }
        }
        return out;
    }
}
