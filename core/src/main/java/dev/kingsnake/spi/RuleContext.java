package dev.kingsnake.spi;

import dev.kingsnake.Limits;

import java.util.List;
import java.util.Optional;

/** Everything a rule may look at for one package. */
public interface RuleContext {

    PackageInfo packageInfo();

    /** Every file of the package, decoded layers included. */
    List<SourceFile> files();

    /** The Python files among {@link #files()}, with their semantic models. */
    List<PythonFile> pythonFiles();

    Optional<SourceFile> file(String path);

    /** Where the archive reads differently depending on the tool (see {@link ParserDifferential}). */
    default List<ParserDifferential> parserDifferentials() {
        return List.of();
    }

    Limits limits();

    /**
     * Names of popular packages, most popular first, as configured on the scanner; empty when the
     * scanner was given none, and rules then use the list bundled with Kingsnake.
     */
    Optional<List<String>> popularPackages();
}
