package dev.kingsnake.internal.engine;

import dev.kingsnake.Limits;
import dev.kingsnake.spi.PackageInfo;
import dev.kingsnake.spi.ParserDifferential;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.SourceFile;

import java.util.List;
import java.util.Optional;

/** The {@link RuleContext} of one package. */
record PackageContext(PackageInfo packageInfo, List<SourceFile> files, List<PythonFile> pythonFiles,
                      Limits limits, Optional<List<String>> popularPackages,
                      List<ParserDifferential> parserDifferentials) implements RuleContext {

    PackageContext {
        files = List.copyOf(files);
        pythonFiles = List.copyOf(pythonFiles);
        parserDifferentials = List.copyOf(parserDifferentials);
    }

    @Override
    public Optional<SourceFile> file(String path) {
        for (SourceFile f : files) {
            if (f.path().equals(path)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
