package dev.kingsnake.internal.engine;

import dev.kingsnake.spi.FileKind;

import java.util.Locale;

/** Decides what a package file is, by name and by content. */
final class FileClassifier {
    private FileClassifier() {
    }

    static FileKind classify(String path, byte[] bytes) {
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

    static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** PE ("MZ"), ELF, Mach-O (32/64, both byte orders, fat). */
    static boolean isNative(byte[] b) {
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
