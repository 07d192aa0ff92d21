package dev.kingsnake.rules.shared;

import dev.kingsnake.spi.FactKey;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.facts.Commands;
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.facts.ExecSinks;
import dev.kingsnake.spi.python.Expr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The process commands ({@link Commands#of}) and the code-sink uses ({@link ExecSinks#of}) of a file's calls,
 * asked once per call for the whole file. Four process rules and three code-execution rules each asked the same
 * question of every call of the file; they now read these lists, which hold the calls that have an answer, in
 * the order of {@link PythonFile#calls()}. Facts of the file.
 */
public final class CallUses {
    private static final FactKey<List<Of<Commands.Command>>> COMMANDS = FactKey.ofPython("process commands of calls",
            f -> answered(f, Commands::of));
    private static final FactKey<List<Of<ExecSinks.Use>>> CODE_SINKS = FactKey.ofPython("code sinks of calls",
            f -> answered(f, ExecSinks::of));

    /**
     * The answer for one call.
     *
     * @param index the call's index in {@link PythonFile#calls()}
     * @param call  the call asked about
     * @param value what {@code Commands.of} or {@code ExecSinks.of} said of it
     */
    public record Of<T>(int index, Expr.Call call, T value) {
    }

    private CallUses() {
    }

    /** What {@code Commands.of(DataFlow.of(file), c)} says of each call {@code c} of the file, where it says something. */
    public static List<Of<Commands.Command>> commands(PythonFile file) {
        return file.fact(COMMANDS);
    }

    /** What {@code ExecSinks.of(DataFlow.of(file), c)} says of each call {@code c} of the file, where it says something. */
    public static List<Of<ExecSinks.Use>> codeSinks(PythonFile file) {
        return file.fact(CODE_SINKS);
    }

    private static <T> List<Of<T>> answered(PythonFile file, BiFunction<DataFlow, Expr.Call, Optional<T>> ask) {
        DataFlow facts = DataFlow.of(file);
        List<Expr.Call> calls = file.calls();
        List<Of<T>> out = new ArrayList<>();
        for (int i = 0, n = calls.size(); i < n; i++) {
            Expr.Call c = calls.get(i);
            Optional<T> v = ask.apply(facts, c);
            if (v.isPresent()) {
                out.add(new Of<>(i, c, v.get()));
            }
        }
        return Collections.unmodifiableList(out);
    }
}
