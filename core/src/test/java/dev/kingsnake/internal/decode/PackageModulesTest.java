package dev.kingsnake.internal.decode;

import dev.kingsnake.spi.PythonFile;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a loader's imports find the package's own modules, and that every look-up is seen by a watcher. */
class PackageModulesTest {
    private static PythonFile file(String path) {
        return DecodeFixturesTest.model(path, "X = 1\n".getBytes(StandardCharsets.UTF_8), List.of(), Optional.empty());
    }

    @Test
    void absoluteAndRelativeImportsFindTheModuleEveryTimeAndEachLookUpIsSeen() {
        PythonFile loader = file("src/pkg/loader.py");
        PythonFile charset = file("src/pkg/charset.py");
        PythonFile init = file("src/pkg/tables/__init__.py");
        PackageModules modules = new PackageModules(List.of(loader, charset, init, file("other/mod.py")));
        List<PackageModules.LookUp> seen = new ArrayList<>();
        PackageModules watched = modules.watched(seen::add);
        for (int round = 0; round < 3; round++) {
            assertSame(charset, watched.resolve(loader, 0, "pkg.charset").orElseThrow());
            assertSame(charset, watched.resolve(loader, 1, "charset").orElseThrow());
            assertSame(init, watched.resolve(loader, 1, "tables").orElseThrow());
            assertTrue(watched.resolve(loader, 0, "pkg.missing").isEmpty());
            assertSame(charset, modules.resolve(loader, 0, "pkg.charset").orElseThrow());
        }
        assertEquals(12, seen.size(), "a repeated look-up is still reported");
        assertEquals(Optional.of(charset), seen.get(4).found());
        assertTrue(PackageModules.NONE.resolve(loader, 0, "pkg.charset").isEmpty());
    }
}
