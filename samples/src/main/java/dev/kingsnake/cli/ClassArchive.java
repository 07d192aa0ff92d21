package dev.kingsnake.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A dynamic class-data-sharing archive (AppCDS) of the batch child JVM: the classes a run loaded, already parsed and
 * verified, mapped by the next child instead of read from the jar again. A cold {@code scan} of one small package
 * spent most of its time loading and verifying about 1,900 classes of the jar; with the archive it takes about a
 * quarter less CPU (README, Performance, "Cold start").
 *
 * <p>The archive is made on first use, in a per-user cache directory ({@code $XDG_CACHE_HOME/kingsnake/jvm}, else
 * {@code ~/.cache/kingsnake/jvm}, created owner-only): the child that finds none writes one at its exit
 * ({@code -XX:ArchiveClassesAtExit}) to a file of its own, and only when it ended normally is that file renamed, in
 * one step, to the name the next runs look for. The name holds a hash of everything the JVM checks an archive
 * against (the jar's path, size and time, this JDK and its own base archive, the child's options), so a rebuilt or
 * moved jar or an updated JDK gets a new archive and the stale ones of the same jar path are deleted; and it holds
 * the file's size, so a file cut short is never mapped (a JVM mapping a truncated archive dies of SIGBUS). Two first
 * runs at once each write their own file and the last rename wins; a reader keeps the file it opened.
 *
 * <p>Nothing here may stop a scan: a directory that cannot be made or is writable by others, a file that cannot be
 * renamed, an archive the JVM refuses ({@code -Xshare:auto}: it then loads the classes itself, silently) all mean a
 * child without an archive. A child that died of a signal while mapping one (exit code 128 and above) has it
 * deleted, so the next run makes a new one. {@code KINGSNAKE_CLASS_ARCHIVE=off} turns it off. The archive holds
 * class metadata of the jar and the JDK only, never anything a scan read.
 *
 * <p>This runs in the parent JVM before the child starts, so it loads as little as it can: no lambda, no string
 * {@code +} (each bootstraps method handles, milliseconds of a cold start), no {@code String.format}.
 */
final class ClassArchive {
    /** The environment variable that turns the archive off ({@code off}). */
    static final String SWITCH_VARIABLE = "KINGSNAKE_CLASS_ARCHIVE";
    /**
     * The JVM's messages about its archive (one it cannot use, classes it cannot archive: picocli's are of Java 5)
     * are warnings on the standard output, where they would land in the report: off.
     */
    static final List<String> QUIET = List.of("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    private static final String PREFIX = "kingsnake-";
    private static final String SUFFIX = ".jsa";
    private static final String PARTIAL = ".partial";
    /** A partial file this old was left by a child that never ended normally. */
    private static final long STALE_PARTIAL_MILLIS = 3_600_000L;

    private final Path directory;
    private final String jarKey;
    private final String name;
    /** The archive to map, or null when this run makes one. */
    private final Path existing;
    /** Where the child writes the archive when this run makes one. */
    private final Path partial;

    private ClassArchive(Path directory, String jarKey, String name, Path existing, Path partial) {
        this.directory = directory;
        this.jarKey = jarKey;
        this.name = name;
        this.existing = existing;
        this.partial = partial;
    }

    /**
     * The archive of this child, to map or to make; empty when there is none to be had.
     *
     * @param environment  this process's environment
     * @param userHome     {@code user.home}
     * @param userName     {@code user.name}, who must own the directory
     * @param jar          the child's class path, a jar file
     * @param javaHome     {@code java.home}
     * @param vmVersion    {@code java.vm.version}
     * @param childOptions the child's JVM options
     * @param pid          this process's id, naming the partial file of a run that makes the archive
     */
    static Optional<ClassArchive> of(Map<String, String> environment, String userHome, String userName, Path jar,
                                     String javaHome, String vmVersion, List<String> childOptions, long pid) {
        try {
            if ("off".equalsIgnoreCase(environment.get(SWITCH_VARIABLE)) || !Files.isRegularFile(jar)) {
                return Optional.empty();
            }
            Optional<Path> directory = directory(environment, userHome, userName);
            if (directory.isEmpty()) {
                return Optional.empty();
            }
            Path realJar = jar.toRealPath();
            String jarKey = hash(realJar.toString());
            Path baseArchive = Path.of(javaHome, "lib", "server", "classes.jsa");
            String identity = String.join("\n", realJar.toString(), stamp(realJar), javaHome, vmVersion,
                    Files.isRegularFile(baseArchive) ? stamp(baseArchive) : "-", String.join(" ", childOptions));
            String name = join(PREFIX, jarKey, "-", hash(identity));
            Path existing = null;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory.get())) {
                for (Path file : files) {
                    String fileName = file.getFileName().toString();
                    if (existing == null && fileName.startsWith(name.concat("-")) && fileName.endsWith(SUFFIX)
                            && whole(file, fileName.substring(name.length() + 1,
                            fileName.length() - SUFFIX.length()))) {
                        existing = file;
                    }
                }
            }
            return Optional.of(new ClassArchive(directory.get(), jarKey, name, existing,
                    existing != null ? null : directory.get().resolve(join(name, ".", Long.toString(pid), PARTIAL))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The cache directory, made owner-only if it is not there; empty when it cannot be made or others may write it. */
    static Optional<Path> directory(Map<String, String> environment, String userHome, String userName)
            throws IOException {
        String cache = environment.get("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isEmpty() && Path.of(cache).isAbsolute() ? Path.of(cache)
                : Path.of(userHome, ".cache");
        if (!base.isAbsolute()) {
            return Optional.empty(); // no home (user.home "?"): never a directory relative to where the user is
        }
        Path directory = base.resolve("kingsnake").resolve("jvm");
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory.getParent());
            try {
                Files.createDirectory(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made by a run at the same time: checked below like any other
            }
        }
        // an archive is code the child runs: only a directory no one else can write to will do
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
        if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)
                || !Files.getOwner(directory).getName().equals(userName) || !Files.isWritable(directory)) {
            return Optional.empty();
        }
        return Optional.of(directory);
    }

    /** A file's size and modification time, as the JVM checks a jar or base archive. */
    private static String stamp(Path file) throws IOException {
        return join(Long.toString(Files.size(file)), ":", Long.toString(Files.getLastModifiedTime(file).toMillis()));
    }

    /** Whether the file has the size its name says; a file cut short (or anything else there) is deleted. */
    private static boolean whole(Path file, String size) {
        try {
            if (Files.size(file) == Long.parseLong(size)) {
                return true;
            }
        } catch (IOException | NumberFormatException e) {
            // not one of ours as it should be
        }
        deleteQuietly(file);
        return false;
    }

    /** The parts, one after the other: {@code +} on strings would bootstrap the JDK's string concatenation here. */
    private static String join(String... parts) {
        return String.join("", parts);
    }

    /** 64-bit FNV-1a of the string's characters, in hex: names files, the JVM does the real check. */
    static String hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        String hex = Long.toHexString(h);
        return "0000000000000000".substring(hex.length()).concat(hex);
    }

