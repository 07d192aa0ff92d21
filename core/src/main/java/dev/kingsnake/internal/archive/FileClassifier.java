package dev.kingsnake.internal.archive;

import dev.kingsnake.spi.FileKind;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Decides what a package file is, by name and by content (the first bytes are enough), and whether its whole
 * content is needed: code and metadata are read whole, anything else (native libraries, data, headers) is
 * streamed through and only its first bytes are kept.
 */
public final class FileClassifier {
    /** Kinds whose whole content the parser, the decoders or the rules read. */
    private static final Set<FileKind> READ_WHOLE = EnumSet.of(FileKind.PYTHON, FileKind.PTH, FileKind.PYPROJECT,
            FileKind.SETUP_CFG, FileKind.METADATA, FileKind.RECORD, FileKind.ENTRY_POINTS, FileKind.BYTECODE);

    private FileClassifier() {
    }

    /** Whether an entry must be kept whole, judged by its path and its first bytes. */
    static boolean needsWholeContent(String path, byte[] head, int length) {
        byte[] b = length == head.length ? head : java.util.Arrays.copyOf(head, length);
        Format nested = Format.magic(b, b.length);
        return nested != null && nested.container() || READ_WHOLE.contains(classify(path, b));
    }

    public static FileKind classify(String path, byte[] bytes) {
        String name = baseName(path);
        String lower = name.toLowerCase(Locale.ROOT);
        if (isNative(bytes)) {
            return FileKind.NATIVE_BINARY;
        }
        if (lower.endsWith(".py") || lower.endsWith(".pyw")) {
            return FileKind.PYTHON;
        }
        if (lower.endsWith(".pth")) {
            return FileKind.PTH;
        }
        if (lower.equals("pyproject.toml")) {
            return FileKind.PYPROJECT;
        }
        if (lower.equals("setup.cfg")) {
            return FileKind.SETUP_CFG;
        }
        if (name.equals("PKG-INFO") || (name.equals("METADATA") && path.contains(".dist-info/"))) {
            return FileKind.METADATA;
        }
        if (name.equals("RECORD") && path.contains(".dist-info/")) {
            return FileKind.RECORD;
        }
        if (lower.equals("entry_points.txt")) {
            return FileKind.ENTRY_POINTS;
        }
        if (lower.endsWith(".pyc") || lower.endsWith(".pyo")) {
            return FileKind.BYTECODE;
        }
        if (looksLikePythonScript(bytes)) {
            return FileKind.PYTHON;
        }
        return isText(bytes) ? FileKind.TEXT : FileKind.OTHER;
    }

    public static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** PE ("MZ"), ELF, Mach-O (32/64, both byte orders, fat). */
    public static boolean isNative(byte[] b) {
        if (b.length < 4) {
            return false;
        }
        int m = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        boolean pe = b[0] == 'M' && b[1] == 'Z' && b.length >= 64;
        return pe || m == 0x7f454c46 || m == 0xfeedface || m == 0xfeedfacf || m == 0xcefaedfe
                || m == 0xcffaedfe || m == 0xcafebabe && b.length > 8 && (b[7] & 0xff) < 20;
    }

    private static boolean looksLikePythonScript(byte[] b) {
        if (b.length < 3 || b[0] != '#' || b[1] != '!') {
            return false;
        }
        int end = Math.min(b.length, 128);
        String first = new String(b, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1);
        int nl = first.indexOf('\n');
        return (nl < 0 ? first : first.substring(0, nl)).contains("python");
    }

    private static boolean isText(byte[] b) {
        int end = Math.min(b.length, 8192);
        for (int i = 0; i < end; i++) {
            if (b[i] == 0) {
                return false;
            }
        }
        return true;
    }
}
