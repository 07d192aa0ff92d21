package dev.kingsnake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Turns the paths a user names into the packages to scan, one {@link Scanner#scan(Path)} each.
 *
 * <p>The rule, for each path:
 * <ul>
 *   <li>a file (whatever its name) is one package;</li>
 *   <li>a directory that is an unpacked project — it has {@code setup.py}, {@code pyproject.toml},
 *       {@code setup.cfg} or {@code PKG-INFO} at its top — is one package;</li>
 *   <li>any other directory is walked, without following symbolic links, and yields every archive
 *       ({@code .tar.gz .tgz .tar.bz2 .tbz2 .tar.xz .txz .tar .zip .whl .egg}, or any file whose first bytes
 *       are a gzip, bzip2, xz, zip or tar header) and every loose {@code .py} file as a package of its own;
 *       a project directory met during the walk is one package and is not walked further; other files
 *       are skipped.</li>
 * </ul>
 * The walk visits names in sorted order, so the same tree always yields the same sequence. A symbolic
 * link given directly as a path is followed (the user named it); links met during the walk are not.
 * Nothing is held in memory beyond the directories on the current walk path.
 */
public final class Inputs {
    /** Files whose presence at the top of a directory makes it one unpacked project. */
    public static final List<String> PROJECT_MARKERS = List.of("setup.py", "pyproject.toml", "setup.cfg", "PKG-INFO");

    /** File name endings recognised as archives without looking at their bytes. */
    public static final List<String> ARCHIVE_SUFFIXES = List.of(
            ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar", ".zip", ".whl", ".egg");

    private static final int SNIFF_BYTES = 262;

    private Inputs() {
    }

    /**
     * Expands one user-given path into packages, in walk order.
     *
     * @param root     a file or directory
     * @param packages receives each package path
     * @param errors   receives directories (or files) inside the walk that could not be read; the walk
     *                 goes on with the rest
     * @throws NoSuchFileException if {@code root} does not exist
     * @throws IOException         if {@code root} itself cannot be read
     */
    public static void expand(Path root, Consumer<Path> packages, BiConsumer<Path, IOException> errors)
            throws IOException {
        if (!Files.exists(root)) {
            throw new NoSuchFileException(root.toString(), null, "no such file or directory");
        }
        if (!Files.isDirectory(root)) {
            packages.accept(root);
            return;
        }
        if (isProjectDirectory(root)) {
            packages.accept(root);
            return;
        }
        walk(root, packages, errors);
    }

    /** Like {@link #expand(Path, Consumer, BiConsumer)}, but an unreadable directory inside the walk is an error. */
    public static void expand(Path root, Consumer<Path> packages) throws IOException {
        expand(root, packages, (p, e) -> {
            throw new UncheckedIOException(e);
        });
    }

    /** Expands all paths, in the order given, into a list (for small inputs; large trees should stream). */
    public static List<Path> expandAll(List<Path> roots) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            expand(root, out::add);
        }
        return out;
    }

    /** True when {@code dir} has one of the {@link #PROJECT_MARKERS} as a regular file at its top. */
    public static boolean isProjectDirectory(Path dir) {
        for (String marker : PROJECT_MARKERS) {
            if (Files.isRegularFile(dir.resolve(marker), LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }

    /** True when the file's name ends with an archive suffix or its first bytes are an archive header. */
    public static boolean looksLikeArchive(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String suffix : ARCHIVE_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return hasArchiveMagic(file);
    }

    private static boolean isPythonFile(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".py");
    }

    private static boolean hasArchiveMagic(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            head = in.readNBytes(SNIFF_BYTES);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
        return startsWith(head, 0x1f, 0x8b)                          // gzip
                || startsWith(head, 'B', 'Z', 'h')                    // bzip2
                || startsWith(head, 0xfd, '7', 'z', 'X', 'Z', 0x00)   // xz
                || startsWith(head, 'P', 'K', 3, 4)                   // zip local header
                || startsWith(head, 'P', 'K', 5, 6)                   // empty zip
                || (head.length >= 262 && head[257] == 'u' && head[258] == 's' && head[259] == 't'
                    && head[260] == 'a' && head[261] == 'r');         // tar (POSIX and GNU)
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** Depth-first, sorted, iterative (deep trees cannot overflow the stack). */
    private static void walk(Path top, Consumer<Path> packages, BiConsumer<Path, IOException> errors) {
        Deque<Path> pending = new ArrayDeque<>();
        pending.push(top);
        while (!pending.isEmpty()) {
            Path dir = pending.pop();
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                ds.forEach(children::add);
            } catch (IOException e) {
                errors.accept(dir, e);
                continue;
            } catch (UncheckedIOException e) {
                errors.accept(dir, e.getCause());
                continue;
            }
            children.sort(null);
            List<Path> subdirs = new ArrayList<>();
            for (Path child : children) {
                if (Files.isSymbolicLink(child)) {
                    continue;
                }
                if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    if (isProjectDirectory(child)) {
                        packages.accept(child);
                    } else {
                        subdirs.add(child);
                    }
                } else if (Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)
                        && (isPythonFile(child) || looksLikeArchive(child))) {
                    packages.accept(child);
                }
            }
            for (int i = subdirs.size() - 1; i >= 0; i--) {
                pending.push(subdirs.get(i));
            }
        }
    }
}
