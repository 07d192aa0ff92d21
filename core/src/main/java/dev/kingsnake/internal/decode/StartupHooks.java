package dev.kingsnake.internal.decode;

import java.io.ByteArrayOutputStream;
import java.util.Optional;

/**
 * The code of a {@code .pth} start-up hook: {@code site} runs every line that starts with {@code import} (followed
 * by a space or tab) at interpreter start, and treats the other lines as paths. The code is decoded like a
 * module's (a hook that hands base64 to a child interpreter is a {@code python -c} layer), never run.
 */
public final class StartupHooks {
    private StartupHooks() {
    }

    /**
     * The hook's executable lines as Python source, every other line left empty so line numbers stay those of
     * the file; empty when no line is executable (path lists, binary files that happen to be named .pth).
     */
    public static Optional<byte[]> code(byte[] pth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean any = false;
        int start = 0;
        for (int i = 0; i <= pth.length; i++) {
            if (i == pth.length || pth[i] == '\n') {
                boolean executable = startsWithImport(pth, start, i);
                if (executable) {
                    out.write(pth, start, i - start);
                    any = true;
                }
                if (i < pth.length) {
                    out.write('\n');
                }
                start = i + 1;
            }
        }
        return any ? Optional.of(out.toByteArray()) : Optional.empty();
    }

    private static boolean startsWithImport(byte[] b, int from, int to) {
        byte[] word = {'i', 'm', 'p', 'o', 'r', 't'};
        if (to - from <= word.length) {
            return false;
        }
        for (int k = 0; k < word.length; k++) {
            if (b[from + k] != word[k]) {
                return false;
            }
        }
        return b[from + word.length] == ' ' || b[from + word.length] == '\t';
    }
}
