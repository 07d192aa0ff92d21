package dev.kingsnake.internal.engine;

import dev.kingsnake.Limits;
import dev.kingsnake.spi.PackageInfo;
import dev.kingsnake.spi.ParserDifferential;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.SourceFile;

import java.util.List;
import java.util.Optional;

/**
 * A package's context that notes whether a per-file rule read any of it: a rule that did not reported on its file
 * alone, so its findings hold wherever the same file is in the same place.
 */
final class ConsultedContext implements RuleContext {
    private final RuleContext context;
    private boolean consulted;

    ConsultedContext(RuleContext context) {
        this.context = context;
    }

    boolean consulted() {
        return consulted;
    }

    @Override
    public PackageInfo packageInfo() {
        consulted = true;
        return context.packageInfo();
    }

    @Override
    public List<SourceFile> files() {
        consulted = true;
        return context.files();
    }

    @Override
    public List<PythonFile> pythonFiles() {
        consulted = true;
        return context.pythonFiles();
    }

    @Override
    public Optional<SourceFile> file(String path) {
        consulted = true;
        return context.file(path);
    }

    @Override
    public List<ParserDifferential> parserDifferentials() {
        consulted = true;
        return context.parserDifferentials();
    }

    @Override
    public Limits limits() {
        consulted = true;
        return context.limits();
    }

    @Override
    public Optional<List<String>> popularPackages() {
        consulted = true;
        return context.popularPackages();
    }
}