    /** The options that map the archive, or make it at the child's exit. */
    List<String> options() {
        List<String> options = new ArrayList<>(QUIET);
        options.add(existing != null ? "-XX:SharedArchiveFile=".concat(existing.toString())
                : "-XX:ArchiveClassesAtExit=".concat(partial.toString()));
        return options;
    }

    /** Whether this run makes the archive (the child writes it at exit). */
    boolean makes() {
        return existing == null;
    }

    /** The archive file this run maps or makes (its final name only once made). */
    Path file() {
        return existing != null ? existing : partial;
    }

    /**
     * After the child ended with this exit code: a new archive, if the child ended normally (0–2, the command's own
     * codes) and wrote it, takes its final name and the stale archives of the same jar path are deleted; an
     * archive that a child died with (128 and above: a signal, e.g. a fatal error while mapping it) is deleted.
     * Never throws.
     */
    void finish(int exitCode) {
        try {
            if (existing != null) {
                if (exitCode >= 128) {
                    deleteQuietly(existing);
                }
                return;
            }
            long size = Files.isRegularFile(partial) ? Files.size(partial) : 0;
            if (exitCode < 0 || exitCode > 2 || size == 0) {
                deleteQuietly(partial);
                return;
            }
            Path made = directory.resolve(join(name, "-", Long.toString(size), SUFFIX));
            Files.move(partial, made, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            pruneOthers(made);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(partial);
        }
    }

    /** Deletes this jar path's other archives (a rebuilt jar, another JDK) and partial files left long ago. */
    private void pruneOthers(Path kept) throws IOException {
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                if (!fileName.startsWith(join(PREFIX, jarKey, "-")) || file.equals(kept)) {
                    continue;
                }
                if (fileName.endsWith(SUFFIX)) {
                    deleteQuietly(file);
                } else if (fileName.endsWith(PARTIAL)) {
                    FileTime modified = Files.getLastModifiedTime(file);
                    if (now - modified.toMillis() > STALE_PARTIAL_MILLIS) {
                        deleteQuietly(file);
                    }
                }
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException e) {
            // left for a later run
        }
    }
}
