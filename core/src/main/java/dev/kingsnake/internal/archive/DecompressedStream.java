package dev.kingsnake.internal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The output of a decompressor, metered as it is handed to the reader above: every byte counts against the
 * package's total ({@code maxTotalBytes}, including data skipped between entries) and the deadline is checked on
 * each read. The stream's own compression ratio stops nothing: a highly compressible entry early in a tarball
 * must not hide the entries behind it, so the stream is read on within the total budget. {@link #peek} looks at
 * the first bytes (to judge the format) without consuming them.
 */
final class DecompressedStream extends InputStream {
    /**
     * Reads from the decoder in small steps: a decoder that meets the end of truncated input throws away
     * what it decoded in that same call, so small calls keep all but the last few KiB before the damage.
     */
    private static final int DECODER_STEP = 4096;

    private final InputStream in;
    private final Unpacking session;
    private final String where;
    private long produced;
    private LimitReached tripped;
    private byte[] pending = new byte[0];
    private int pendingPos;
    private IOException deferred;

    DecompressedStream(InputStream in, Unpacking session, String where) {
        this.in = in;
        this.session = session;
        this.where = where;
    }

    /** Up to {@code n} first bytes, which later reads return again; damage after some bytes is deferred. */
    byte[] peek(int n) throws IOException {
        byte[] head = new byte[n];
        int got = 0;
        try {
            while (got < n) {
                int r = in.read(head, got, Math.min(n - got, DECODER_STEP));
                if (r < 0) {
                    break;
                }
                got += r;
            }
        } catch (IOException e) {
            if (got == 0) {
                throw e;
            }
            deferred = e;
        }
        pending = Arrays.copyOf(head, got);
        pendingPos = 0;
        return pending;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (tripped != null) {
            throw tripped;
        }
        if (len == 0) {
            return 0;
        }
        session.checkDeadline(where);
        long allowance = session.allowance();
        if (allowance <= 0) {
            if (pendingPos == pending.length && deferred == null && in.read() < 0) {
                return -1;
            }
            throw trip(session.stopForTotal(where));
        }
        int want = (int) Math.min(Math.min(len, DECODER_STEP), allowance);
        int n;
        if (pendingPos < pending.length) {
            n = Math.min(want, pending.length - pendingPos);
            System.arraycopy(pending, pendingPos, b, off, n);
            pendingPos += n;
        } else if (deferred != null) {
            throw deferred;
        } else {
            n = in.read(b, off, want);
        }
        if (n > 0) {
            produced += n;
            session.consume(n);
        }
        return n;
    }

    /** Decompressed bytes handed out so far: the input position of the container read from this stream. */
    long produced() {
        return produced;
    }

    private LimitReached trip(LimitReached e) {
        tripped = e;
        return e;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
